// Disk full and read-only file system, injected by FaultVfs: a clear error naming the
// path, the last durable checkpoint intact, the same Store usable again once the fault
// clears.
#include <catch2/catch.hpp>

#include "fault_vfs.h"
#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::FaultVfs;
using mano::storage::test::TempDir;

namespace {

Store OpenFaulty(const TempDir& tmp) {
  OpenOptions options;
  options.TEST_vfs = FaultVfs::kName;
  Store s = Store::Open(tmp.path(), options);
  if (!s.GetAccount("alice")) s.AddAccount(mano::storage::test::TestAccount());
  return s;
}

// FaultVfs with every fault cleared.
FaultVfs& ResetVfs() {
  FaultVfs& vfs = FaultVfs::Instance();
  vfs.Reset();
  return vfs;
}

// A store on FaultVfs (no fault yet) holding one assignment `id` whose draft is "good draft".
struct FaultyStore {
  FaultVfs& vfs = ResetVfs();
  TempDir tmp;
  Store s = OpenFaulty(tmp);
  int64_t id = s.UpsertAssignment(mano::storage::test::TestAssignment());
  FaultyStore() { s.SaveCheckpoint(id, "good draft", "p"); }
};

}  // namespace

TEST_CASE_METHOD(FaultyStore, "Disk full: clear error, last checkpoint intact, retry succeeds",
                 "[fault]") {
  // Budgets from nothing to enough for part of a save: every failure must be clean.
  for (int64_t budget : {0, 1, 100, 4096, 5000, 9000, 20000}) {
    INFO("budget " << budget);
    vfs.SetWriteBudget(budget);
    bool failed = false;
    try {
      s.SaveCheckpoint(id, std::string(30000, 'x') + std::to_string(budget), "q");
    } catch (const StoreError& e) {
      failed = true;
      CHECK(e.kind() == StoreError::Kind::kFull);
      CHECK(std::string(e.what()).find(s.path()) != std::string::npos);
      CHECK(e.path() == s.path());
    }
    CHECK(failed);
    CHECK(s.LatestCheckpoint(id)->content == "good draft");
    vfs.SetWriteBudget(-1);
    CHECK(s.TEST_IntegrityCheck() == "ok");
  }
  auto r = s.SaveCheckpoint(id, "after space was freed", "r");
  CHECK(r.written);
  CHECK(s.LatestCheckpoint(id)->content == "after space was freed");
  vfs.Reset();
  Store reopened = Store::Open(tmp.path());
  CHECK(reopened.LatestCheckpoint(id)->content == "after space was freed");
}

TEST_CASE_METHOD(FaultyStore, "Read-only file system: clear error, data intact, retry succeeds",
                 "[fault]") {
  vfs.SetReadOnly(true);
  try {
    s.SaveCheckpoint(id, "cannot land", "q");
    FAIL("write on a read-only file system succeeded");
  } catch (const StoreError& e) {
    INFO(e.what());
    CHECK(e.kind() == StoreError::Kind::kReadOnly);
    CHECK(std::string(e.what()).find(s.path()) != std::string::npos);
  }
  CHECK(s.LatestCheckpoint(id)->content == "good draft");
  vfs.SetReadOnly(false);
  CHECK(s.SaveCheckpoint(id, "landed later", "r").written);
  vfs.Reset();
}

TEST_CASE("Opening a new database on a read-only file system names the path", "[fault]") {
  FaultVfs& vfs = FaultVfs::Instance();
  vfs.Reset();
  TempDir tmp;
  vfs.SetReadOnly(true);
  OpenOptions options;
  options.TEST_vfs = FaultVfs::kName;
  try {
    Store::Open(tmp.File("sub"), options);
    FAIL("open on a read-only file system succeeded");
  } catch (const StoreError& e) {
    CHECK(e.kind() == StoreError::Kind::kReadOnly);
    CHECK(std::string(e.what()).find(tmp.File("sub")) != std::string::npos);
  }
  vfs.Reset();
}

TEST_CASE("Disk full at open: a read-only open still reads and writes nothing", "[fault]") {
  FaultVfs& vfs = FaultVfs::Instance();
  vfs.Reset();
  TempDir tmp;
  int64_t id;
  {
    Store s = OpenFaulty(tmp);
    id = s.UpsertAssignment(mano::storage::test::TestAssignment());
    s.SaveCheckpoint(id, "the draft", "p");
  }
  vfs.SetWriteBudget(0);
  OpenOptions options;
  options.TEST_vfs = FaultVfs::kName;
  try {
    Store::Open(tmp.path(), options);
    FAIL("a writable open on a full disk succeeded");
  } catch (const StoreError& e) {
    CHECK(e.kind() == StoreError::Kind::kFull);
  }
  options.read_only = true;
  Store ro = Store::Open(tmp.path(), options);
  CHECK(ro.report().read_only);
  CHECK(ro.LatestCheckpoint(id)->content == "the draft");
  CHECK(ro.GetAccount("alice"));
  try {
    ro.SaveCheckpoint(id, "cannot land", "q");
    FAIL("a read-only store wrote");
  } catch (const StoreError& e) {
    CHECK(e.kind() == StoreError::Kind::kReadOnly);
  }
  vfs.Reset();
}
