// Regression: opening a second Store on a file this process already holds must not drop
// the POSIX locks of the first one. A raw open()+close() of mano.db released them, so
// another process closing its connection believed it was the last user and deleted the
// WAL, and every later save of the first Store went into a deleted file and was lost.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "child_process.h"
#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::TempDir;
using mano::storage::test::TestAccount;
using mano::storage::test::TestAssignment;

namespace {

// Runs this test program again as a separate process (fork alone would inherit SQLite's
// in-memory lock records and hide the bug) with a hidden test case that opens the store
// in `dir`, reads assignment `id`, and exits 0 only if its latest checkpoint is `want`.
int ReadInOtherProcess(const std::string& dir, int64_t id, const std::string& want) {
  mano::test::ChildProcess child({"/proc/self/exe", "[.shared_open_child]", "--success"},
                                 {.keep_stderr = true,
                                  .set_env = {{"MANO_SHARED_OPEN_DIR", dir},
                                              {"MANO_SHARED_OPEN_ID", std::to_string(id)},
                                              {"MANO_SHARED_OPEN_WANT", want}}});
  const int status = child.Wait();
  REQUIRE(status < 128);  // exited, not killed
  return status;
}

}  // namespace

TEST_CASE("child: read the latest checkpoint", "[.shared_open_child]") {
  const char* dir = std::getenv("MANO_SHARED_OPEN_DIR");
  REQUIRE(dir != nullptr);
  Store reader = Store::Open(dir);
  auto latest = reader.LatestCheckpoint(std::stoll(std::getenv("MANO_SHARED_OPEN_ID")));
  REQUIRE(latest);
  REQUIRE(latest->content == std::getenv("MANO_SHARED_OPEN_WANT"));
}

TEST_CASE("a second Store in the process keeps the first one's saves durable",
          "[store][open][regression]") {
  TempDir dir;
  Store first = Store::Open(dir.path());
  first.AddAccount(TestAccount());
  const int64_t id = first.UpsertAssignment(TestAssignment());
  REQUIRE(first.SaveCheckpoint(id, "version one", "").written);

  // Another Store of this process comes and goes (the UI has several).
  { Store second = Store::Open(dir.path()); }

  // Another process opens and closes the database.
  REQUIRE(ReadInOtherProcess(dir.path(), id, "version one") == 0);

  REQUIRE(first.SaveCheckpoint(id, "version two", "").written);

  // A fresh process must see the acknowledged save.
  REQUIRE(ReadInOtherProcess(dir.path(), id, "version two") == 0);
}

TEST_CASE("quick_check runs on the first open of a file in the process, not on the others",
          "[store][open]") {
  TempDir dir;
  {
    Store first = Store::Open(dir.path());
    CHECK(first.report().quick_checked);
    first.AddAccount(TestAccount());
    const int64_t id = first.UpsertAssignment(TestAssignment());
    {
      // The UI's autosave writer and sync engine open the same file beside the first Store.
      Store second = Store::Open(dir.path());
      CHECK_FALSE(second.report().quick_checked);
      CHECK(second.GetAssignment(id));
      REQUIRE(second.SaveCheckpoint(id, "from the second", "").written);
    }
    CHECK(first.LatestCheckpoint(id)->content == "from the second");
  }
  // Nobody holds it any more: the next open checks again.
  Store again = Store::Open(dir.path());
  CHECK(again.report().quick_checked);
  Store memory = Store::OpenFile(":memory:");
  CHECK(memory.report().quick_checked);
}
