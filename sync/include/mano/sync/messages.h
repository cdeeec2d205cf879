// The wire messages of protocol v1 (docs/PROTOCOL.md is the reference; this header mirrors it).
//
// Each message is a plain struct with Write(JsonOut&)/Read(const JsonIn&) and the string forms
// ToJson()/FromJson(). FromJson throws SyncError{kBadMessage} whose field() and message name the
// offending member ("assignments[2].deadline") for syntax errors, wrong types, missing required
// members, invalid UTF-8 or malformed ids; it never crashes on hostile input. Unknown members are
// ignored. Optional members are omitted on write when empty. Times are integer milliseconds
// since the Unix epoch in server time; money is integer micro-units of `currency`.
// The wire keeps the protocol's short member names ("t", "a", "k", "h"...); the C++ members
// are spelt out, each commented with its wire name where they differ ("t" is server_time
// everywhere, "a" assignment_id, "k" key).
// Plain value types; thread safety as for std::string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mano/sync/answer.h"
#include "mano/sync/form.h"
#include "mano/sync/json_util.h"
#include "mano/sync/protocol_version.h"

namespace mano::sync {

// Adds ToJson()/FromJson() to a message type that has Write/Read.
#define MANO_SYNC_JSON_METHODS(Type)                         \
  std::string ToJson() const { return ToJsonString(*this); } \
  static Type FromJson(std::string_view json) { return FromJsonString<Type>(json); }

// GET /v1/health (no auth).
struct HealthReply {
  bool ok = true;
  std::string protocol = kProtocolVersion;
  std::int64_t server_time = 0;
  std::vector<std::string> features = {};  // beyond v1's endpoints, e.g. "sync" (/v1/sync)
  void Write(JsonOut& out) const;
  static HealthReply Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(HealthReply)
};

// GET /.well-known/mano/receipt-key (no auth).
struct ReceiptKey {
  std::string alg = "ed25519";
  std::string key;     // standard base64 of the 32-byte public key
  std::string key_id;  // 8 lower-case hex: first 4 bytes of sha256(public key)
  void Write(JsonOut& out) const;
  static ReceiptKey Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(ReceiptKey)
};

// One currency's money paid to a worker (GET /v1/me), in micro-units of that currency:
// amounts in different currencies are never added together.
struct MoneyTotal {
  std::string currency;
  std::int64_t paid = 0;   // the sum of payment events
  std::int64_t bonus = 0;  // the sum of bonus events
  void Write(JsonOut& out) const;
  static MoneyTotal Read(const JsonIn& in);
};

// GET /v1/me. `currency`: the worker's current currency (docs/PROTOCOL.md, GET /v1/me);
// `totals`: one entry per currency the worker was paid in (absent from older servers).
struct MeReply {
  std::string worker;
  std::string currency = "USD";
  std::int64_t server_time = 0;
  std::vector<MoneyTotal> totals = {};
  void Write(JsonOut& out) const;
  static MeReply Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(MeReply)
};

// POST /v1/claim.
struct ClaimRequest {
  std::string key;                 // idempotency key chosen by the client (an id)
  std::int64_t count = 1;          // 1..kMaxClaimCount
  std::vector<std::string> kinds;  // empty: any kind
  void Write(JsonOut& out) const;
  static ClaimRequest Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(ClaimRequest)
};

enum class LatePolicy { kRefuse, kAccept, kAcceptIfAnchored };
const char* LatePolicyName(LatePolicy policy);  // "refuse", "accept", "accept_if_anchored"
std::optional<LatePolicy> ParseLatePolicy(std::string_view name);

struct Policy {
  LatePolicy late = LatePolicy::kRefuse;
  bool renew_on_anchor = false;  // an anchor moves the deadline to anchor time + lease_ms
  std::int64_t lease_ms = 0;
  void Write(JsonOut& out) const;
  static Policy Read(const JsonIn& in);
};

struct AssetRef {
  std::string name;  // referred to by ShowItem::value and Field::asset
  std::string hash;  // lower-case hex sha256 of the bytes: GET /v1/assets/<hash>
  std::int64_t size = 0;
  std::string type;  // media type, e.g. "image/png"
  void Write(JsonOut& out) const;
  static AssetRef Read(const JsonIn& in);
};

// Who asked for a task (optional on a task): "id" the platform's requester id (1..64 bytes),
// "name" as the requester calls itself (0..128 bytes); neither holds a control character.
// Read fails (kBadMessage, naming the member) otherwise.
struct Requester {
  std::string id;
  std::string name;
  static constexpr std::size_t kMaxIdBytes = 64;
  static constexpr std::size_t kMaxNameBytes = 128;
  void Write(JsonOut& out) const;
  static Requester Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(Requester)
  bool operator==(const Requester&) const = default;
};

struct Assignment {
  std::string id;    // short server id (base36), the "a" of every later message
  std::string task;  // task id
  std::string kind;  // "relevance", ...
  std::int64_t deadline = 0;
  std::int64_t reward = 0;  // micro-units of currency
  std::string currency = "USD";
  Policy policy;
  Form form;
  std::vector<AssetRef> assets;
  std::optional<Requester> requester;  // absent: the server does not say
  void Write(JsonOut& out) const;
  static Assignment Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(Assignment)
};

struct ClaimReply {
  std::int64_t server_time = 0;
  std::vector<Assignment> assignments;
  void Write(JsonOut& out) const;
  static ClaimReply Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(ClaimReply)
};

// POST /v1/anchor: {"a":"<id>","h":"<32 hex>"}.
struct AnchorRequest {
  std::string assignment_id;    // "a"
  std::string checkpoint_hash;  // "h": first 16 bytes of the checkpoint's sha256, 32 hex chars
  void Write(JsonOut& out) const;
  static AnchorRequest Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(AnchorRequest)
};

struct AnchorReply {
  std::int64_t server_time = 0;  // "t": server time the anchor was recorded
  std::int64_t deadline = 0;     // the (possibly renewed) deadline
  void Write(JsonOut& out) const;
  static AnchorReply Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(AnchorReply)
};

// One result in POST /v1/submit: {"a":"<id>","v":{answer}} plus optional "k" and "u".
struct SubmitResult {
  std::string assignment_id;  // "a"
  std::string key;            // "k": idempotency key; empty means the same as assignment_id
  Answer answer;              // "v" (empty when upload_id carries it)
  std::string upload_id;      // "u": upload whose bytes are the answer's JSON (large answers)
  // "h", optional: the sender's own answer hash. A batch receipt whose h differs from it
  // carries the server's h, so a client whose canonical JSON differs learns why (section 8).
  std::string answer_hash;
  // Set only by ReadJudging: why `answer` could not be read (a number beyond +-(2^53 - 1), the
  // member's path first); `answer` is then empty. The server judges such a result `invalid`.
  std::string inexact;
  // The effective idempotency key: key, or assignment_id when key is empty.
  const std::string& EffectiveKey() const { return key.empty() ? assignment_id : key; }
  void Write(JsonOut& out) const;
  static SubmitResult Read(const JsonIn& in);
  // As Read, but an answer holding an inexact number (InexactNumber) sets `inexact` instead
  // of throwing.
  static SubmitResult ReadJudging(const JsonIn& in);
};

struct SubmitRequest {
  std::vector<SubmitResult> results;  // 1..kMaxSubmitBatch
  void Write(JsonOut& out) const;
  static SubmitRequest Read(const JsonIn& in);
  // The server's reading: each result by SubmitResult::ReadJudging, so a result holding an
  // inexact number is judged alone and the rest of the batch normally (section 6).
  static SubmitRequest FromJsonJudging(std::string_view json);
  MANO_SYNC_JSON_METHODS(SubmitRequest)
};

enum class ReceiptStatus {
  kAccepted,      // 200: stored
  kDuplicate,     // 200: same key, same content; the original t and h, signed anew
  kConflict,      // 422: same key, other content; nothing stored
  kLateAccepted,  // 200: after the deadline, accepted by the task's policy
  kLateRefused,   // 409: after the deadline, refused by the task's policy
  kInvalid,       // 422: the answer failed validation (e = first problem, with its field)
  kNotFound,      // 404: no such assignment for this worker (or returned/revoked)
};
const char* ReceiptStatusName(ReceiptStatus status);  // "accepted", "late_accepted", ...
std::optional<ReceiptStatus> ParseReceiptStatus(std::string_view name);
// The item code the protocol pairs with a status (200, 409, 422, 404).
int ReceiptStatusCode(ReceiptStatus status);

// What a batch reply's receipt leaves out because the request already says it (see
// Receipt::WriteInBatch): the effective key, the assignment, and the sha256 hex of the
// canonical answer that was sent (empty when unknown: then "h" is always written).
struct ReceiptDefaults {
  std::string key;            // "k"
  std::string assignment_id;  // "a"
  std::string answer_hash;    // "h"
  // The version-1 hash (jcs.h), for a reply of a server from before RFC 8785 (no "cv");
  // empty: answer_hash serves for both.
  std::string answer_hash_legacy = {};
};

// One receipt per result, in order. Signed by the server (receipt_signer.h) over
// CanonicalReceiptBytes, or together with the other receipts of its reply over
// CanonicalBatchBytes (receipt_batch.h), so "k", "a", "s", "c", "t", "h" cannot be altered
// without detection.
struct Receipt {
  std::string key;                                  // "k": idempotency key
  std::string assignment_id;                        // "a"
  ReceiptStatus status = ReceiptStatus::kAccepted;  // "s"
  int code = 200;                                   // "c": item code
  // "t": server time of the decision (of the original, for duplicates)
  std::int64_t server_time = 0;
  std::string answer_hash;  // "h": sha256 hex of the canonical answer that was judged
  std::string sig;          // base64 Ed25519 signature; empty when its batch is signed instead
  std::string error;  // "e": error message, optional (invalid, conflict, late_refused, not_found)
  // "cv", the canonicalization version (jcs.h): 2 (RFC 8785) for every receipt made now; 1
  // for one read without "cv" (made before JCS: its h and signed bytes follow the legacy rules).
  int canonical_version = 2;
  // Complete form: k, a, s, c, t required on read; h, sig, e and cv optional ("sig" is left
  // out when empty, "cv" when 1).
  void Write(JsonOut& out) const;
  static Receipt Read(const JsonIn& in);
  // Batch form (protocol section 8): never "sig"; "k", "a", "h" left out when equal to
  // `sent`'s (h only when sent.h is not empty), "t" when equal to the reply's `t`, "c" when
  // it is the status's own code. Reading fills what is absent from the same values.
  void WriteInBatch(JsonOut& out, const ReceiptDefaults& sent, std::int64_t t) const;
  static Receipt ReadInBatch(const JsonIn& in, const ReceiptDefaults& sent, std::int64_t t);
  MANO_SYNC_JSON_METHODS(Receipt)
};

// The reply to POST /v1/submit. Per-receipt form: every receipt complete with its own "sig".
// Batch form (asked for with "Mano-Receipts: batch-v1"): a top-level "sig" over
// CanonicalBatchBytes(receipts) and receipts in their batch form.
struct SubmitReply {
  std::int64_t server_time = 0;
  std::vector<Receipt> receipts;
  std::string sig;  // the batch signature; empty in the per-receipt form
  // The batch form carries its receipts' canonicalization version once, as "cv" (absent: 1);
  // written from receipts.front().cv, read into every receipt.
  // The per-receipt form when sig is empty; otherwise the batch form with no defaults
  // (every receipt complete but for its sig).
  void Write(JsonOut& out) const;
  // The batch form; `sent` holds one entry per receipt, in order.
  void WriteBatch(JsonOut& out, const std::vector<ReceiptDefaults>& sent) const;
  std::string ToBatchJson(const std::vector<ReceiptDefaults>& sent) const;
  // Either form. With `sent` (the request's results, in order), a batch reply's receipts
  // take what they leave out from it, and a receipt count other than sent->size() is
  // refused; without it, every batch receipt must be complete.
  static SubmitReply Read(const JsonIn& in, const std::vector<ReceiptDefaults>* sent = nullptr);
  MANO_SYNC_JSON_METHODS(SubmitReply)
};

enum class EventType { kApproved, kRejected, kPayment, kBonus, kRevoked, kWithdrawn };
const char* EventTypeName(EventType type);
std::optional<EventType> ParseEventType(std::string_view name);

struct Event {
  std::int64_t seq = 0;  // strictly increasing per worker
  EventType type = EventType::kApproved;
  std::string assignment_id;  // "a" (empty for a payment that covers several)
  std::string reason;         // required for rejected; optional otherwise
  std::int64_t amount = 0;    // micro-units (payment, bonus)
  std::string currency;       // with amount
  std::int64_t server_time = 0;
  void Write(JsonOut& out) const;
  static Event Read(const JsonIn& in);  // a rejected event without a reason is refused
};

// GET /v1/events?after=<cursor>&limit=N.
struct EventsReply {
  std::int64_t server_time = 0;
  std::string cursor;  // opaque; pass as `after` next time
  bool more = false;   // another page is waiting
  std::vector<Event> events;
  void Write(JsonOut& out) const;
  static EventsReply Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(EventsReply)
};

// POST /v1/return.
struct ReturnRequest {
  std::string assignment_id;
  void Write(JsonOut& out) const;
  static ReturnRequest Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(ReturnRequest)
};

struct ReturnReply {
  std::int64_t server_time = 0;
  std::string state = "returned";
  void Write(JsonOut& out) const;
  static ReturnReply Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(ReturnReply)
};

// Every non-2xx reply: {"error":{"code":"bad_field","message":"...","field":"..."},"t":...}.
// Codes: bad_request, bad_field, unauthorized, forbidden, not_found, conflict, gone,
// too_large, unsupported_encoding, rate_limited, internal, unavailable (and the others of
// PROTOCOL.md section 4's table, e.g. unknown_dictionary).
struct ErrorBody {
  std::string code;
  std::string message;
  std::string field;     // optional
  std::int64_t server_time = 0;  // "t": 0 is absent (written only when set)
  void Write(JsonOut& out) const;
  static ErrorBody Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(ErrorBody)
};

}  // namespace mano::sync
