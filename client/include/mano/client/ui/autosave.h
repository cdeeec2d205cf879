// Autosave: every change to a draft reaches the disk within half a second, and typing never
// waits for the disk.
//
// SaveDebounce (pure, UI thread) decides WHEN: the first unsaved change starts a timer of
// kDelayMs; later changes do not push it back, so steady typing still saves every kDelayMs.
// AutosaveWriter (a thread with its OWN Store on the data dir) does the WRITE: Post() hands
// over the newest snapshot of a draft (content + ui_position) and returns at once; the
// thread saves it with Store::SaveCheckpoint (durable on return) and makes notify_fd()
// readable. A newer snapshot of the same draft replaces an older one not yet written.
// The first save of a claimed assignment also moves it to in_progress.
// Two windows never overwrite each other: a draft whose base version is known (SetBase, the
// version the screen loaded) is saved by compare-and-set on that version; when another
// writer (the CLI, another UI) got there first, the snapshot is kept one undo under the
// newer version (OnConflict::kKeepAside) and the draft is reported in TakeConflicts() until
// the screen reloads it and calls SetBase again.
// A failed save (disk full) keeps the snapshot in memory and is retried every kRetryMs and
// on the next Post; failing() is true until a save of every failed draft succeeds.
// Thread safety: SaveDebounce is single-threaded. AutosaveWriter's methods may be called
// from any thread; the destructor writes what is pending, then joins.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "mano/storage/store.h"

namespace mano::client::ui {

class SaveDebounce {
 public:
  static constexpr int64_t kDelayMs = 300;  // well inside the half-second promise

  void Changed(int64_t now_ms);
  bool Due(int64_t now_ms) const { return deadline_ && now_ms >= *deadline_; }
  bool dirty() const { return deadline_.has_value(); }
  std::optional<int64_t> deadline() const { return deadline_; }
  void Saved() { deadline_.reset(); }

 private:
  std::optional<int64_t> deadline_;
};

struct SaveReport {
  int64_t assignment_id = 0;
  int64_t version = 0;
  bool written = false;    // false: identical to the latest version
  std::string error;       // non-empty: the save failed (kept in memory, retried)
  bool disk_full = false;  // the failure was a full disk (StoreError::Kind::kFull)
  bool conflict = false;   // another writer saved first; the snapshot was kept one undo under
  uint64_t sequence = 0;   // how many saves finished, this one included
};

class AutosaveWriter {
 public:
  AutosaveWriter(const std::string& data_dir, storage::OpenOptions options = {});
  ~AutosaveWriter();
  AutosaveWriter(const AutosaveWriter&) = delete;
  AutosaveWriter& operator=(const AutosaveWriter&) = delete;

  // Queues a snapshot (never blocks on disk). Returns the post sequence number.
  uint64_t Post(int64_t assignment_id, std::string content, std::string ui_position);
  // Blocks until every snapshot posted so far is written (or failed).
  void Flush();
  // Readable (eventfd) after saves; read 8 bytes to clear.
  int notify_fd() const { return notify_fd_; }
  // The newest save's report (nullopt before the first).
  std::optional<SaveReport> last() const;
  // The version the screen's draft is based on (loaded, reloaded or undone to): later
  // snapshots of it are saved only on top of that version.
  void SetBase(int64_t assignment_id, int64_t version);
  // Drafts another writer changed since their base (each reported once).
  std::set<int64_t> TakeConflicts();
  // Whether `assignment_id` had such a conflict not yet taken (and takes it).
  bool TakeConflict(int64_t assignment_id);
  // The version the draft is based on (SetBase, then each save of this writer).
  std::optional<int64_t> base(int64_t assignment_id) const;
  // True while some draft's last save failed (its snapshot waits in memory).
  bool failing() const;
  // The last failure's report (error non-empty) while failing().
  std::optional<SaveReport> last_failure() const;
  static constexpr int64_t kRetryMs = 3000;

 private:
  struct Snapshot {
    std::string content;
    std::string position;
    uint64_t post = 0;
  };
  void Run();

  storage::Store store_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::map<int64_t, Snapshot> pending_;
  std::map<int64_t, Snapshot> failed_;  // retried every kRetryMs and with the next Post
  std::map<int64_t, int64_t> base_;     // assignment -> version its screen's draft is on
  std::set<int64_t> conflicts_;
  std::set<int64_t> failing_;  // drafts whose last save failed
  std::optional<SaveReport> last_failure_;
  std::set<int64_t> started_;  // assignments already moved to in_progress
  bool in_flight_ = false;
  uint64_t posted_ = 0;
  uint64_t saves_ = 0;
  std::optional<SaveReport> last_;
  bool stop_ = false;
  int notify_fd_ = -1;
  std::thread thread_;
};

}  // namespace mano::client::ui
