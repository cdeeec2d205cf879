// Unit tests of SyncEngine's scheduling through the Transport seam (no sockets): offline
// is a state with a backoff deadline, a pass that is not forced waits it out, Watch sleeps
// until woken and stops on request, and the status snapshot follows. The protocol itself is
// tested against the real manod in tests/integration/sync/.
#include "mano/sync/sync_engine.h"

#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <thread>

#include "child_process.h"
#include "mano/sync/receipt_signer.h"
#include "network_namespace.h"
#include "temp_dir.h"

using namespace mano;

namespace {

// A link that is down: every request fails as unreachable, and is counted.
struct DownLink : sync::Transport {
  std::atomic<int>* count;
  explicit DownLink(std::atomic<int>* c) : count(c) {}
  sync::HttpResponse Send(const sync::HttpRequest&) override {
    ++*count;
    sync::HttpResponse response;
    response.outcome = sync::Outcome::kUnreachable;
    response.error = "The link to the test server failed: down.";
    return response;
  }
};

struct Fixture {
  test::TempDir temp_dir{"mano-engine"};
  std::string dir = temp_dir.path();
  std::atomic<int> requests{0};
  sync::EngineOptions options;
  Fixture() {
    options.TEST_transport = [this](const storage::Account&) {
      return std::make_unique<DownLink>(&requests);
    };
    options.backoff.base_ms = 60'000;
    options.backoff.min_ms = 30'000;
    options.backoff.cap_ms = 120'000;
    options.backoff.seed = 3;
    auto store = storage::Store::Open(dir);
    store.AddAccount(storage::Account{"acct", "https://tasks.example", "token",
                                      sync::ReceiptSigner::Generate().PublicKeyBase64(), "USD", 0});
  }
};

bool WaitForPasses(sync::SyncEngine& engine, int64_t passes) {
  for (int i = 0; i < 200 && engine.Snapshot().passes < passes; ++i) {
    pollfd p{engine.notify_fd(), POLLIN, 0};
    if (poll(&p, 1, 50) == 1) {
      uint64_t value;
      if (read(engine.notify_fd(), &value, sizeof value) < 0) {
      }
    }
  }
  return engine.Snapshot().passes >= passes;
}

}  // namespace

TEST_CASE("offline is a state with a backoff deadline that unforced passes respect", "[engine]") {
  Fixture f;
  sync::SyncEngine engine(f.dir, f.options);
  const int64_t before = engine.store().clock().NowMs();
  auto pass = engine.RunPass(true);
  REQUIRE(pass.accounts.size() == 1);
  CHECK(pass.accounts[0].outcome == sync::AccountOutcome::kOffline);
  CHECK(pass.accounts[0].next_retry_ms >= before + 30'000);
  CHECK_FALSE(pass.all_ok());
  const int after_first = f.requests.load();
  CHECK(after_first == 1);  // the first failure ends the account's pass

  pass = engine.RunPass(false);
  CHECK(pass.accounts[0].outcome == sync::AccountOutcome::kWaiting);
  CHECK(f.requests.load() == after_first);  // nothing sent while backing off
  CHECK(engine.NextWakeMs() > 0);
  CHECK(engine.NextWakeMs() <= 120'000);

  const auto state = engine.store().GetSyncState("acct");
  CHECK(state.offline_since_ms >= before);
  CHECK(state.backoff_step == 1);
  const auto status = engine.Snapshot();
  REQUIRE(status.accounts.size() == 1);
  CHECK_FALSE(status.accounts[0].online);
  CHECK(status.accounts[0].last_outcome == sync::AccountOutcome::kOffline);
  REQUIRE(status.accounts[0].last_error);
  CHECK(status.accounts[0].last_error->code == sync::ReportCode::kError);
  CHECK(status.accounts[0].last_error->error == sync::SyncErrorKind::kOffline);
  CHECK(status.accounts[0].last_error->detail.find("down") != std::string::npos);
}

TEST_CASE("Watch sleeps until woken, syncs on Wake, and stops on request", "[engine]") {
  Fixture f;
  sync::SyncEngine engine(f.dir, f.options);
  std::thread watcher([&] { engine.Watch(); });
  REQUIRE(WaitForPasses(engine, 1));
  const int first = f.requests.load();
  CHECK(first == 1);
  // Backing off for at least 30 s: only a Wake brings the next pass (a forced one).
  engine.Wake();
  REQUIRE(WaitForPasses(engine, 2));
  CHECK(f.requests.load() == first + 1);
  engine.RequestStop();
  watcher.join();
  CHECK(engine.stop_requested());
}

namespace {

// In a child, in a fresh user + network namespace: Watch is backing off (offline, next try
// in >= 30 s); bringing the loopback link up must start a pass at once.
// Exit codes: 0 ok, 1 no pass after the link change, kNoNamespaces (2) no namespaces here.
int ChildNetworkComesBack() {
  if (!mano::test::EnterNetworkNamespace()) return mano::test::kNoNamespaces;
  Fixture f;
  sync::SyncEngine engine(f.dir, f.options);
  std::thread watcher([&] { engine.Watch(); });
  int result = 1;
  if (WaitForPasses(engine, 1) && f.requests.load() == 1) {
    if (!mano::test::BringLoopbackUp())
      result = mano::test::kNoNamespaces;
    else if (WaitForPasses(engine, 2) && f.requests.load() >= 2)
      result = 0;
  }
  engine.RequestStop();
  watcher.join();
  return result;
}

}  // namespace

TEST_CASE("Watch syncs at once when the network comes back (netlink)", "[engine]") {
  mano::test::CheckInNetworkNamespace(ChildNetworkComesBack, "network change");
}
