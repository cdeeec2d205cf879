// One full sync cycle against the real manod: login (key pinned), claim with assets,
// checkpoints anchored, results submitted and acknowledged, events applied.
#include <sqlite3.h>

#include "mano/storage/database.h"
#include "sync_fixture.h"

using namespace mano;
using storage::AssignmentState;

namespace {

// Records what the engine reports (the CLI draws it on a terminal).
struct RecordingProgress : sync::ProgressSink {
  std::vector<sync::Progress> seen;
  std::vector<std::string> done;
  void OnProgress(const sync::Progress& progress) override { seen.push_back(progress); }
  void OnAccountDone(const std::string& account) override { done.push_back(account); }
};

}  // namespace

TEST_CASE("a full cycle against manod: claim, assets, anchors, submit, events", "[integration]") {
  const test::TempDir temp_dir("mano-cycle");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(test::WriteTasks(dir, 3, 2)));
  {
    RecordingProgress progress;
    auto options = test::FastEngineOptions();
    options.progress = &progress;
    sync::SyncEngine engine(dir + "/client", options);
    const auto account = engine.Login("alice", server.url(), server.Token("alice"));
    CHECK_FALSE(account.receipt_key.empty());
    CHECK(account.currency == "USD");

    const auto ids = engine.Claim("alice", 5);
    REQUIRE(ids.size() == 5);
    // A second claim call that reuses no key gets new work, never the same rows twice.
    auto pass = engine.RunPass(true);
    REQUIRE(pass.accounts.size() == 1);
    CHECK(pass.accounts[0].outcome == sync::AccountOutcome::kOk);
    CHECK(pass.accounts[0].assets >= 1);  // the bounding-box images
    CHECK(engine.store().TEST_IncompleteAssets().empty());

    std::map<std::string, sync::Answer> expected;
    uint32_t seed = 1;
    for (int64_t id : ids) {
      const auto a = engine.store().GetAssignment(id);
      REQUIRE(a);
      const sync::Answer answer = sync::SampleAnswer(a->kind, seed++);
      engine.store().SaveCheckpoint(id, answer.ToJson(), "{}");
      expected[a->server_id] = answer;
    }
    pass = engine.RunPass(true);
    CHECK(pass.accounts[0].anchors == 5);
    for (int64_t id : ids) CHECK(engine.store().ListAnchors(id).size() == 1);

    for (int64_t id : ids) {
      const auto a = engine.store().GetAssignment(id);
      sync::QueueResult(engine.store(), id, expected[a->server_id]);
    }
    pass = engine.RunPass(true);
    CHECK(pass.accounts[0].outcome == sync::AccountOutcome::kOk);
    CHECK(pass.accounts[0].results_acked == 5);
    bool upload_seen = false;
    for (const auto& p : progress.seen) {
      if (p.phase != "upload") continue;
      upload_seen = true;
      CHECK(p.account == "alice");
      CHECK(p.items_total == 5);
      CHECK(p.items_done <= p.items_total);
    }
    CHECK(upload_seen);
    CHECK(progress.done.size() >= 3);  // one per account per pass
    CHECK(pass.accounts[0].bytes_up > 0);
    CHECK(engine.store().OutboxStats("alice").items == 0);
    for (int64_t id : ids) {
      CHECK(engine.store().GetAssignment(id)->state == AssignmentState::kAccepted);
      CHECK(engine.store().GetReceipt(id)->batch_id > 0);  // manod signed each batch once
    }
    test::CheckExactlyOnce(server, engine, "alice", expected);

    // Reviews come back as events.
    const auto first = engine.store().GetAssignment(ids[0]);
    const auto second = engine.store().GetAssignment(ids[1]);
    REQUIRE(server.Run({"review", "--db", server.db(), "--approve", first->server_id}) == 0);
    REQUIRE(server.Run({"review", "--db", server.db(), "--reject", second->server_id, "--reason",
                        "the score does not match the page"}) == 0);
    pass = engine.RunPass(true);
    CHECK(pass.accounts[0].events >= 2);
    CHECK(engine.store().GetAssignment(ids[0])->state == AssignmentState::kApproved);
    CHECK(engine.store().GetAssignment(ids[1])->state == AssignmentState::kRejected);

    // Bytes were counted per day.
    const std::string today = sync::DataBudget::Day(engine.store().clock().NowMs());
    const auto used = engine.store().BytesUsed("alice", today, today);
    CHECK(used.up > 0);
    CHECK(used.down > 0);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("the data budget holds back prefetch, never results", "[integration]") {
  const test::TempDir temp_dir("mano-budget");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(test::WriteTasks(dir, 4, 0)));
  {
    auto options = test::FastEngineOptions();
    sync::SyncEngine setup(dir + "/client", options);
    setup.Login("alice", server.url(), server.Token("alice"));
    const auto ids = setup.Claim("alice", 1);
    REQUIRE(ids.size() == 1);
    sync::QueueResult(setup.store(), ids[0], sync::SampleAnswer("relevance", 2));
  }
  auto options = test::FastEngineOptions();
  options.budget.daily_bytes = 1;  // already spent by the login and the claim
  options.want[""] = sync::QueueWant{3, {}};
  sync::SyncEngine engine(dir + "/client", options);
  const auto pass = engine.RunPass(true);
  CHECK(pass.accounts[0].results_acked == 1);
  CHECK(pass.accounts[0].claimed == 0);
  CHECK(pass.accounts[0].budget_limited);
  CHECK(engine.store().OutboxStats("alice").items == 0);
}

TEST_CASE("a claim that fails to store leaves no assignment, and its replay stores them once",
          "[integration]") {
  const test::TempDir temp_dir("mano-claim-whole");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(test::WriteTasks(dir, 6, 0)));
  auto options = test::FastEngineOptions();
  options.want[""] = sync::QueueWant{3, {}};
  sync::SyncEngine engine(dir + "/client", options);
  engine.Login("alice", server.url(), server.Token("alice"));
  {
    // The disk fails on the third row the claim stores (a trigger, on another connection).
    storage::Database other(dir + "/client/" + storage::Store::kFileName, SQLITE_OPEN_READWRITE,
                            "");
    other.Exec(
        "CREATE TRIGGER boom BEFORE INSERT ON assignments "
        "WHEN (SELECT count(*) FROM assignments) = 2 "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  }
  try {
    engine.Claim("alice", 3);
    FAIL("the claim was stored despite the failing disk");
  } catch (const sync::SyncError& error) {
    CHECK(error.kind() == sync::SyncErrorKind::kStorage);
  }
  // The server leased three; the client holds none of them and keeps the claim's key.
  CHECK(test::ServerAssignments(server, "alice").size() == 3);
  storage::AssignmentFilter alice;
  alice.account = "alice";
  CHECK(engine.store().ListAssignments(alice).empty());
  const std::string key = engine.store().GetSyncState("alice").pending_claim_key;
  CHECK_FALSE(key.empty());

  storage::Database(dir + "/client/" + storage::Store::kFileName, SQLITE_OPEN_READWRITE, "")
      .Exec("DROP TRIGGER boom");
  // The next pass's prefetch replays the key: the same three, stored once, key cleared.
  const auto pass = engine.RunPass(true);
  CHECK(pass.accounts[0].claimed == 3);
  std::map<std::string, std::string> mine;
  for (const auto& a : engine.store().ListAssignments(alice)) mine[a.server_id] = a.task_id;
  CHECK(mine.size() == 3);
  test::CheckClaimedOnce(server, "alice", mine,
                         engine.store().GetSyncState("alice").pending_claim_key);
}

TEST_CASE("returning an assignment hands it back", "[integration]") {
  const test::TempDir temp_dir("mano-return");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(test::WriteTasks(dir, 2, 0)));
  sync::SyncEngine engine(dir + "/client", test::FastEngineOptions());
  engine.Login("bob", server.url(), server.Token("bob"));
  const auto ids = engine.Claim("bob", 1);
  REQUIRE(ids.size() == 1);
  engine.Return(ids[0]);
  CHECK(engine.store().GetAssignment(ids[0])->state == AssignmentState::kReturned);
}

TEST_CASE("a wrong token is refused and reported as such", "[integration]") {
  const test::TempDir temp_dir("mano-auth");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(test::WriteTasks(dir, 1, 0)));
  sync::SyncEngine engine(dir + "/client", test::FastEngineOptions());
  const std::string bad = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  try {
    engine.Login("eve", server.url(), bad);
    FAIL("login with a wrong token succeeded");
  } catch (const sync::SyncError& error) {
    CHECK(error.kind() == sync::SyncErrorKind::kAuth);
    CHECK(std::string(error.what()).find(bad) == std::string::npos);
  }
}
