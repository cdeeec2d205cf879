// Exactly once under faults, through flakynet in front of the real manod. After the link
// comes back the outbox drains, `manod export` holds each result once with the answer as
// queued, and the client's receipts are the server's (sync_fixture.h).
// MANO_LONG=1 makes the sweep finer and the loops longer.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <thread>

#include "child_process.h"
#include "sync_fixture.h"

using namespace mano;
using storage::AssignmentState;
using test::FaultOptions;
using test::FaultWorld;

TEST_CASE("exactly once: a sync process killed with SIGKILL at random moments",
          "[integration][fault]") {
  const int kills = test::LongRun() ? 300 : 30;
  // Tasks for every cycle (one queued, one more if a killed claim brought an extra back).
  FaultWorld world(std::max(200, 2 * kills + 50));
  {
    sync::SyncEngine engine(world.client_dir, FaultOptions());
    engine.Login("alice", world.url(), world.server.Token("alice"));
  }
  // Slow the link a little so a pass lasts long enough to be killed inside.
  world.net.ControlOk("set delay_up 4");
  world.net.ControlOk("set delay_down 4");
  std::mt19937 rng(99);
  int killed_mid_pass = 0;
  for (int i = 0; i < kills; ++i) {
    {
      sync::SyncEngine engine(world.client_dir, FaultOptions());
      world.QueueOne(engine);
      world.QueueOne(engine);
    }
    auto child = mano::test::ChildProcess::Fork([&] {
      sync::SyncEngine engine(world.client_dir, FaultOptions());
      engine.RunPass(true);
      return 0;  // an exception exits 3
    });
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 60'000));
    const int status = child.Kill(SIGKILL);
    killed_mid_pass += status == 128 + SIGKILL ? 1 : 0;
    if (status != 128 + SIGKILL) CHECK(status == 0);
  }
  CHECK(killed_mid_pass > 0);
  world.net.ControlOk("set delay_up 0");
  world.net.ControlOk("set delay_down 0");
  sync::SyncEngine engine(world.client_dir, FaultOptions());
  REQUIRE(test::Drain(engine, "alice"));
  CHECK(engine.store().TEST_IntegrityCheck() == "ok");
  test::CheckExactlyOnce(world.server, engine, "alice", world.expected);
}

TEST_CASE("exactly once: manod killed and restarted during a pass", "[integration][fault]") {
  const int rounds = test::LongRun() ? 40 : 5;
  FaultWorld world(std::max(200, 2 * 6 * rounds + 50));  // six queued a round, with room
  sync::SyncEngine engine(world.client_dir, FaultOptions());
  engine.Login("alice", world.url(), world.server.Token("alice"));
  world.net.ControlOk("set delay_up 3");
  world.net.ControlOk("set delay_down 3");
  std::mt19937 rng(5);
  for (int round = 0; round < rounds; ++round) {
    for (int i = 0; i < 6; ++i) world.QueueOne(engine);
    const int delay_us = static_cast<int>(rng() % 40'000);
    std::thread killer([&] {
      std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
      world.server.Kill();
    });
    engine.RunPass(true);
    killer.join();
    const auto down = engine.RunPass(true);  // the server is gone: offline, nothing lost
    CHECK(down.accounts[0].outcome == sync::AccountOutcome::kOffline);
    world.server.Start();
    REQUIRE(test::Drain(engine, "alice"));
  }
  test::CheckExactlyOnce(world.server, engine, "alice", world.expected);
}
