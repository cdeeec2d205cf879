// Exactly once under faults, through flakynet in front of the real manod: a sweep of cuts at
// every Nth byte of each direction, random cuts under each named profile, SIGKILL of a
// process in the middle of a sync pass, and manod killed and restarted during a pass. After
// the link comes back the outbox drains, `manod export` holds each result once with the
// answer as queued, and the client's receipts are the server's (sync_fixture.h).
// MANO_LONG=1 makes every sweep finer and every loop longer.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "sync_fixture.h"

using namespace mano;
using storage::AssignmentState;

namespace {

struct World {
  std::string dir = test::TempDir("mano-faults");
  test::ManodProcess server;
  test::FlakynetProcess net;
  std::string client_dir = dir + "/client";
  std::map<std::string, sync::Answer> expected;
  uint32_t seed = 1;

  explicit World(int tasks)
      : server(test::ServerOptions(test::WriteTasks(dir, tasks, 0))),
        net(test::FlakynetProcess::ToPort(server.port(), {"--profile", "good", "--seed", "7"})) {}
  ~World() { std::filesystem::remove_all(dir); }

  std::string url() const { return "http://" + net.address(); }

  void Calm() {
    net.ControlOk("profile good");
    net.ControlOk("set cut_after_up 0");
    net.ControlOk("set cut_after_down 0");
    net.ControlOk("set cut_chance 0");
    net.ControlOk("cut reset");  // connections opened under the fault keep its limits
  }

  // Takes an open assignment (claiming one if none, with the link calm), checkpoints and
  // queues a fresh answer for it.
  void QueueOne(sync::SyncEngine& engine) {
    storage::AssignmentFilter filter;
    filter.account = "alice";
    filter.state = AssignmentState::kClaimed;
    auto open = engine.store().ListAssignments(filter);
    int64_t id = 0;
    if (open.empty()) {
      const auto ids = engine.Claim("alice", 1);
      REQUIRE(ids.size() == 1);
      id = ids[0];
    } else {
      id = open.front().id;
    }
    const auto a = engine.store().GetAssignment(id);
    const sync::Answer answer = sync::SampleAnswer(a->kind, seed++);
    engine.store().SaveCheckpoint(id, answer.ToJson(), "{}");
    sync::QueueResult(engine.store(), id, answer);
    expected[a->server_id] = answer;
  }
};

sync::EngineOptions FaultOptions() {
  auto options = test::FastEngineOptions();
  options.want[""] = sync::QueueWant{2, {}};  // prefetch claims run under the faults too
  options.batch.start_items = 2;
  return options;
}

}  // namespace

TEST_CASE("exactly once: a cut at every Nth byte of each direction", "[integration][fault]") {
  World world(400);
  sync::SyncEngine engine(world.client_dir, FaultOptions());
  engine.Login("alice", world.url(), world.server.Token("alice"));
  const int step = test::LongRun() ? 7 : 97;
  int cuts = 0;
  for (const char* knob : {"cut_after_up", "cut_after_down"}) {
    for (int n = 1; n < 2600; n += step) {
      INFO(knob << " " << n);
      world.QueueOne(engine);
      world.QueueOne(engine);
      world.net.ControlOk(std::string("set ") + knob + " " + std::to_string(n));
      world.net.ControlOk("cut reset");  // limits apply to new connections: drop the old one
      world.net.ControlOk("reset-stats");
      engine.RunPass(true);
      cuts += static_cast<int>(world.net.Stats().cuts > 0);
      world.Calm();
      REQUIRE(test::Drain(engine, "alice"));
    }
  }
  INFO("passes cut by the limit: " << cuts);
  CHECK(cuts > 10);  // the faults really were injected
  test::CheckExactlyOnce(world.server, engine, "alice", world.expected);
}

TEST_CASE("exactly once: random cuts under each link profile", "[integration][fault]") {
  World world(400);
  sync::SyncEngine engine(world.client_dir, FaultOptions());
  engine.Login("alice", world.url(), world.server.Token("alice"));
  const int seeds = test::LongRun() ? 1000 : 100;
  const std::vector<std::string> profiles = {"good", "3g", "caracas", "damascus"};
  std::mt19937 rng(2026);
  uint64_t cuts = 0;
  for (int seed = 0; seed < seeds; ++seed) {
    const std::string& profile = profiles[seed % profiles.size()];
    INFO("seed " << seed << " profile " << profile);
    world.QueueOne(engine);
    world.net.ControlOk("profile " + profile);
    if (!test::LongRun()) {
      // The profile's rate and cut pattern, its latency scaled down and its minute-scale
      // blackouts off, so 100 seeds take seconds (MANO_LONG=1 plays the profile as is).
      world.net.ControlOk("set delay_up 3");
      world.net.ControlOk("set delay_down 3");
      world.net.ControlOk("set blackout_every_max 0");
    }
    world.net.ControlOk("set cut_chance 0.6");
    world.net.ControlOk("set cut_min 1");
    world.net.ControlOk("set cut_max 3000");
    // A stalled (half-open) link costs the low-speed timeout; keep it to one seed in ten.
    world.net.ControlOk(std::string("set cut_mode ") + (rng() % 10 == 0 ? "stall" : "reset"));
    world.net.ControlOk("cut reset");  // new connections get the new profile
    world.net.ControlOk("reset-stats");
    engine.RunPass(true);
    engine.RunPass(true);
    cuts += world.net.Stats().cuts;
    world.Calm();
    REQUIRE(test::Drain(engine, "alice"));
  }
  CHECK(cuts > static_cast<uint64_t>(seeds) / 4);  // the faults really were injected
  test::CheckExactlyOnce(world.server, engine, "alice", world.expected);
}

TEST_CASE("exactly once: a sync process killed with SIGKILL at random moments",
          "[integration][fault]") {
  World world(200);
  {
    sync::SyncEngine engine(world.client_dir, FaultOptions());
    engine.Login("alice", world.url(), world.server.Token("alice"));
  }
  // Slow the link a little so a pass lasts long enough to be killed inside.
  world.net.ControlOk("set delay_up 4");
  world.net.ControlOk("set delay_down 4");
  const int kills = test::LongRun() ? 300 : 30;
  std::mt19937 rng(99);
  int killed_mid_pass = 0;
  for (int i = 0; i < kills; ++i) {
    {
      sync::SyncEngine engine(world.client_dir, FaultOptions());
      world.QueueOne(engine);
      world.QueueOne(engine);
    }
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        sync::SyncEngine engine(world.client_dir, FaultOptions());
        engine.RunPass(true);
      } catch (...) {
        _exit(3);
      }
      _exit(0);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 60'000));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    killed_mid_pass += WIFSIGNALED(status) ? 1 : 0;
    if (WIFEXITED(status)) CHECK(WEXITSTATUS(status) == 0);
  }
  CHECK(killed_mid_pass > 0);
  world.net.ControlOk("set delay_up 0");
  world.net.ControlOk("set delay_down 0");
  sync::SyncEngine engine(world.client_dir, FaultOptions());
  REQUIRE(test::Drain(engine, "alice"));
  CHECK(engine.store().IntegrityCheck() == "ok");
  test::CheckExactlyOnce(world.server, engine, "alice", world.expected);
}

TEST_CASE("exactly once: manod killed and restarted during a pass", "[integration][fault]") {
  World world(200);
  sync::SyncEngine engine(world.client_dir, FaultOptions());
  engine.Login("alice", world.url(), world.server.Token("alice"));
  world.net.ControlOk("set delay_up 3");
  world.net.ControlOk("set delay_down 3");
  std::mt19937 rng(5);
  const int rounds = test::LongRun() ? 40 : 5;
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
