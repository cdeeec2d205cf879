#include "mano/sync/sync_exchange.h"

#include <limits>

#include "mano/sync/limits.h"

namespace mano::sync {

void KindDictionary::Write(JsonOut& out) const {
  out.Object("kind", kind, "id", static_cast<std::int64_t>(id));
}
KindDictionary KindDictionary::Read(const JsonIn& in) {
  KindDictionary d;
  d.kind = in.IdOf("kind");
  const std::int64_t id = in.IntOf("id");
  if (id < 0 || id > std::numeric_limits<std::uint32_t>::max()) {
    in.Member("id").Fail("must be a dictionary id (0 to 4294967295)");
  }
  d.id = static_cast<std::uint32_t>(id);
  return d;
}

void EventsQuery::Write(JsonOut& out) const {
  out.Object("after", OmitDefault(after), "limit", limit);
}
EventsQuery EventsQuery::Read(const JsonIn& in) {
  EventsQuery q;
  q.after = in.StrOr("after", "");
  if (q.after.size() > kMaxIdLength) in.Member("after").Fail("is not a cursor");
  q.limit = in.IntOr("limit", 100);
  if (q.limit < 1 || q.limit > kMaxEventsLimit) {
    in.Member("limit").Fail("must be between 1 and " + std::to_string(kMaxEventsLimit));
  }
  return q;
}

void SyncRequest::Write(JsonOut& out) const {
  out.Object("results", OmitDefault(results), "anchors", OmitDefault(anchors), "claim", claim,
             "events", events, "dicts", OmitDefault(dicts));
}

namespace {
// A result read the server's way (SubmitResult::ReadJudging), for ReadArray.
struct JudgedSyncResult {
  SubmitResult result;
  static JudgedSyncResult Read(const JsonIn& in) { return {SubmitResult::ReadJudging(in)}; }
};
}  // namespace

SyncRequest SyncRequest::Read(const JsonIn& in) {
  if (!in.IsObject()) in.Fail("expected an object");
  SyncRequest r;
  for (auto& judged : ReadArray<JudgedSyncResult>(in, "results", kMaxSubmitBatch, false)) {
    r.results.push_back(std::move(judged.result));
  }
  r.anchors = ReadArray<AnchorRequest>(in, "anchors", kMaxSyncAnchors, false);
  if (auto claim = in.OptMember("claim")) r.claim = ClaimRequest::Read(*claim);
  if (auto events = in.OptMember("events")) r.events = EventsQuery::Read(*events);
  r.dicts = ReadArray<KindDictionary>(in, "dicts", kMaxSyncDicts, false);
  return r;
}

std::string SyncRequest::ToJsonWith(const std::string& results_json) const {
  std::string rest = ToJson();  // "{...}" without results
  if (results_json.empty()) return rest;
  std::string body = "{\"results\":[" + results_json + "]";
  if (rest.size() > 2)
    body += "," + rest.substr(1);
  else
    body += "}";
  return body;
}

void AnchorOutcome::Write(JsonOut& out) const {
  out.StartObject();
  out.Field("c", code);
  if (code == 200) out.Field("deadline", deadline);
  out.Field("e", OmitDefault(error));
  out.EndObject();
}
AnchorOutcome AnchorOutcome::Read(const JsonIn& in) {
  AnchorOutcome a;
  const std::int64_t code = in.IntOf("c");
  if (code != 200 && code != 404 && code != 409) in.Member("c").Fail("must be 200, 404 or 409");
  a.code = static_cast<int>(code);
  if (a.code == 200) a.deadline = in.IntOf("deadline");
  a.error = in.StrOr("e", "");
  return a;
}

void SyncReply::Write(JsonOut& out, const std::vector<ReceiptDefaults>& sent) const {
  out.StartObject();
  out.Field("t", server_time);
  out.Field("anchors", OmitDefault(anchors));
  if (submit) {
    out.Key("submit");
    submit->WriteBatch(out, sent);
  }
  out.Field("claim", claim);
  out.Field("events", events);
  out.Field("dicts", OmitDefault(dicts));
  out.EndObject();
}

std::string SyncReply::ToJson(const std::vector<ReceiptDefaults>& sent) const {
  JsonOut out;
  Write(out, sent);
  return out.Take();
}

SyncReply SyncReply::Read(const JsonIn& in, const std::vector<ReceiptDefaults>& sent,
                          std::size_t anchors_sent, bool claim_asked, bool events_asked) {
  SyncReply r;
  r.server_time = in.IntOf("t");
  r.anchors = ReadArray<AnchorOutcome>(in, "anchors", kMaxSyncAnchors, anchors_sent > 0);
  if (r.anchors.size() != anchors_sent) {
    in.Member("anchors").Fail(std::to_string(r.anchors.size()) + " outcomes for " +
                              std::to_string(anchors_sent) + " anchors");
  }
  if (!sent.empty()) {
    r.submit = SubmitReply::Read(in.Member("submit"), &sent);
    if (r.submit->sig.empty()) in.Member("submit").Fail("the receipts carry no batch signature");
  }
  if (claim_asked) r.claim = ClaimReply::Read(in.Member("claim"));
  if (events_asked) r.events = EventsReply::Read(in.Member("events"));
  r.dicts = ReadArray<KindDictionary>(in, "dicts", kMaxSyncDicts, false);
  return r;
}

}  // namespace mano::sync
