// Offline behaviour against the real manod: leases that end while the link is down, an
// unreachable server that must not hold up other accounts, and backoff that does not hammer
// a server that is unreachable (requests counted by flakynet during a blackout).
#include <poll.h>
#include <unistd.h>

#include <functional>
#include <thread>

#include "mano/storage/clock.h"
#include "sync_fixture.h"

using namespace mano;
using storage::AssignmentState;

namespace {

// Waits (poll on the engine's notify fd) until `done` holds; false after `ms`.
bool WaitFor(sync::SyncEngine& engine, const std::function<bool()>& done, int ms) {
  for (int waited = 0; waited < ms; waited += 50) {
    if (done()) return true;
    pollfd p{engine.notify_fd(), POLLIN, 0};
    if (poll(&p, 1, 50) == 1) {
      uint64_t value;
      if (read(engine.notify_fd(), &value, sizeof value) < 0) {
      }
    }
  }
  return done();
}

}  // namespace

TEST_CASE("a lease that ends while offline: expired, work kept, sent late with its anchor",
          "[integration]") {
  const test::TempDir temp_dir("mano-lease");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(test::WriteTasks(dir, 3, 0, 60'000)));
  auto clock = std::make_shared<storage::ManualClock>();
  auto options = test::FastEngineOptions();
  options.store.clock = clock;
  {
    sync::SyncEngine engine(dir + "/client", options);
    engine.Login("alice", server.url(), server.Token("alice"));
    const auto ids = engine.Claim("alice", 2);
    REQUIRE(ids.size() == 2);
    const int64_t anchored = ids[0], unanchored = ids[1];
    const auto a = *engine.store().GetAssignment(anchored);
    const auto b = *engine.store().GetAssignment(unanchored);
    const sync::Answer answer_a = sync::SampleAnswer("relevance", 1);
    const sync::Answer answer_b = sync::SampleAnswer("relevance", 2);
    engine.store().SaveCheckpoint(anchored, answer_a.ToJson(), "{}");
    auto pass = engine.RunPass(true);
    REQUIRE(pass.accounts[0].anchors == 1);

    // The link goes down; two minutes pass on both clocks; the 60 s leases end.
    server.Kill();
    clock->Advance(120'000);
    server.AdvanceClock(120'000);
    pass = engine.RunPass(true);
    CHECK(pass.accounts[0].outcome == sync::AccountOutcome::kOffline);
    CHECK(pass.accounts[0].expired == 2);
    CHECK(engine.store().GetAssignment(anchored)->state == AssignmentState::kExpired);
    CHECK(engine.store().GetAssignment(unanchored)->state == AssignmentState::kExpired);
    const auto kept = engine.store().LatestCheckpoint(anchored);
    REQUIRE(kept);
    CHECK(kept->content == answer_a.ToJson());

    // The worker finishes both anyway (offline), and the link comes back.
    engine.store().SaveCheckpoint(unanchored, answer_b.ToJson(), "{}");
    sync::QueueResult(engine.store(), anchored, answer_a);
    sync::QueueResult(engine.store(), unanchored, answer_b);
    server.Start();
    REQUIRE(test::Drain(engine, "alice"));
    const auto receipt_a = engine.store().GetReceipt(anchored);
    const auto receipt_b = engine.store().GetReceipt(unanchored);
    REQUIRE(receipt_a);
    REQUIRE(receipt_b);
    CHECK(receipt_a->status == "late_accepted");  // anchored before its deadline
    CHECK(receipt_b->status == "late_refused");   // no anchor: the policy refuses it
    const auto exported = test::ExportedAnswers(server);
    REQUIRE(exported.count(a.server_id) == 1);
    CHECK(exported.at(a.server_id) == std::vector<std::string>{answer_a.ToJson()});
    CHECK(exported.count(b.server_id) == 0);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("an unreachable server does not hold up the other accounts", "[integration]") {
  const test::TempDir temp_dir("mano-accounts");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(test::WriteTasks(dir, 4, 0)));
  test::ManodProcess other(test::ServerOptions(test::WriteTasks(dir, 1, 0)));
  auto net = test::FlakynetProcess::ToPort(other.port(), {"--profile", "good"});
  sync::SyncEngine engine(dir + "/client", test::FastEngineOptions());
  engine.Login("alice", server.url(), server.Token("alice"));
  engine.Login("far", "http://" + net.address(), other.Token("alice"));
  const auto ids = engine.Claim("alice", 1);
  REQUIRE(ids.size() == 1);
  const sync::Answer answer = sync::SampleAnswer("relevance", 9);
  sync::QueueResult(engine.store(), ids[0], answer);
  // The far server's link goes silent: connections open but no byte moves.
  net.ControlOk("cut stall");
  net.ControlOk("blackout 600000");
  const auto pass = engine.RunPass(true);
  REQUIRE(pass.accounts.size() == 2);
  for (const auto& report : pass.accounts) {
    INFO(report.account);
    if (report.account == "alice") {
      CHECK(report.outcome == sync::AccountOutcome::kOk);
      CHECK(report.results_acked == 1);
    } else {
      CHECK(report.outcome == sync::AccountOutcome::kOffline);
      CHECK(report.next_retry_ms > 0);
      CHECK_FALSE(report.errors.empty());
    }
  }
  const auto status = engine.Snapshot();
  REQUIRE(status.accounts.size() == 2);
  for (const auto& account : status.accounts) {
    CHECK(account.online == (account.account == "alice"));
  }
  test::CheckExactlyOnce(server, engine, "alice",
                         {{engine.store().GetAssignment(ids[0])->server_id, answer}});
}

TEST_CASE("backoff does not hammer a server that is unreachable", "[integration][fault]") {
  const test::TempDir temp_dir("mano-hammer");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(test::WriteTasks(dir, 2, 0)));
  auto net = test::FlakynetProcess::ToPort(server.port(), {"--profile", "good"});
  auto options = test::FastEngineOptions();
  options.backoff = sync::BackoffOptions{};  // the schedule a worker gets, not a test's
  options.backoff.seed = 5;
  options.idle_poll_ms = 600'000;
  sync::SyncEngine engine(dir + "/client", options);
  engine.Login("alice", "http://" + net.address(), server.Token("alice"));

  std::thread watcher([&] { engine.Watch(); });
  REQUIRE(WaitFor(
      engine, [&] { return engine.Snapshot().passes >= 1; }, 10'000));

  // Every connection is refused for the blackout; the engine is told to sync at once.
  // The figure: a minute without the server (the test sleeps, it uses no CPU).
  const int64_t blackout_ms = 60'000;
  net.ControlOk("set blackout_mode refuse");
  net.ControlOk("cut reset");
  net.ControlOk("reset-stats");
  net.ControlOk("blackout " + std::to_string(blackout_ms));
  engine.Wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(blackout_ms));
  const auto stats = net.Stats();
  engine.RequestStop();
  watcher.join();

  // The most attempts the backoff schedule allows in that time, replayed from the same
  // seed (the engine seeds each account with seed + hash(name)): the first attempt, then
  // one after each delay while the delays still fit in the blackout. Time spent inside
  // failed requests only lowers the count.
  sync::BackoffOptions replay = options.backoff;
  replay.seed += std::hash<std::string>{}("alice");
  sync::Backoff schedule(replay);
  uint64_t allowed = 1;
  for (int64_t t = schedule.Fail(); t <= blackout_ms; t += schedule.Fail()) ++allowed;
  INFO("connections during the blackout: " << stats.connections << ", allowed " << allowed);
  CHECK(stats.connections >= 1);
  CHECK(stats.connections <= allowed + 1);  // +1: an attempt just as the blackout ends
  const auto status = engine.Snapshot();
  REQUIRE(status.accounts.size() == 1);
  CHECK_FALSE(status.accounts[0].online);
  CHECK(status.accounts[0].next_retry_ms > 0);
}
