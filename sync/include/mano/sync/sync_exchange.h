// The messages of POST /v1/sync (docs/PROTOCOL.md section 16): one request that carries a
// pass's results, anchors, claim, events cursor and held dictionaries, and one reply with
// receipts, anchor outcomes, claimed assignments, an events page and dictionary news.
//
// Each part reuses the message of its own endpoint (messages.h), so the rules (ids, limits,
// batch receipts) are the ones already there. Read() throws SyncError{kBadMessage} naming the
// offending member ("anchors[2].h", "claim.count"), like every message; unknown members are
// ignored. Plain value types; thread safety as for std::string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mano/sync/json_util.h"
#include "mano/sync/messages.h"

namespace mano::sync {

// Anchors per sync request.
constexpr std::size_t kMaxSyncAnchors = 100;
// Kinds per sync request's "dicts".
constexpr std::size_t kMaxSyncDicts = 16;
// The feature GET /v1/health lists when the server offers POST /v1/sync.
constexpr const char* kSyncFeature = "sync";

// A task kind and a dictionary id: in a request, the one the client holds (0: none); in a
// reply, the one the server publishes.
struct KindDictionary {
  std::string kind;
  std::uint32_t id = 0;
  void Write(JsonOut& out) const;
  static KindDictionary Read(const JsonIn& in);
};

// "events" of a request: the page after `after` (empty: from the start).
struct EventsQuery {
  std::string after;
  std::int64_t limit = 100;  // 1..kMaxEventsLimit
  void Write(JsonOut& out) const;
  static EventsQuery Read(const JsonIn& in);
};

struct SyncRequest {
  std::vector<SubmitResult> results;  // 0..kMaxSubmitBatch
  std::vector<AnchorRequest> anchors;  // 0..kMaxSyncAnchors
  std::optional<ClaimRequest> claim;
  std::optional<EventsQuery> events;
  std::vector<KindDictionary> dicts;  // 0..kMaxSyncDicts
  void Write(JsonOut& out) const;
  // Results are read as the server judges them (SubmitResult::ReadJudging): one holding a
  // number beyond +-(2^53 - 1) keeps it in `inexact` and gets its own invalid receipt.
  static SyncRequest Read(const JsonIn& in);
  MANO_SYNC_JSON_METHODS(SyncRequest)
  // The body with `results_json` (comma-separated SubmitResult objects, e.g. outbox bodies,
  // sent as they are) as "results", and everything else from this request; `results` must be
  // empty then.
  std::string ToJsonWith(const std::string& results_json) const;
};

// One anchor's outcome: code 200 with the (possibly renewed) deadline, or 404/409 with a
// sentence in `error`.
struct AnchorOutcome {
  int code = 200;
  std::int64_t deadline = 0;
  std::string error;
  void Write(JsonOut& out) const;
  static AnchorOutcome Read(const JsonIn& in);
};

struct SyncReply {
  std::int64_t server_time = 0;  // "t"
  std::vector<AnchorOutcome> anchors;  // one per anchor sent, in order
  std::optional<SubmitReply> submit;   // batch form; present when results were sent
  std::optional<ClaimReply> claim;
  std::optional<EventsReply> events;
  std::vector<KindDictionary> dicts;  // published ids of the kinds asked that have one
  // `sent`: one entry per result of the request (what the batch receipts leave out).
  void Write(JsonOut& out, const std::vector<ReceiptDefaults>& sent) const;
  std::string ToJson(const std::vector<ReceiptDefaults>& sent) const;
  // Checks the reply against the request: as many anchor outcomes as anchors sent, a submit
  // part with one receipt per `sent` entry when results were sent, a claim part when one was
  // asked, an events part when asked.
  static SyncReply Read(const JsonIn& in, const std::vector<ReceiptDefaults>& sent,
                        std::size_t anchors_sent, bool claim_asked, bool events_asked);
};

}  // namespace mano::sync
