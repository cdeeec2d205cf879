// Child process for crash_test.cpp: saves checkpoints of one assignment in a loop and
// writes "<version> <sha256>\n" to stdout after each save returned (i.e. was
// acknowledged as durable). The parent SIGKILLs it at a random moment.
//   storage_crash_child DATA_DIR SEED
#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>

#include "mano/storage/store.h"
#include "store_fixtures.h"

using namespace mano::storage;

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  std::mt19937 rng(static_cast<uint32_t>(std::stoul(argv[2])));
  Store s = Store::Open(argv[1]);
  if (!s.GetAccount("alice")) s.AddAccount(test::TestAccount());
  int64_t id = s.UpsertAssignment(test::TestAssignment());
  for (int i = 0;; ++i) {
    // Varying size (a few hundred bytes to ~6 KB) so pages split and the WAL checkpoints.
    std::string content = "save " + std::to_string(i) + " ";
    size_t n = 200 + rng() % 6000;
    while (content.size() < n) content += static_cast<char>('a' + rng() % 26);
    SaveResult r = s.SaveCheckpoint(id, content, "pos:" + std::to_string(n));
    if (i % 7 == 0) s.TEST_AddLegacyActiveTime("alice", id, 1000, true);
    std::string line = std::to_string(r.version) + " " + r.sha256 + "\n";
    if (write(1, line.data(), line.size()) != static_cast<ssize_t>(line.size())) return 1;
  }
}
