#include "account_pass.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <map>
#include <set>

#include "mano/storage/sha256.h"
#include "mano/sync/assignment_outcome.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/jcs.h"
#include "mano/sync/limits.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

using storage::AssignmentState;

namespace {

// The hash of the answer an outbox item carries under canonicalization version `cv`. Taken
// from the body, not from content_hash, which items queued before RFC 8785 hold in version 1.
std::string SentHash(const storage::OutboxItem& item, int cv) {
  try {
    return FromJsonString<SubmitResult>(item.body).answer.HashFor(cv);
  } catch (const SyncError&) {
    return item.content_hash;
  }
}

// Batches larger than this are not tried with a dictionary: it helps small bodies only.
constexpr size_t kDictBatchBytes = 64 << 10;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// An idempotency key for a claim: 16 bytes from the system's CSPRNG (libsodium, like tokens),
// base64url (22 chars, a valid id).
std::string NewClaimKey() { return "c" + Base64UrlEncode(RandomBytes(16)); }

// RAII for the asset file descriptor.
class File {
 public:
  explicit File(const std::string& path)
      : fd_(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {}
  ~File() {
    if (fd_ >= 0) close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

std::string FileSha256(int fd) {
  storage::Sha256 hash;
  char buffer[65536];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = pread(fd, buffer, sizeof buffer, offset);
    if (n <= 0) break;
    hash.Update(std::string_view(buffer, static_cast<size_t>(n)));
    offset += n;
  }
  const auto digest = hash.Finish();
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace

AccountPass::AccountPass(storage::Store& store, const storage::Account& account, ServerApi& api,
                         BatchSizer& sizer, const EngineOptions& options, AccountReport& report)
    : store_(store),
      account_(account),
      api_(api),
      verifier_(ReceiptVerifier::FromBase64(account.receipt_key)),
      sizer_(sizer),
      options_(options),
      report_(report),
      dicts_(store, account.name, api, report) {}

void AccountPass::Contact(int64_t server_time_ms) {
  if (server_time_ms > 0) store_.RecordServerContact(account_.name, server_time_ms);
}

void AccountPass::ReportProgress(const char* phase, int64_t done, int64_t total, int64_t bytes,
                                 int64_t bytes_total) {
  if (!options_.progress) return;
  if (phase_ != phase) {  // a new phase: rate and time left are measured from here
    phase_ = phase;
    phase_started_ms_ = SteadyMs();
  }
  Progress progress;
  progress.account = account_.name;
  progress.phase = phase;
  progress.items_done = done;
  progress.items_total = total;
  progress.bytes_done = bytes;
  progress.bytes_total = bytes_total;
  const int64_t elapsed = SteadyMs() - phase_started_ms_;
  if (elapsed > 0 && bytes > 0) {
    progress.rate_bytes_per_s = bytes * 1000 / elapsed;
    if (bytes_total > bytes && progress.rate_bytes_per_s > 0) {
      progress.eta_ms = (bytes_total - bytes) * 1000 / progress.rate_bytes_per_s;
    }
  } else if (elapsed > 0 && done > 0 && total > done) {
    progress.eta_ms = (total - done) * elapsed / done;
  }
  options_.progress->OnProgress(progress);
}

void AccountPass::ExpireOverdue() {
  const auto now = store_.ServerNow(account_.name);
  if (!now) return;
  // The lean listing: ids and deadlines of the open rows, no payload (the Store may not be
  // used while it reads, so the overdue ids are collected first).
  std::vector<int64_t> overdue;
  store_.ForEachAssignmentSummary(
      LeanListing({AssignmentState::kClaimed, AssignmentState::kInProgress}),
      [&](const storage::AssignmentSummary& assignment) {
        if (assignment.deadline_server_ms > 0 && assignment.deadline_server_ms < *now) {
          overdue.push_back(assignment.id);
        }
      });
  for (const int64_t id : overdue) {
    store_.SetState(id, AssignmentState::kExpired, "deadline passed (server time); work kept");
    ++report_.expired;
  }
}

void AccountPass::SendAnchors() {
  const auto now = store_.ServerNow(account_.name);
  // Rows with work (open, expired or queued) and a near or passed deadline, without payload.
  struct Near {
    int64_t id;
    std::string server_id;
    AssignmentState state;
  };
  std::vector<Near> near;
  store_.ForEachAssignmentSummary(
      LeanListing({AssignmentState::kClaimed, AssignmentState::kInProgress,
                   AssignmentState::kExpired, AssignmentState::kQueued}),
      [&](const storage::AssignmentSummary& assignment) {
        if (!now || assignment.deadline_server_ms - *now <= options_.anchor_window_ms) {
          near.push_back(Near{assignment.id, assignment.server_id, assignment.state});
        }
      });
  std::vector<std::pair<Near, std::string>> due;
  for (auto& assignment : near) {
    const auto checkpoint = store_.LatestCheckpoint(assignment.id);
    if (!checkpoint) continue;
    const std::string h = checkpoint->sha256.substr(0, 32);
    const auto anchors = store_.ListAnchors(assignment.id);
    if (!anchors.empty() && anchors.back().checkpoint_hash == h) continue;
    due.emplace_back(std::move(assignment), h);
  }
  int done = 0;
  for (const auto& [assignment, h] : due) {
    ReportProgress("anchors", done, static_cast<int64_t>(due.size()));
    try {
      const AnchorReply reply = api_.Anchor(AnchorRequest{assignment.server_id, h});
      Contact(reply.server_time);
      store_.RecordAnchor(assignment.id, h, reply.server_time, reply.deadline);
      ++report_.anchors;
    } catch (const SyncError& error) {
      // The server refused this one (returned, submitted, revoked): note it and go on.
      if (error.kind() != SyncErrorKind::kHttp || error.http_status() >= 500 ||
          error.http_status() == 429) {
        throw;
      }
      // A queued result may already be on the server (its receipt lost in a cut): the
      // server then refuses the anchor, and the submit that follows sorts it out.
      if (assignment.state != AssignmentState::kQueued) {
        ReportNote note = ReportNote::FromError(error);
        note.code = ReportCode::kAnchorRefused;
        note.args = {std::to_string(assignment.id), std::to_string(error.http_status())};
        report_.errors.push_back(std::move(note));
      }
    }
    ++done;
  }
}

std::string AccountPass::UploadLarge(const storage::OutboxItem& item) {
  SubmitResult result = FromJsonString<SubmitResult>(item.body);
  const std::string bytes = result.answer.ToJson();
  const int64_t length = static_cast<int64_t>(bytes.size());
  std::string path = item.upload_url;
  int64_t offset = 0;
  if (!path.empty()) {
    try {
      offset = api_.UploadOffset(path);
    } catch (const SyncError& error) {
      if (error.kind() != SyncErrorKind::kHttp || error.http_status() != 404) throw;
      path.clear();  // the server forgot it: start a new upload
    }
  }
  if (path.empty()) {
    path = api_.CreateUpload(length);
    offset = 0;
    store_.SetUploadState(item.id, path, 0);
  }
  // Chunks follow the link like batches do: small after a cut, doubling while they go
  // through quickly, so a link that drops every few kB still makes progress.
  while (offset < length) {
    ReportProgress("upload", 0, 1, offset, length);
    const int64_t n =
        std::min(std::clamp<int64_t>(sizer_.bytes(), 4 << 10, 1 << 20), length - offset);
    const int64_t started = SteadyMs();
    int64_t next = 0;
    try {
      next = api_.PatchUpload(path, offset, std::string_view(bytes).substr(offset, n));
    } catch (const SyncError& error) {
      if (error.kind() == SyncErrorKind::kTimeout || error.kind() == SyncErrorKind::kOffline) {
        sizer_.Cut();
      }
      throw;
    }
    sizer_.Delivered(SteadyMs() - started);
    if (next <= offset || next > length) {
      throw SyncError(SyncErrorKind::kBadMessage, "The server's upload offset went from " +
                                                      std::to_string(offset) + " to " +
                                                      std::to_string(next) + ".");
    }
    offset = next;
    store_.SetUploadState(item.id, path, offset);
  }
  SubmitResult small;
  small.assignment_id = result.assignment_id;
  small.key = result.key;
  small.upload_id = path.substr(path.rfind('/') + 1);
  return ToJsonString(small);
}

void AccountPass::PrepareDictionaries(int64_t room) {
  std::set<std::string> kinds;
  for (const auto& item : store_.PendingResults(account_.name, 500)) {
    if (item.body.size() > kUploadThresholdBytes) continue;  // goes by upload, not in a batch
    if (const auto assignment = store_.GetAssignment(item.assignment_id)) {
      kinds.insert(assignment->kind);
    }
  }
  dicts_.Prepare(kinds, &room);
}

SubmitReply AccountPass::SubmitBatch(const std::vector<const storage::OutboxItem*>& batch,
                                     const std::string& json) {
  // The dictionary of the kind most represented (a batch may mix kinds), for batches small
  // enough that a dictionary can matter; Submit sends it only when it makes the body smaller.
  const ZstdDictionary* dictionary = nullptr;
  std::string kind;
  if (json.size() <= kDictBatchBytes) {
    std::map<std::string, int> count;
    for (const auto* item : batch) {
      if (const auto assignment = store_.GetAssignment(item->assignment_id)) {
        ++count[assignment->kind];
      }
    }
    int most = 0;
    for (const auto& [k, n] : count) {
      if (n > most) {
        kind = k;
        most = n;
      }
    }
    dictionary = dicts_.For(kind);
  }
  // What batch receipts leave out, to fill in from the results sent.
  std::vector<ReceiptDefaults> sent;
  for (const auto* item : batch) {
    sent.push_back(ReceiptDefaults{item->idempotency_key, JsonDocument(item->body).Root().IdOf("a"),
                                   SentHash(*item, kCanonJcs), SentHash(*item, kCanonLegacy)});
  }
  SubmitStats stats;
  try {
    SubmitReply reply = api_.Submit(json, batch.size(), dictionary, &stats, &sent);
    if (stats.used_dictionary) {
      ++report_.dict_batches;
      report_.dict_bytes_saved +=
          static_cast<int64_t>(stats.without_dict_bytes) - static_cast<int64_t>(stats.body_bytes);
    }
    return reply;
  } catch (const SyncError& error) {
    // The server lost the dictionary (or never had it): forget it and send plainly now.
    if (!stats.used_dictionary || error.kind() != SyncErrorKind::kHttp ||
        error.http_status() != 400 || error.field() != "dictionary") {
      throw;
    }
    dicts_.Drop(kind);
    return api_.Submit(json, batch.size(), nullptr, nullptr, &sent);
  }
}

void AccountPass::UploadOutbox() {
  const int64_t total = store_.OutboxStats(account_.name).items;
  int64_t done = 0;
  for (;;) {
    const auto pending = store_.PendingResults(account_.name, sizer_.items());
    if (pending.empty()) return;
    std::vector<const storage::OutboxItem*> batch;
    std::string json;
    int64_t bytes = 0;
    // Each item is marked sending before any of its bytes go out; the mark is a
    // compare-and-set, so a result the worker took back meanwhile (unsubmit) is skipped.
    // When the server was not reached at all, items no earlier attempt may have delivered go
    // back to pending (they can still be taken back).
    auto unreached = [&](const SyncError& error, const auto& items) {
      if (error.kind() != SyncErrorKind::kOffline) return;
      for (const storage::OutboxItem* item : items) {
        if (item->state == storage::OutboxState::kPending) store_.MarkUnsent(item->id);
      }
    };
    for (const auto& item : pending) {
      const bool large = item.body.size() > kUploadThresholdBytes;
      if (large && !store_.MarkSending(item.id)) continue;
      std::string body;
      try {
        body = large ? UploadLarge(item) : item.body;
      } catch (const SyncError& error) {
        // 429 upload_quota: the server holds as many of our uploads as it allows until
        // results name them. Send the batch gathered so far (that frees them) and go on;
        // this item was not delivered, so it goes back to pending.
        if (!batch.empty() && error.http_status() == 429) {
          if (item.state == storage::OutboxState::kPending) store_.MarkUnsent(item.id);
          break;
        }
        unreached(error, std::vector<const storage::OutboxItem*>{&item});
        throw;
      }
      if (!batch.empty() && bytes + static_cast<int64_t>(body.size()) > sizer_.bytes()) break;
      if (!large && !store_.MarkSending(item.id)) continue;
      if (!json.empty()) json += ',';
      json += body;
      bytes += static_cast<int64_t>(body.size());
      batch.push_back(&item);
    }
    if (batch.empty()) return;  // everything read was taken back
    ReportProgress("upload", done, total, 0, bytes);
    const int64_t started = SteadyMs();
    SubmitReply reply;
    try {
      reply = SubmitBatch(batch, json);
    } catch (const SyncError& error) {
      if (error.kind() == SyncErrorKind::kTimeout || error.kind() == SyncErrorKind::kOffline) {
        sizer_.Cut();
      }
      unreached(error, batch);
      throw;
    }
    sizer_.Delivered(SteadyMs() - started);
    Contact(reply.server_time);
    report_.results_sent += static_cast<int>(batch.size());
    // A batch signature covers every receipt: when it fails, none is acknowledged.
    storage::ReceiptBatch signed_batch;
    if (!reply.sig.empty()) {
      signed_batch.canonical = CanonicalBatchBytes(reply.receipts);
      signed_batch.signature = reply.sig;
      if (!verifier_.VerifyBatch(signed_batch.canonical, reply.sig)) {
        const std::string n = std::to_string(batch.size());
        report_.bad_signatures += static_cast<int>(batch.size());
        report_.errors.push_back(ReportNote::Of(ReportCode::kBatchBadSignature, {n}));
        return;
      }
    }
    std::vector<storage::Receipt> good;
    for (size_t i = 0; i < batch.size(); ++i) {
      const Receipt& receipt = reply.receipts[i];
      const storage::OutboxItem& item = *batch[i];
      if (receipt.key != item.idempotency_key) {
        throw SyncError(SyncErrorKind::kBadMessage,
                        "Receipt " + std::to_string(i) + " names key " + receipt.key + " where " +
                            item.idempotency_key + " was sent.",
                        "receipts[" + std::to_string(i) + "].k");
      }
      if (reply.sig.empty() && !verifier_.Verify(receipt)) {
        ++report_.bad_signatures;
        report_.errors.push_back(
            ReportNote::Of(ReportCode::kReceiptBadSignature, {item.idempotency_key}));
        continue;
      }
      const bool positive = receipt.status == ReceiptStatus::kAccepted ||
                            receipt.status == ReceiptStatus::kDuplicate ||
                            receipt.status == ReceiptStatus::kLateAccepted;
      if (positive && receipt.answer_hash != SentHash(item, receipt.canonical_version)) {
        report_.errors.push_back(
            ReportNote::Of(ReportCode::kReceiptOtherContent, {item.idempotency_key}));
        continue;
      }
      if (positive) {
        ++report_.results_acked;
      } else {
        ++report_.results_refused;
        report_.errors.push_back(ReportNote::Of(
            ReportCode::kResultRefused,
            {item.idempotency_key, ReceiptStatusName(receipt.status), receipt.error}));
      }
      good.push_back(storage::Receipt{receipt.key, ReceiptStatusName(receipt.status),
                                      receipt.server_time, receipt.sig, receipt.ToJson(), 0, 0,
                                      StateAfterReceipt(receipt.status), receipt.error});
    }
    if (reply.sig.empty()) {
      store_.ApplyReceipts(account_.name, good);
    } else {
      store_.ApplyReceipts(account_.name, good, signed_batch);
    }
    done += static_cast<int64_t>(batch.size());
    ReportProgress("upload", done, total);
    // Items left unacknowledged (bad signature) would come back at once: stop this pass.
    if (good.size() < batch.size()) return;
  }
}

void AccountPass::PullEvents() {
  std::string cursor = store_.GetCursor(account_.name, storage::Store::kEventsCursor).value_or("");
  for (int page = 0; page < 1000; ++page) {
    const EventsReply reply = api_.Events(cursor, 200);
    Contact(reply.server_time);
    std::vector<storage::Event> events;
    for (const Event& event : reply.events) {
      events.push_back(storage::Event{event.seq, EventTypeName(event.type), event.assignment_id,
                                      ToJsonString(event), event.server_time});
    }
    report_.events += store_.ApplyEvents(account_.name, events, reply.cursor);
    for (const Event& event : reply.events) {
      if (event.assignment_id.empty()) continue;
      const auto assignment = store_.FindAssignment(account_.name, event.assignment_id);
      if (!assignment) continue;
      const auto to = StateAfterEvent(event.type, assignment->state);
      if (!to) continue;
      // The journal says who decided (a rejection's reason, as before); the reason shown on
      // the task is the server's, as given.
      std::string why = "approved by the requester";
      if (event.type == EventType::kRejected) why = event.reason;
      if (event.type == EventType::kRevoked) why = "lease revoked by the server; work kept";
      if (event.type == EventType::kWithdrawn) why = "task withdrawn by the requester";
      store_.SetState(assignment->id, *to, why, event.reason);
    }
    cursor = reply.cursor;
    if (!reply.more || reply.events.empty()) return;
  }
}

std::vector<int64_t> AccountPass::ClaimNow(int count, const std::vector<std::string>& kinds) {
  ClaimRequest request;
  // Durable before the request goes out; a key left by a lost reply is reused.
  request.key = store_.BeginClaim(account_.name, NewClaimKey());
  request.count = std::clamp<int64_t>(count, 1, kMaxClaimCount);
  request.kinds = kinds;
  ReportProgress("claim", 0, request.count);
  const ClaimReply reply = api_.Claim(request);
  Contact(reply.server_time);
  std::vector<int64_t> ids;
  const int64_t now = store_.clock().NowMs();
  for (const Assignment& server : reply.assignments) {
    storage::Assignment local;
    local.account = account_.name;
    local.server_id = server.id;
    local.task_id = server.task;
    local.kind = server.kind;
    local.title = server.form.title;
    local.payload = server.ToJson();
    JsonOut assets;
    assets.StartArray();
    for (const AssetRef& ref : server.assets) ref.Write(assets);
    assets.EndArray();
    local.assets = assets.Take();
    local.deadline_server_ms = server.deadline;
    local.reward_micros = server.reward;
    local.currency = server.currency;
    local.claimed_at_ms = now;
    ids.push_back(store_.UpsertAssignment(local));
  }
  store_.EndClaim(account_.name, request.key);
  report_.claimed += static_cast<int>(ids.size());
  return ids;
}

void AccountPass::DownloadAsset(const AssetRef& ref, int64_t* room, AssetRoom& disk,
                                int64_t task_bytes, const std::string& assignment) {
  auto asset = store_.GetAsset(ref.hash);
  if (!asset) asset = store_.RecordAsset(ref.hash, ref.size);
  if (asset->complete()) return;
  const int64_t remaining = ref.size - asset->bytes_present;
  if (remaining > *room) {
    report_.budget_limited = true;
    return;
  }
  AssetRefusal refusal;
  refusal.assignment = assignment;
  refusal.hash = ref.hash;
  if (!disk.Allows(task_bytes, remaining, &refusal)) {
    report_.asset_refusals.push_back(refusal);
    return;
  }
  mkdir(store_.AssetsDir().c_str(), 0700);
  File file(asset->path);
  if (file.fd() < 0) {
    throw SyncError(SyncErrorKind::kStorage, "Cannot write the asset file " + asset->path + ".");
  }
  int64_t offset = asset->bytes_present;
  if (ftruncate(file.fd(), offset) != 0) offset = 0;
  int64_t written = 0;
  int64_t reported = 0;
  bool too_long = false;
  bool no_room = false;  // the folder cap or the disk reserve stopped it
  auto sink = [&](std::string_view chunk) {
    if (offset + written + static_cast<int64_t>(chunk.size()) > ref.size) {
      too_long = true;
      return false;
    }
    if (pwrite(file.fd(), chunk.data(), chunk.size(), offset + written) !=
        static_cast<ssize_t>(chunk.size())) {
      return false;
    }
    written += static_cast<int64_t>(chunk.size());
    if (!disk.Wrote(static_cast<int64_t>(chunk.size()), &refusal)) {
      no_room = true;
      return false;
    }
    if (written - reported >= (64 << 10)) {
      reported = written;
      ReportProgress("assets", report_.assets, 0, offset + written, ref.size);
    }
    return true;
  };
  auto keep = [&] {  // what arrived stays, so the next attempt resumes from there
    fdatasync(file.fd());
    store_.SetAssetBytes(ref.hash, offset + written);
    *room -= written;
  };
  bool ranged = false;
  try {
    ranged = api_.GetAsset(ref.hash, offset, sink);
  } catch (const SyncError&) {
    if (!too_long && !no_room) {
      keep();
      throw;
    }
  }
  if (no_room) {
    // The partial file goes: the room is the drafts' (the pass goes on to other work).
    unlink(asset->path.c_str());
    disk.Freed(offset + written);
    store_.SetAssetBytes(ref.hash, 0);
    *room -= written;
    report_.asset_refusals.push_back(refusal);
    return;
  }
  if (!ranged || too_long) {
    // The server ignored the Range (or sent too much): start again from zero next time.
    if (ftruncate(file.fd(), 0) != 0) {
    }
    store_.SetAssetBytes(ref.hash, 0);
    *room -= written;
    report_.errors.push_back(
        ReportNote::Of(ReportCode::kAssetResumeFailed, {ref.hash.substr(0, 12)}));
    return;
  }
  keep();
  if (offset + written < ref.size) return;  // ended early without an error: next time
  if (FileSha256(file.fd()) != ref.hash) {
    if (ftruncate(file.fd(), 0) != 0) {
    }
    store_.SetAssetBytes(ref.hash, 0);
    report_.errors.push_back(ReportNote::Of(ReportCode::kAssetDamaged, {ref.hash.substr(0, 12)}));
    return;
  }
  ++report_.assets;
}

void AccountPass::Prefetch(int64_t room) {
  auto want = options_.want.find(account_.name);
  if (want == options_.want.end()) want = options_.want.find("");
  const storage::SyncState state = store_.GetSyncState(account_.name);
  // Only ids from the lean listing; a task's payload is read (to find its assets) for one
  // open assignment at a time, so 10,000 cached rows never sit in memory together.
  const auto open_ids = [this] {
    std::vector<int64_t> ids;
    store_.ForEachAssignmentSummary(
        LeanListing({AssignmentState::kClaimed, AssignmentState::kInProgress}),
        [&ids](const storage::AssignmentSummary& a) { ids.push_back(a.id); });
    return ids;
  };
  std::vector<int64_t> ids = open_ids();
  const int open = static_cast<int>(ids.size());
  constexpr int64_t kClaimCostEstimate = 4096;  // bytes per claimed assignment, on the wire
  const int need = want == options_.want.end() ? 0 : want->second.count - open;
  if (!state.pending_claim_key.empty() || need > 0) {
    const int count = std::max(need, 1);
    if (room < kClaimCostEstimate * count) {
      report_.budget_limited = true;
    } else {
      ClaimNow(count,
               want == options_.want.end() ? std::vector<std::string>{} : want->second.kinds);
      room -= kClaimCostEstimate * count;
      ids = open_ids();
    }
  }
  AssetRoom disk(store_.AssetsDir(), options_.assets);
  for (const int64_t id : ids) {
    const auto assignment = store_.GetAssignment(id);
    if (!assignment) continue;
    const Assignment server = ServerAssignmentOf(*assignment);
    int64_t task_bytes = 0;
    for (const AssetRef& ref : server.assets) {  // saturating: sizes come from the server
      task_bytes += std::min(std::max<int64_t>(0, ref.size), INT64_MAX - task_bytes);
    }
    for (const AssetRef& ref : server.assets) {
      DownloadAsset(ref, &room, disk, task_bytes, server.id);
    }
  }
}

storage::ListingQuery AccountPass::LeanListing(std::vector<AssignmentState> states) const {
  storage::ListingQuery query;
  query.account = account_.name;
  query.states = std::move(states);
  query.with_title = false;
  return query;
}

}  // namespace mano::sync
