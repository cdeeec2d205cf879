// Exactly once under faults, through flakynet in front of the real manod. After the link
// comes back the outbox drains, `manod export` holds each result once with the answer as
// queued, the client's receipts are the server's, and the server's leases to the worker are
// exactly the client's assignments (sync_fixture.h). Each cycle claims under the fault too.
// MANO_LONG=1 makes the sweep finer and the loops longer.

#include "sync_fixture.h"

using namespace mano;
using test::FaultOptions;
using test::FaultWorld;

TEST_CASE("exactly once: random cuts under each link profile", "[integration][fault]") {
  const int seeds = test::LongRun() ? 1000 : 100;
  // Each seed queues one and may claim one under the fault: tasks for every seed, with room
  // (a fixed 400 made the long run fail at seed 400, out of tasks).
  FaultWorld world(std::max(400, 3 * seeds + 50));
  sync::SyncEngine engine(world.client_dir, FaultOptions());
  engine.Login("alice", world.url(), world.server.Token("alice"));
  const std::vector<std::string> profiles = {"good", "3g", "caracas", "damascus"};
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
    // A stalled (half-open) link costs the low-speed timeout plus curl's 5 s speed window,
    // so two seeds in a hundred stall; the others reset.
    world.net.ControlOk(std::string("set cut_mode ") + (seed % 50 == 7 ? "stall" : "reset"));
    world.net.ControlOk("cut reset");  // new connections get the new profile
    world.net.ControlOk("reset-stats");
    test::ClaimUnderFault(engine);  // a claim in every cycle, cut like the rest
    engine.RunPass(true);
    cuts += world.net.Stats().cuts;
    world.Calm();
    REQUIRE(test::Drain(engine, "alice"));
  }
  CHECK(cuts > static_cast<uint64_t>(seeds) / 4);  // the faults really were injected
  test::CheckExactlyOnce(world.server, engine, "alice", world.expected);
}
