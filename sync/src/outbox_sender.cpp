#include "outbox_sender.h"

#include <map>

#include "mano/sync/jcs.h"
#include "mano/sync/limits.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

namespace {

// Batches larger than this are not tried with a dictionary: it helps small bodies only.
constexpr size_t kDictBatchBytes = 64 << 10;

// What a batch receipt leaves out for `item`: its key, assignment and the hashes of the
// answer it carries under both canonicalization versions, from one parse of the body (not
// from content_hash, which items queued before RFC 8785 hold in version 1).
ReceiptDefaults DefaultsOf(const storage::OutboxItem& item) {
  ReceiptDefaults sent{item.idempotency_key, item.server_id, item.content_hash, item.content_hash};
  try {
    const SubmitResult result = FromJsonString<SubmitResult>(item.body, kMaxResultJsonBytes);
    sent.answer_hash = result.answer.HashFor(kCanonJcs);
    sent.answer_hash_legacy = result.answer.HashFor(kCanonLegacy);
    if (sent.assignment_id.empty()) sent.assignment_id = result.assignment_id;  // a row from before schema 4 lost its server id
  } catch (const SyncError&) {
  }
  return sent;
}

}  // namespace

OutboxSender::OutboxSender(const PassContext& pass, BatchSizer& sizer, DictCache& dicts)
    : pass_(pass), sizer_(sizer), dicts_(dicts), uploads_(pass, sizer), receipts_(pass) {}

std::set<std::string> OutboxSender::WaitingKinds() {
  std::set<std::string> kinds;
  for (const auto& item : pass_.store.PendingResults(pass_.account.name, 500)) {
    if (item.body.size() > kUploadThresholdBytes) continue;  // goes by upload, not in a batch
    if (!item.kind.empty()) kinds.insert(item.kind);
  }
  return kinds;
}

OutboxBatch OutboxSender::Next() {
  storage::Store& store = pass_.store;
  if (total_ < 0) total_ = store.OutboxStats(pass_.account.name).items;
  const auto pending = store.PendingResults(pass_.account.name, sizer_.items());
  // Each item is marked sending before any of its bytes go out; the mark is a
  // compare-and-set, so a result the worker took back meanwhile (unsubmit) is skipped. A
  // large item is marked (and uploaded) on its own; the inline ones all at once below.
  std::vector<const storage::OutboxItem*> chosen;
  std::vector<std::string> bodies;
  int64_t bytes = 0;
  for (const auto& item : pending) {
    const bool large = item.body.size() > kUploadThresholdBytes;
    if (large && RefusedForSize(item)) continue;
    if (large && !store.MarkSending(item.id)) continue;
    std::string body;
    try {
      body = large ? uploads_.Upload(item) : item.body;
    } catch (const SyncError& error) {
      // 429 upload_quota: the server holds as many of our uploads as it allows until
      // results name them. Send the batch gathered so far (that frees them) and go on;
      // this item was not delivered, so it goes back to pending.
      if (!chosen.empty() && error.http_status() == 429) {
        if (item.state == storage::OutboxState::kPending) store.MarkUnsent(item.id);
        break;
      }
      if (error.kind() == SyncErrorKind::kOffline &&
          item.state == storage::OutboxState::kPending) {
        store.MarkUnsent(item.id);
      }
      // The large items uploaded before this one stay sending: their uploads are done.
      throw;
    }
    if (!chosen.empty() && bytes + static_cast<int64_t>(body.size()) > sizer_.bytes()) break;
    bytes += static_cast<int64_t>(body.size());
    chosen.push_back(&item);
    bodies.push_back(std::move(body));
  }
  std::vector<int64_t> inline_ids;
  for (const auto* item : chosen) {
    if (item->body.size() <= kUploadThresholdBytes) inline_ids.push_back(item->id);
  }
  const std::vector<int64_t> marked = store.MarkSending(inline_ids);
  std::set<int64_t> kept(marked.begin(), marked.end());
  OutboxBatch batch;
  std::map<std::string, int> kinds;
  for (size_t i = 0; i < chosen.size(); ++i) {
    const storage::OutboxItem& item = *chosen[i];
    if (item.body.size() <= kUploadThresholdBytes && !kept.count(item.id)) continue;
    if (!batch.json.empty()) batch.json += ',';
    batch.json += bodies[i];
    batch.items.push_back(item);
    batch.sent.push_back(DefaultsOf(item));
    ++kinds[item.kind];
  }
  int most = 0;
  for (const auto& [kind, count] : kinds) {
    if (count > most) {
      batch.kind = kind;
      most = count;
    }
  }
  if (!batch.empty()) {
    pass_.progress.Report("upload", done_, total_, 0, static_cast<int64_t>(batch.json.size()));
  }
  return batch;
}

bool OutboxSender::RefusedForSize(const storage::OutboxItem& item) {
  // No server takes it (413 on every try, each pass): it goes back to the draft, once, with
  // a reason the worker reads there, and is reported in this pass.
  const std::optional<size_t> bytes = OversizeResult(item.body);
  if (!bytes) return false;
  if (pass_.store.ReturnToDraft(item.id, AnswerTooLargeReason(*bytes))) {
    ++pass_.report.results_refused;
    pass_.report.errors.push_back(ReportNote::Of(
        ReportCode::kAnswerTooLarge, {std::to_string(item.assignment_id), std::to_string(*bytes),
                                      std::to_string(kMaxUploadBytes)}));
  }
  return true;
}

const ZstdDictionary* OutboxSender::DictionaryFor(const OutboxBatch& batch) const {
  // The kind most represented (a batch may mix kinds), for batches small enough that a
  // dictionary can matter; the body goes with it only when it makes the body smaller.
  if (batch.json.size() > kDictBatchBytes) return nullptr;
  return dicts_.For(batch.kind);
}

bool OutboxSender::Delivered(const OutboxBatch& batch, const SubmitReply& reply,
                             int64_t elapsed_ms, const SubmitStats& stats) {
  sizer_.Delivered(elapsed_ms, static_cast<int64_t>(batch.json.size()));
  pass_.Contact(reply.server_time);
  if (stats.used_dictionary) {
    ++pass_.report.dict_batches;
    pass_.report.dict_bytes_saved +=
        static_cast<int64_t>(stats.without_dict_bytes) - static_cast<int64_t>(stats.body_bytes);
  }
  const bool all_good = receipts_.Apply(batch, reply);
  done_ += static_cast<int64_t>(batch.items.size());
  pass_.progress.Report("upload", done_, total_);
  return all_good;
}

void OutboxSender::Failed(const OutboxBatch& batch, const SyncError& error) {
  if (error.kind() == SyncErrorKind::kTimeout || error.kind() == SyncErrorKind::kOffline) {
    sizer_.Cut();
  }
  if (error.kind() == SyncErrorKind::kOffline) Unsent(batch);
}

void OutboxSender::Unsent(const OutboxBatch& batch) {
  for (const storage::OutboxItem& item : batch.items) {
    if (item.state == storage::OutboxState::kPending) pass_.store.MarkUnsent(item.id);
  }
}

SubmitReply OutboxSender::Submit(const OutboxBatch& batch, SubmitStats* stats) {
  const ZstdDictionary* dictionary = DictionaryFor(batch);
  try {
    return pass_.api.Submit(batch.json, batch.items.size(), dictionary, stats, &batch.sent);
  } catch (const SyncError& error) {
    // The server lost the dictionary (or never had it): forget it and send plainly now.
    if (!stats->used_dictionary || error.kind() != SyncErrorKind::kHttp ||
        error.http_status() != 400 || error.field() != "dictionary") {
      throw;
    }
    DictionaryRefused(batch);
    *stats = SubmitStats{};
    return pass_.api.Submit(batch.json, batch.items.size(), nullptr, stats, &batch.sent);
  }
}

void OutboxSender::SendRest() {
  for (;;) {
    const OutboxBatch batch = Next();
    if (batch.empty()) return;  // nothing waiting, or everything read was taken back
    const int64_t started = pass_.store.clock().MonotonicMs();
    SubmitStats stats;
    SubmitReply reply;
    try {
      reply = Submit(batch, &stats);
    } catch (const SyncError& error) {
      Failed(batch, error);
      throw;
    }
    if (!Delivered(batch, reply, pass_.store.clock().MonotonicMs() - started, stats)) return;
  }
}

}  // namespace mano::sync
