// TaskLock: one UI edits a task; another process sees it taken (with the holder's pid);
// the lock goes with its holder, even when the holder is killed.
#include "mano/client/ui/task_lock.h"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "child_process.h"
#include "ui_test_support.h"

using mano::client::ui::TaskLock;

TEST_CASE("task lock: another process holding a task makes it taken until it dies",
          "[ui][task_lock]") {
  mano::client::ui::test::TempDir dir;
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  auto child = mano::test::ChildProcess::Fork([&] {
    TaskLock mine(dir.path(), 7);
    char ok = mine.held() ? 'y' : 'n';
    [[maybe_unused]] auto n = ::write(ready[1], &ok, 1);
    ::pause();
    return 0;
  });
  char ok = 0;
  REQUIRE(::read(ready[0], &ok, 1) == 1);
  CHECK(ok == 'y');
  {
    TaskLock second(dir.path(), 7);
    CHECK_FALSE(second.held());
    CHECK(second.taken());
    CHECK(second.holder() == child.pid());
    TaskLock other_task(dir.path(), 8);
    CHECK(other_task.held());
  }
  child.Kill(SIGKILL);
  TaskLock after(dir.path(), 7);
  CHECK(after.held());
  CHECK_FALSE(after.taken());
  // A second screen on the same task in this process is not "another window".
  TaskLock again(dir.path(), 7);
  CHECK_FALSE(again.taken());
  ::close(ready[0]);
  ::close(ready[1]);
}
