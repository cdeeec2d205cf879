// Writes the fixture database for the current schema version:
//   storage_make_fixture tests/storage/fixtures/v<N>.db
// Run it once whenever the schema moves (and commit the file) so the migration test can
// open every earlier version. The content is fixed; open_test.cpp checks it.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "mano/storage/store.h"
#include "store_fixtures.h"

using namespace mano::storage;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT.db\n", argv[0]);
    return 2;
  }
  std::filesystem::remove(argv[1]);
  {
    auto clock = std::make_shared<ManualClock>(1'790'000'000'000);
    OpenOptions options;
    options.clock = clock;
    Store s = Store::OpenFile(argv[1], options);
    s.AddAccount(test::TestAccount("alice"));
    Assignment first = test::TestAssignment("alice", "fixture-1");
    first.title = "Fixture one";  // the title column (issue 19)
    int64_t id = s.UpsertAssignment(first);
    s.SaveCheckpoint(id, "first draft", "text:11");
    s.SaveCheckpoint(id, "second draft", "text:12");
    s.SetState(id, AssignmentState::kInProgress, "fixture");
    s.EnqueueResult(id, "fixture-key", "result-body", "result-hash");
    s.ApplyEvents("alice", {{1, "review", "fixture-1", "{}", 1'790'000'000'500}}, "c1");
    s.RecordServerContact("alice", 1'790'000'001'000);
    s.TEST_AddLegacyActiveTime("alice", id, 42'000, true);
    // Schema 2: a result acknowledged by a receipt of a signed batch.
    int64_t done = s.UpsertAssignment(test::TestAssignment("alice", "fixture-2"));
    s.EnqueueResult(done, "fixture-key-2", "result-body-2", "result-hash-2");
    s.ApplyReceipts("alice", {{"fixture-key-2", "accepted", 1'790'000'002'000, "", "{raw}", 0, 0,
                                     AssignmentState::kAccepted, ""}},
                    ReceiptBatch{0, "alice", "batch-bytes\n", "batch-signature", 0});
    // Schema 3: a result refused as late, with the server's words; a revoked lease; the
    // worker the account's token belongs to; a refused token.
    int64_t late = s.UpsertAssignment(test::TestAssignment("alice", "fixture-3"));
    s.EnqueueResult(late, "fixture-key-3", "result-body-3", "result-hash-3");
    s.ApplyReceipts("alice", {{"fixture-key-3", "late_refused", 1'790'000'003'000, "sig", "{raw3}",
                               0, 0, AssignmentState::kLateRefused, "after the deadline"}});
    int64_t revoked = s.UpsertAssignment(test::TestAssignment("alice", "fixture-4"));
    s.SetState(revoked, AssignmentState::kRevoked, "fixture", "duplicate work");
    Account alice = *s.GetAccount("alice");
    alice.worker = "w-alice";
    s.UpdateAccount(alice);
    SyncState state = s.GetSyncState("alice");
    state.auth_refused_ms = 1'790'000'004'000;
    s.PutSyncState("alice", state);
  }
  std::printf("wrote %s (schema %d)\n", argv[1], Store::kSchemaVersion);
  return 0;
}
