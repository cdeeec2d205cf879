#include "account_pass.h"

#include <algorithm>

#include "mano/sync/sync_error.h"

namespace mano::sync {

AccountPass::AccountPass(storage::Store& store, const storage::Account& account, ServerApi& api,
                         BatchSizer& sizer, const EngineOptions& options, AccountReport& report)
    : progress_(options.progress, account.name, store.clock()),
      pass_{store, account, api, options, report, progress_},
      dicts_(store, account.name, api, report),
      expiry_(pass_),
      anchors_(pass_),
      outbox_(pass_, sizer, dicts_),
      events_(pass_),
      claims_(pass_),
      assets_(pass_) {}

void AccountPass::Run(bool* one_trip, const std::function<int64_t()>& room) {
  expiry_.ExpireOverdue();
  if (*one_trip && !Exchange(room())) *one_trip = false;
  if (!*one_trip) OneEndpointEach(room());
  if (!outbox_stopped_) outbox_.SendRest();
  if (!events_done_) events_.PullFrom(events_.Cursor());
  expiry_.ExpireOverdue();
  int64_t left = room();
  if (!claimed_) {
    if (auto claim = claims_.Wanted(left)) {
      pass_.progress.Report("claim", 0, claim->count);
      claims_.Apply(*claim, pass_.api.Claim(*claim));
      left -= Claimer::kCostEstimate * claim->count;
    }
  }
  assets_.FetchFor(claims_.OpenIds(), &left);
}

void AccountPass::OneEndpointEach(int64_t room) {
  anchors_.SendEach();
  if (pass_.options.zstd_dictionaries) dicts_.Prepare(outbox_.WaitingKinds(), &room);
}

bool AccountPass::Exchange(int64_t room) {
  SyncRequest request;
  std::vector<DueAnchor> due = anchors_.Due();
  if (due.size() > kMaxSyncAnchors) due.resize(kMaxSyncAnchors);  // the rest next pass
  for (const DueAnchor& anchor : due) request.anchors.push_back({anchor.server_id, anchor.hash});
  std::vector<std::string> kinds;
  if (pass_.options.zstd_dictionaries) {
    // Every kind's dictionary is loaded; the server is asked about the kinds not checked
    // within a day (as GET /v1/dict would be), so a steady pass carries no "dicts".
    for (const std::string& kind : outbox_.WaitingKinds()) {
      const uint32_t held = dicts_.LoadHeld(kind);
      if (request.dicts.size() < kMaxSyncDicts && dicts_.NeedsCheck(kind)) {
        request.dicts.push_back({kind, held});
      }
    }
  }
  const OutboxBatch batch = outbox_.Next();
  request.events = EventsQuery{events_.Cursor(), EventApplier::kPageLimit};
  request.claim = claims_.Wanted(room);
  const int64_t started = pass_.store.clock().MonotonicMs();
  SubmitStats stats;
  std::optional<SyncReply> reply;
  try {
    try {
      reply = pass_.api.Sync(request, batch.json, batch.sent, outbox_.DictionaryFor(batch), &stats);
    } catch (const SyncError& error) {
      // The server lost the dictionary (or never had it): forget it and send plainly now.
      if (!stats.used_dictionary || error.kind() != SyncErrorKind::kHttp ||
          error.http_status() != 400 || error.field() != "dictionary") {
        throw;
      }
      outbox_.DictionaryRefused(batch);
      stats = SubmitStats{};
      reply = pass_.api.Sync(request, batch.json, batch.sent, nullptr, &stats);
    }
  } catch (const SyncError& error) {
    if (!batch.empty()) outbox_.Failed(batch, error);
    throw;
  }
  if (!reply) {
    outbox_.Unsent(batch);
    return false;
  }
  const int64_t elapsed = pass_.store.clock().MonotonicMs() - started;
  pass_.Contact(reply->server_time);
  for (size_t i = 0; i < due.size(); ++i) anchors_.Record(due[i], reply->anchors[i], reply->server_time);
  if (!batch.empty() && !outbox_.Delivered(batch, *reply->submit, elapsed, stats)) {
    outbox_stopped_ = true;
  }
  if (request.claim) {
    claims_.Apply(*request.claim, *reply->claim);
    claimed_ = true;
  }
  events_.Apply(*reply->events);
  events_done_ = !reply->events->more || reply->events->events.empty();
  for (const KindDictionary& asked : request.dicts) {
    uint32_t published = 0;
    for (const KindDictionary& news : reply->dicts) {
      if (news.kind == asked.kind) published = news.id;
    }
    dicts_.Heard(asked.kind, published, &room);
  }
  return true;
}

std::vector<int64_t> AccountPass::ClaimNow(int count, const std::vector<std::string>& kinds) {
  return claims_.ClaimNow(count, kinds);
}

}  // namespace mano::sync
