// ApiService: POST /v1/sync (docs/PROTOCOL.md section 16), a pass's anchors, results, claim,
// events page and dictionary check in one request. Every part is decided by the code of its
// own endpoint; this file only orders them and gathers the reply.
#include <vector>

#include "api_call.h"
#include "api_service.h"
#include "mano/sync/sync_exchange.h"

namespace mano::manod {

HttpResponse ApiService::Sync(Call& call) {
  // Everything is read and checked before anything is done: a malformed part is a 400 for
  // the whole request, with nothing stored.
  const sync::SyncRequest request = sync::SyncRequest::FromJson(DecodeBody(call));
  int64_t events_after = 0;
  if (request.events && !request.events->after.empty()) {
    const std::string& after = request.events->after;
    if (after.size() > 18 || after.find_first_not_of("0123456789") != std::string::npos) {
      return Error(400, "bad_field", "events.after must be a cursor from an earlier reply",
                   "events.after");
    }
    events_after = std::stoll(after);
  }
  // Room to read the uploads the results name, before any part is done (a 503 leaves nothing
  // done, so the retry is the same request).
  BudgetShare parsing;
  ReserveParsing(call, request.results, parsing);
  sync::SyncReply reply;
  reply.server_time = call.now;
  // Anchors first: a result sent with the anchor that makes it acceptable finds it.
  for (const sync::AnchorRequest& anchor : request.anchors) {
    sync::AnchorOutcome outcome;
    AssignmentRecord after;
    switch (store_.Anchor(call.worker.id, DecodeId(anchor.assignment_id), anchor.checkpoint_hash, call.now, &after)) {
      case ChangeOutcome::kNotFound:
        outcome.code = 404;
        outcome.error = "no such assignment";
        break;
      case ChangeOutcome::kConflict:
        outcome.code = 409;
        outcome.error = "the assignment is no longer leased";
        break;
      case ChangeOutcome::kDone:
        outcome.deadline = after.deadline;
        break;
    }
    reply.anchors.push_back(std::move(outcome));
  }
  std::vector<sync::ReceiptDefaults> sent;
  if (!request.results.empty()) {
    reply.submit = SubmitResults(call, request.results, true, &sent);
    reply.submit->sig = signer_.SignBatch(reply.submit->receipts);
  }
  if (request.claim) reply.claim = ClaimFor(call, *request.claim);
  if (request.events) reply.events = EventsAfter(call, events_after, request.events->limit);
  if (dictionaries_) {
    for (const sync::KindDictionary& held : request.dicts) {
      if (auto published = dictionaries_->Published(held.kind)) {
        reply.dicts.push_back({held.kind, static_cast<uint32_t>(published->first.id)});
      }
    }
  }
  return Json(call, 200, reply.ToJson(sent));
}

}  // namespace mano::manod
