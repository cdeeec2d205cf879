// Exactly once under faults, through flakynet in front of the real manod. After the link
// comes back the outbox drains, `manod export` holds each result once with the answer as
// queued, the client's receipts are the server's, and the server's leases to the worker are
// exactly the client's assignments (sync_fixture.h). Each cycle claims under the fault too.
// MANO_LONG=1 makes the sweep finer and the loops longer.
#include "sync_fixture.h"

using namespace mano;
using test::FaultOptions;
using test::FaultWorld;

TEST_CASE("exactly once: a cut at every Nth byte of each direction", "[integration][fault]") {
  const int step = test::LongRun() ? 7 : 97;
  // Each cycle queues two and claims one under the fault: tasks for every cycle, with room.
  const int cycles = 2 * ((2600 - 1 + step - 1) / step);
  FaultWorld world(std::max(400, 4 * cycles + 50));
  sync::SyncEngine engine(world.client_dir, FaultOptions());
  engine.Login("alice", world.url(), world.server.Token("alice"));
  int cuts = 0;
  for (const char* knob : {"cut_after_up", "cut_after_down"}) {
    for (int n = 1; n < 2600; n += step) {
      INFO(knob << " " << n);
      world.QueueOne(engine);
      world.QueueOne(engine);
      world.net.ControlOk(std::string("set ") + knob + " " + std::to_string(n));
      world.net.ControlOk("cut reset");  // limits apply to new connections: drop the old one
      world.net.ControlOk("reset-stats");
      test::ClaimUnderFault(engine);  // a claim in every cycle, cut like the rest
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
