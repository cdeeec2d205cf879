// Power-loss test: FaultVfs cuts the power after a random number of writes/syncs and
// then throws away every write not followed by an fsync of its file. Reopening must show
// every acknowledged checkpoint and an intact file, over many seeds.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <random>

#include "fault_vfs.h"
#include "mano/storage/sha256.h"
#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::FaultVfs;
using mano::storage::test::TempDir;

TEST_CASE("Acknowledged checkpoints survive a simulated power cut", "[fault]") {
  FaultVfs& vfs = FaultVfs::Instance();
  const bool long_run = std::getenv("MANO_LONG") && std::string(std::getenv("MANO_LONG")) == "1";
  const int seeds = long_run ? 2000 : 150;
  int cuts_during_work = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    TempDir tmp;
    int64_t id;
    OpenOptions options;
    options.TEST_vfs = FaultVfs::kName;
    options.checkpoint_keep = 1000;  // keep all: every acknowledged version is checked
    vfs.Reset();
    vfs.SetRealSync(false);
    {
      Store s = Store::Open(tmp.path(), options);
      s.AddAccount(mano::storage::test::TestAccount());
      id = s.UpsertAssignment(mano::storage::test::TestAssignment());
      s.SaveCheckpoint(id, "baseline", "");
    }
    vfs.CrashAfterOps(rng() % 400);
    std::vector<SaveResult> acked;
    std::vector<std::string> contents;
    try {
      Store s = Store::Open(tmp.path(), options);
      for (int i = 0; i < 200; ++i) {
        std::string content = "draft " + std::to_string(i) + " ";
        content.append(100 + rng() % 5000, static_cast<char>('a' + i % 26));
        SaveResult r = s.SaveCheckpoint(id, content, "");
        acked.push_back(r);
        contents.push_back(content);
        if (i % 5 == 0)
          s.SetState(id, i % 10 ? AssignmentState::kInProgress : AssignmentState::kClaimed, "t");
      }
    } catch (const StoreError&) {
      ++cuts_during_work;
    }
    REQUIRE((vfs.crashed() || acked.size() == 200));
    vfs.PowerLoss();
    vfs.Reset();
    vfs.SetRealSync(false);  // same files, no fault; skip real fsyncs for speed
    OpenOptions check_options;
    check_options.TEST_vfs = FaultVfs::kName;
    Store s = Store::Open(tmp.path(), check_options);
    REQUIRE(s.report().recovered_from.empty());
    REQUIRE(s.TEST_IntegrityCheck() == "ok");
    REQUIRE(s.VerifyJournal().ok);
    auto history = s.CheckpointHistory(id);
    REQUIRE_FALSE(history.empty());
    for (size_t i = 0; i < acked.size(); ++i) {
      bool found = false;
      for (const auto& c : history)
        if (c.version == acked[i].version) {
          found = true;
          REQUIRE(c.content == contents[i]);
        }
      REQUIRE(found);
    }
    if (!acked.empty()) REQUIRE(history.front().version >= acked.back().version);
  }
  CHECK(cuts_during_work > seeds / 2);  // most cuts landed in the middle of work
  vfs.Reset();
}
