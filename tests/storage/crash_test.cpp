// Crash test: a child process saves checkpoints in a loop and reports every acknowledged
// save on a pipe; we SIGKILL it at random moments, reopen, and check that every
// acknowledged checkpoint is there and the file is intact. 200 kills by default,
// 10,000 with MANO_LONG=1.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "mano/storage/sha256.h"
#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::TempDir;

namespace {

std::string ChildPath() {
  const char* build = std::getenv("MANO_BUILD_DIR");
  return std::string(build ? build : ".") + "/bin/storage_crash_child";
}

// Starts the child, waits until it has acknowledged `wait_acks` saves (0: none) and then
// `delay_us` more, kills it, and returns everything it reported.
std::string RunAndKill(const std::string& dir, uint32_t seed, int wait_acks, int delay_us) {
  mano::test::ChildProcess child({ChildPath(), dir, std::to_string(seed)},
                                 {.stdout_pipe = true, .keep_stderr = true});
  std::string out;
  char buf[4096];
  ssize_t n;
  while (std::count(out.begin(), out.end(), '\n') < wait_acks &&
         (n = read(child.stdout_fd(), buf, sizeof(buf))) > 0)
    out.append(buf, n);
  std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
  child.Signal(SIGKILL);
  out += child.ReadStdout();
  // Killed, or (very early) it may have failed to open: both are fine, not an exit 127.
  REQUIRE(child.Wait() != 127);
  return out;
}

}  // namespace

TEST_CASE("Every acknowledged checkpoint survives SIGKILL at random moments", "[fault]") {
  REQUIRE(access(ChildPath().c_str(), X_OK) == 0);
  const bool long_run = std::getenv("MANO_LONG") && std::string(std::getenv("MANO_LONG")) == "1";
  const int kills = long_run ? 10000 : 200;
  TempDir tmp;
  std::mt19937 rng(20261128);
  std::map<int64_t, std::string> acked;  // version -> sha256
  int64_t last_acked = 0;
  int64_t total_acks = 0;
  int64_t kills_while_saving = 0;
  for (int k = 0; k < kills; ++k) {
    // Half the kills at a random time from start (start-up, open, migration), half a
    // random moment after a random number of acknowledged saves (saves, WAL checkpoints),
    // so both kinds happen whatever the speed of the machine.
    bool after_acks = rng() % 2 == 0;
    int wait_acks = after_acks ? 1 + static_cast<int>(rng() % 20) : 0;
    int delay = static_cast<int>(rng() % (after_acks ? 10000 : 60000));
    if (after_acks) ++kills_while_saving;
    std::istringstream lines(RunAndKill(tmp.path(), rng(), wait_acks, delay));
    int64_t version;
    std::string sha;
    while (lines >> version >> sha) {
      acked[version] = sha;
      last_acked = std::max(last_acked, version);
      ++total_acks;
    }
    Store s = Store::Open(tmp.path());
    INFO("kill " << k << " after " << wait_acks << " saves + " << delay << " us");
    REQUIRE(s.report().recovered_from.empty());
    auto a = s.FindAssignment("alice", "srv-1");
    if (last_acked == 0) continue;
    REQUIRE(a);
    auto latest = s.LatestCheckpoint(a->id);
    REQUIRE(latest);
    REQUIRE(latest->version >= last_acked);
    std::map<int64_t, std::string> present;
    for (const auto& c : s.CheckpointHistory(a->id)) {
      REQUIRE(c.sha256 == Sha256Hex(c.content));
      present[c.version] = c.sha256;
    }
    // Every acknowledged version still within the kept window is there, unchanged.
    for (auto it = acked.lower_bound(latest->version - 9); it != acked.end(); ++it) {
      INFO("version " << it->first);
      REQUIRE(present.count(it->first) == 1);
      REQUIRE(present[it->first] == it->second);
    }
    if (k % 20 == 0 || k == kills - 1) {
      REQUIRE(s.TEST_IntegrityCheck() == "ok");
      REQUIRE(s.VerifyJournal().ok);
    }
  }
  INFO("acknowledged saves: " << total_acks);
  CHECK(total_acks >= kills_while_saving);  // those kills did land while saving
}
