// TaskLock: one terminal UI at a time edits a task. Opening a task takes an flock(2) on
// <data_dir>/open-tasks/<id> and writes the process id into it; a second UI that finds the
// lock taken opens the task read-only and names the process holding it. The kernel drops
// the lock when its holder exits or is killed, so a lock never goes stale.
// (flock, not fcntl: fcntl locks are per process and closing any descriptor of the file
// drops them; flock locks belong to this open file description alone.)
// Not thread-safe; one per open task screen.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace mano::client::ui {

class TaskLock {
 public:
  // Takes the lock when no other process holds it. Never throws: a folder that cannot be
  // written (disk full, read-only) leaves the lock neither held nor taken.
  TaskLock(const std::string& data_dir, int64_t assignment_id);
  ~TaskLock();
  TaskLock(const TaskLock&) = delete;
  TaskLock& operator=(const TaskLock&) = delete;

  bool held() const { return fd_ >= 0; }
  // Another process has the task open.
  bool taken() const { return taken_; }
  // The process holding the lock when taken() (0 when unknown).
  pid_t holder() const { return holder_; }

 private:
  int fd_ = -1;
  bool taken_ = false;
  pid_t holder_ = 0;
};

}  // namespace mano::client::ui
