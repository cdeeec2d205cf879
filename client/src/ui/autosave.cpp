#include "mano/client/ui/autosave.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <utility>

namespace mano::client::ui {

void SaveDebounce::Changed(int64_t now_ms) {
  if (!deadline_) deadline_ = now_ms + kDelayMs;
}

AutosaveWriter::AutosaveWriter(const std::string& data_dir, storage::OpenOptions options)
    : store_(storage::Store::Open(data_dir, std::move(options))) {
  notify_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  thread_ = std::thread([this] { Run(); });
}

AutosaveWriter::~AutosaveWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (notify_fd_ >= 0) ::close(notify_fd_);
}

uint64_t AutosaveWriter::Post(int64_t assignment_id, std::string content, std::string ui_position) {
  uint64_t seq;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    seq = ++posted_;
    pending_[assignment_id] = Snapshot{std::move(content), std::move(ui_position), seq};
    // Drafts whose save failed get another chance now (unless just replaced).
    for (auto& [id, snap] : failed_) pending_.try_emplace(id, std::move(snap));
    failed_.clear();
  }
  wake_.notify_one();
  return seq;
}

void AutosaveWriter::Flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return (pending_.empty() && !in_flight_) || stop_; });
}

std::optional<SaveReport> AutosaveWriter::last() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_;
}

void AutosaveWriter::SetBase(int64_t assignment_id, int64_t version) {
  std::lock_guard<std::mutex> lock(mutex_);
  base_[assignment_id] = version;
  conflicts_.erase(assignment_id);
}

std::set<int64_t> AutosaveWriter::TakeConflicts() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::exchange(conflicts_, {});
}

bool AutosaveWriter::TakeConflict(int64_t assignment_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return conflicts_.erase(assignment_id) > 0;
}

std::optional<int64_t> AutosaveWriter::base(int64_t assignment_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = base_.find(assignment_id);
  if (it == base_.end()) return std::nullopt;
  return it->second;
}

bool AutosaveWriter::failing() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return !failing_.empty();
}

std::optional<SaveReport> AutosaveWriter::last_failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failing_.empty()) return std::nullopt;
  return last_failure_;
}

void AutosaveWriter::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    auto ready = [&] { return stop_ || !pending_.empty(); };
    if (failed_.empty()) {
      wake_.wait(lock, ready);
    } else if (!wake_.wait_for(lock, std::chrono::milliseconds(kRetryMs), ready)) {
      // Still failing (disk full?): try again without waiting for another change.
      for (auto& [id, snap] : failed_) pending_.try_emplace(id, std::move(snap));
      failed_.clear();
    }
    if (pending_.empty() && stop_) return;
    auto it = pending_.begin();
    int64_t id = it->first;
    Snapshot snap = std::move(it->second);
    pending_.erase(it);
    in_flight_ = true;
    bool first = started_.insert(id).second;
    std::optional<int64_t> base;
    if (auto b = base_.find(id); b != base_.end()) base = b->second;
    lock.unlock();

    SaveReport report;
    report.assignment_id = id;
    try {
      auto result = base ? store_.SaveCheckpoint(id, snap.content, snap.position, *base,
                                                 storage::OnConflict::kKeepAside)
                         : store_.SaveCheckpoint(id, snap.content, snap.position);
      report.version = result.version;
      report.written = result.written;
      report.conflict = result.conflict;
      if (first) {
        auto a = store_.GetAssignment(id);
        if (a && a->state == storage::AssignmentState::kClaimed) {
          store_.SetState(id, storage::AssignmentState::kInProgress, "draft saved");
        }
      }
    } catch (const storage::StoreError& e) {
      report.error = e.what();
      report.disk_full = e.kind() == storage::StoreError::Kind::kFull;
    } catch (const std::exception& e) {
      report.error = e.what();
    }

    lock.lock();
    in_flight_ = false;
    if (!report.error.empty()) {
      started_.erase(id);
      failed_.try_emplace(id, std::move(snap));
      last_failure_ = report;
      failing_.insert(id);
    } else if (report.conflict) {
      conflicts_.insert(id);  // the base stays: later stale snapshots are kept aside too
    } else if (base) {
      base_[id] = report.version;
    }
    if (report.error.empty()) failing_.erase(id);
    report.sequence = ++saves_;
    last_ = report;
    done_.notify_all();
    uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(notify_fd_, &one, sizeof one);
  }
}

}  // namespace mano::client::ui
