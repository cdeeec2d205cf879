#include "mano/sync/messages.h"

#include <array>

#include "mano/storage/enum_names.h"
#include "mano/sync/limits.h"

namespace mano::sync {

namespace {

constexpr storage::EnumName<LatePolicy> kLateNames[] = {
    {LatePolicy::kRefuse, "refuse"},
    {LatePolicy::kAccept, "accept"},
    {LatePolicy::kAcceptIfAnchored, "accept_if_anchored"}};
constexpr storage::EnumName<ReceiptStatus> kStatusNames[] = {
    {ReceiptStatus::kAccepted, "accepted"},        {ReceiptStatus::kDuplicate, "duplicate"},
    {ReceiptStatus::kConflict, "conflict"},        {ReceiptStatus::kLateAccepted, "late_accepted"},
    {ReceiptStatus::kLateRefused, "late_refused"}, {ReceiptStatus::kInvalid, "invalid"},
    {ReceiptStatus::kNotFound, "not_found"}};
// In the order of the ReceiptStatus enum.
constexpr std::array<int, 7> kStatusCodes = {200, 200, 422, 200, 409, 422, 404};
constexpr storage::EnumName<EventType> kEventNames[] = {
    {EventType::kApproved, "approved"}, {EventType::kRejected, "rejected"},
    {EventType::kPayment, "payment"},   {EventType::kBonus, "bonus"},
    {EventType::kRevoked, "revoked"},   {EventType::kWithdrawn, "withdrawn"}};

std::int64_t NonNegative(const JsonIn& in, const char* name) {
  std::int64_t v = in.IntOf(name);
  if (v < 0) in.Member(name).Fail("must not be negative");
  return v;
}

std::string HexOf(const JsonIn& in, const char* name, std::size_t length) {
  JsonIn m = in.Member(name);
  std::string s = m.String();
  bool ok = s.size() == length;
  for (char c : s) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok) m.Fail("expected " + std::to_string(length) + " lower-case hex digits");
  return s;
}

}  // namespace

// --- names -------------------------------------------------------------------------------

const char* LatePolicyName(LatePolicy policy) { return storage::NameOf(kLateNames, policy, "?"); }
std::optional<LatePolicy> ParseLatePolicy(std::string_view name) {
  return storage::ValueOf(kLateNames, name);
}
const char* ReceiptStatusName(ReceiptStatus s) { return storage::NameOf(kStatusNames, s, "?"); }
std::optional<ReceiptStatus> ParseReceiptStatus(std::string_view name) {
  return storage::ValueOf(kStatusNames, name);
}
int ReceiptStatusCode(ReceiptStatus s) { return kStatusCodes[static_cast<int>(s)]; }
const char* EventTypeName(EventType type) { return storage::NameOf(kEventNames, type, "?"); }
std::optional<EventType> ParseEventType(std::string_view name) {
  return storage::ValueOf(kEventNames, name);
}

// --- small replies -------------------------------------------------------------------------

void HealthReply::Write(JsonOut& out) const {
  out.Object("ok", ok, "protocol", protocol, "t", server_time, "features", OmitDefault(features));
}
HealthReply HealthReply::Read(const JsonIn& in) {
  return HealthReply{in.Member("ok").Bool(), in.Str("protocol"), in.IntOf("t"),
                     in.StringsOr("features", 64)};
}

void ReceiptKey::Write(JsonOut& out) const { out.Object("alg", alg, "key", key, "key_id", key_id); }
ReceiptKey ReceiptKey::Read(const JsonIn& in) {
  ReceiptKey k{in.Str("alg"), in.Str("key"), in.Str("key_id")};
  if (k.alg != "ed25519") in.Member("alg").Fail("unsupported algorithm (expected ed25519)");
  return k;
}

void MoneyTotal::Write(JsonOut& out) const {
  out.Object("currency", currency, "paid", paid, "bonus", bonus);
}
MoneyTotal MoneyTotal::Read(const JsonIn& in) {
  return MoneyTotal{in.Str("currency"), in.IntOr("paid", 0), in.IntOr("bonus", 0)};
}

void MeReply::Write(JsonOut& out) const {
  out.Object("worker", worker, "currency", currency, "t", server_time, "totals",
             OmitDefault(totals));
}
MeReply MeReply::Read(const JsonIn& in) {
  MeReply me{in.Str("worker"), in.Str("currency"), in.IntOf("t")};
  me.totals = ReadArray<MoneyTotal>(in, "totals", kMaxOptions, false);
  return me;
}

// --- claim ---------------------------------------------------------------------------------

void ClaimRequest::Write(JsonOut& out) const {
  out.Object("key", key, "count", count, "kinds", OmitDefault(kinds));
}
ClaimRequest ClaimRequest::Read(const JsonIn& in) {
  ClaimRequest r;
  r.key = in.IdOf("key");
  r.count = in.IntOr("count", 1);
  if (r.count < 1 || r.count > kMaxClaimCount) {
    in.Member("count").Fail("must be between 1 and " + std::to_string(kMaxClaimCount));
  }
  r.kinds = in.StringsOr("kinds", 16, true);
  return r;
}

void Policy::Write(JsonOut& out) const {
  out.Object("late", LatePolicyName(late), "renew_on_anchor", renew_on_anchor, "lease_ms",
             lease_ms);
}
Policy Policy::Read(const JsonIn& in) {
  Policy p;
  p.late = EnumMember(in, "late", kLateNames,
                      "unknown late policy (refuse, accept, accept_if_anchored)");
  p.renew_on_anchor = in.BoolOr("renew_on_anchor", false);
  p.lease_ms = in.IntOr("lease_ms", 0);
  if (p.lease_ms < 0) in.Member("lease_ms").Fail("must not be negative");
  return p;
}

void AssetRef::Write(JsonOut& out) const {
  out.Object("name", name, "hash", hash, "size", size, "type", type);
}
AssetRef AssetRef::Read(const JsonIn& in) {
  return AssetRef{in.IdOf("name"), HexOf(in, "hash", 64), NonNegative(in, "size"),
                  in.StrOr("type", "application/octet-stream")};
}

void Requester::Write(JsonOut& out) const { out.Object("id", id, "name", OmitDefault(name)); }
Requester Requester::Read(const JsonIn& in) {
  if (!in.IsObject()) in.Fail("must be an object");
  auto text = [&](const char* member, std::size_t min, std::size_t max) {
    std::string v = in.StrOr(member, "");
    if (v.size() < min || v.size() > max)
      in.Fail("must be " + std::to_string(min) + " to " + std::to_string(max) + " bytes", member);
    for (unsigned char c : v)
      if (c < 0x20 || c == 0x7f) in.Fail("must not hold control characters", member);
    return v;
  };
  Requester r;
  r.id = text("id", 1, kMaxIdBytes);
  r.name = text("name", 0, kMaxNameBytes);
  return r;
}

void Assignment::Write(JsonOut& out) const {
  out.Object("id", id, "task", task, "kind", kind, "deadline", deadline, "reward", reward,
             "currency", currency, "policy", policy, "form", form, "assets", assets, "requester",
             requester);
}
Assignment Assignment::Read(const JsonIn& in) {
  Assignment a;
  a.id = in.IdOf("id");
  a.task = in.IdOf("task");
  a.kind = in.IdOf("kind");
  a.deadline = in.IntOf("deadline");
  a.reward = NonNegative(in, "reward");
  a.currency = in.Str("currency");
  a.policy = Policy::Read(in.Member("policy"));
  a.form = Form::Read(in.Member("form"));
  a.assets = ReadArray<AssetRef>(in, "assets", kMaxFields, false);
  if (auto r = in.OptMember("requester")) a.requester = Requester::Read(*r);
  return a;
}

void ClaimReply::Write(JsonOut& out) const {
  out.Object("t", server_time, "assignments", assignments);
}
ClaimReply ClaimReply::Read(const JsonIn& in) {
  ClaimReply r;
  r.server_time = in.IntOf("t");
  r.assignments = ReadArray<Assignment>(in, "assignments", kMaxClaimCount, true);
  return r;
}

// --- anchor --------------------------------------------------------------------------------

void AnchorRequest::Write(JsonOut& out) const {
  out.Object("a", assignment_id, "h", checkpoint_hash);
}
AnchorRequest AnchorRequest::Read(const JsonIn& in) {
  return AnchorRequest{in.IdOf("a"), HexOf(in, "h", 32)};
}

void AnchorReply::Write(JsonOut& out) const { out.Object("t", server_time, "deadline", deadline); }
AnchorReply AnchorReply::Read(const JsonIn& in) {
  return AnchorReply{in.IntOf("t"), in.IntOf("deadline")};
}

// --- submit --------------------------------------------------------------------------------

void SubmitResult::Write(JsonOut& out) const {
  out.StartObject();
  out.Field("a", assignment_id);
  if (!key.empty() && key != assignment_id) out.Field("k", key);
  if (!upload_id.empty()) {
    out.Field("u", upload_id);
  } else {
    out.Field("v", answer);
  }
  out.Field("h", OmitDefault(answer_hash));
  out.EndObject();
}
namespace {

SubmitResult ReadSubmitResult(const JsonIn& in, bool keep_inexact) {
  SubmitResult r;
  r.assignment_id = in.IdOf("a");
  if (auto k = in.OptMember("k")) r.key = k->Id();
  if (auto h = in.OptMember("h")) {
    r.answer_hash = h->String();
    if (r.answer_hash.size() != 64 ||
        r.answer_hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      h->Fail("expected a lower-case hex SHA-256");
    }
  }
  if (auto u = in.OptMember("u")) r.upload_id = u->Id();
  if (r.upload_id.empty()) {
    try {
      r.answer = Answer::Read(in.Member("v"));
    } catch (const InexactNumber& e) {
      if (!keep_inexact) throw;
      r.inexact = e.what();
    }
  } else if (in.Has("v")) {
    in.Member("v").Fail("give either v or u, not both");
  }
  return r;
}

// A result read by ReadJudging, for ReadArray.
struct JudgedResult {
  SubmitResult result;
  static JudgedResult Read(const JsonIn& in) { return {SubmitResult::ReadJudging(in)}; }
};

}  // namespace

SubmitResult SubmitResult::Read(const JsonIn& in) { return ReadSubmitResult(in, false); }
SubmitResult SubmitResult::ReadJudging(const JsonIn& in) { return ReadSubmitResult(in, true); }

void SubmitRequest::Write(JsonOut& out) const { out.Object("results", results); }
SubmitRequest SubmitRequest::Read(const JsonIn& in) {
  SubmitRequest r;
  r.results = ReadArray<SubmitResult>(in, "results", kMaxSubmitBatch, true);
  if (r.results.empty()) in.Member("results").Fail("must hold at least one result");
  return r;
}
SubmitRequest SubmitRequest::FromJsonJudging(std::string_view json) {
  JsonDocument doc(json);
  const JsonIn in = doc.Root();
  SubmitRequest r;
  for (auto& judged : ReadArray<JudgedResult>(in, "results", kMaxSubmitBatch, true)) {
    r.results.push_back(std::move(judged.result));
  }
  if (r.results.empty()) in.Member("results").Fail("must hold at least one result");
  return r;
}

void Receipt::Write(JsonOut& out) const {
  out.StartObject();
  out.Field("k", key);
  out.Field("a", assignment_id);
  out.Field("s", ReceiptStatusName(status));
  out.Field("c", code);
  out.Field("t", server_time);
  out.Field("h", answer_hash);
  out.Field("sig", OmitDefault(sig));
  out.Field("e", OmitDefault(error));
  if (canonical_version != 1) out.Field("cv", canonical_version);
  out.EndObject();
}

void Receipt::WriteInBatch(JsonOut& out, const ReceiptDefaults& sent, std::int64_t reply_t) const {
  out.StartObject();
  if (key != sent.key) out.Field("k", key);
  if (assignment_id != sent.assignment_id) out.Field("a", assignment_id);
  out.Field("s", ReceiptStatusName(status));
  if (code != ReceiptStatusCode(status)) out.Field("c", code);
  if (server_time != reply_t) out.Field("t", server_time);
  if (sent.answer_hash.empty() || answer_hash != sent.answer_hash) out.Field("h", answer_hash);
  out.Field("e", OmitDefault(error));
  out.EndObject();
}

namespace {

// The members every receipt form shares; `sent` (when given) fills absent "k", "a", "h",
// and reply_t and the status fill absent "t" and "c".
Receipt ReadReceipt(const JsonIn& in, const ReceiptDefaults* sent, std::int64_t reply_t,
                    std::int64_t reply_cv = 1) {
  Receipt r;
  r.key = sent && !in.Has("k") ? sent->key : in.IdOf("k");
  r.assignment_id = sent && !in.Has("a") ? sent->assignment_id : in.IdOf("a");
  r.status = EnumMember(in, "s", kStatusNames, "unknown receipt status");
  if (sent && !in.Has("c")) {
    r.code = ReceiptStatusCode(r.status);
  } else {
    std::int64_t c = in.IntOf("c");
    if (c < 100 || c > 599) in.Member("c").Fail("not an HTTP status code");
    r.code = static_cast<int>(c);
  }
  r.server_time = sent && !in.Has("t") ? reply_t : in.IntOf("t");
  r.error = in.StrOr("e", "");
  const std::int64_t cv = in.IntOr("cv", reply_cv);
  if (cv != 1 && cv != 2) in.Member("cv").Fail("unknown canonicalization version");
  r.canonical_version = static_cast<int>(cv);
  const std::string& sent_h = sent && r.canonical_version == 1 && !sent->answer_hash_legacy.empty()
                                  ? sent->answer_hash_legacy
                              : sent ? sent->answer_hash
                                     : std::string();
  r.answer_hash = sent && !in.Has("h") ? sent_h : in.StrOr("h", "");
  return r;
}

}  // namespace

Receipt Receipt::Read(const JsonIn& in) {
  Receipt r = ReadReceipt(in, nullptr, 0);
  r.sig = in.StrOr("sig", "");
  return r;
}

Receipt Receipt::ReadInBatch(const JsonIn& in, const ReceiptDefaults& sent, std::int64_t t) {
  return ReadReceipt(in, &sent, t);
}

void SubmitReply::Write(JsonOut& out) const {
  out.Object("t", server_time, "sig", OmitDefault(sig), "receipts", receipts);
}

void SubmitReply::WriteBatch(JsonOut& out, const std::vector<ReceiptDefaults>& sent) const {
  out.StartObject();
  out.Field("t", server_time);
  out.Field("sig", sig);
  if (!receipts.empty() && receipts.front().canonical_version != 1)
    out.Field("cv", receipts.front().canonical_version);
  out.Key("receipts");
  out.StartArray();
  for (std::size_t i = 0; i < receipts.size(); ++i) {
    receipts[i].WriteInBatch(out, i < sent.size() ? sent[i] : ReceiptDefaults{}, server_time);
  }
  out.EndArray();
  out.EndObject();
}

std::string SubmitReply::ToBatchJson(const std::vector<ReceiptDefaults>& sent) const {
  JsonOut out;
  WriteBatch(out, sent);
  return out.Take();
}

SubmitReply SubmitReply::Read(const JsonIn& in, const std::vector<ReceiptDefaults>* sent) {
  SubmitReply r;
  r.server_time = in.IntOf("t");
  if (auto sig = in.OptMember("sig")) r.sig = sig->String();
  if (r.sig.empty() || !sent) {
    r.receipts = ReadArray<Receipt>(in, "receipts", kMaxSubmitBatch, true);
    if (!r.sig.empty()) {
      for (auto& receipt : r.receipts) receipt.sig.clear();  // the batch's, not its own
    }
    return r;
  }
  JsonIn list = in.Member("receipts");
  if (list.Size() != sent->size()) {
    list.Fail(std::to_string(list.Size()) + " receipts for " + std::to_string(sent->size()) +
              " results");
  }
  const std::int64_t cv = in.IntOr("cv", 1);
  if (cv != 1 && cv != 2) in.Member("cv").Fail("unknown canonicalization version");
  r.receipts.reserve(sent->size());
  for (std::size_t i = 0; i < sent->size(); ++i) {
    r.receipts.push_back(ReadReceipt(list.At(i), &(*sent)[i], r.server_time, cv));
    r.receipts.back().canonical_version = static_cast<int>(cv);
  }
  return r;
}

// --- events --------------------------------------------------------------------------------

void Event::Write(JsonOut& out) const {
  out.Object("seq", seq, "type", EventTypeName(type), "a", OmitDefault(assignment_id), "reason",
             OmitDefault(reason), "amount", OmitDefault(amount), "currency", OmitDefault(currency),
             "t", server_time);
}
Event Event::Read(const JsonIn& in) {
  Event e;
  e.seq = in.IntOf("seq");
  e.type = EnumMember(in, "type", kEventNames, "unknown event type");
  if (auto a = in.OptMember("a")) e.assignment_id = a->Id();
  e.reason = in.StrOr("reason", "");
  if (e.type == EventType::kRejected && e.reason.empty()) {
    in.Fail("a rejection must carry a reason", "reason");
  }
  e.amount = in.IntOr("amount", 0);
  e.currency = in.StrOr("currency", "");
  e.server_time = in.IntOf("t");
  return e;
}

void EventsReply::Write(JsonOut& out) const {
  out.Object("t", server_time, "cursor", cursor, "more", OmitDefault(more), "events", events);
}
EventsReply EventsReply::Read(const JsonIn& in) {
  EventsReply r;
  r.server_time = in.IntOf("t");
  r.cursor = in.Str("cursor");
  r.more = in.BoolOr("more", false);
  r.events = ReadArray<Event>(in, "events", kMaxEventsLimit, true);
  return r;
}

// --- return, errors ------------------------------------------------------------------------

void ReturnRequest::Write(JsonOut& out) const { out.Object("a", assignment_id); }
ReturnRequest ReturnRequest::Read(const JsonIn& in) { return ReturnRequest{in.IdOf("a")}; }

void ReturnReply::Write(JsonOut& out) const { out.Object("t", server_time, "state", state); }
ReturnReply ReturnReply::Read(const JsonIn& in) {
  return ReturnReply{in.IntOf("t"), in.Str("state")};
}

void ErrorBody::Write(JsonOut& out) const {
  out.StartObject();
  out.Key("error");
  out.StartObject();
  out.Field("code", code);
  out.Field("message", message);
  out.Field("field", OmitDefault(field));
  out.EndObject();
  if (server_time != 0) out.Field("t", server_time);
  out.EndObject();
}
ErrorBody ErrorBody::Read(const JsonIn& in) {
  JsonIn e = in.Member("error");
  return ErrorBody{e.Str("code"), e.StrOr("message", ""), e.StrOr("field", ""), in.IntOr("t", 0)};
}

}  // namespace mano::sync
