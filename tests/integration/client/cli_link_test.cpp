// The link, seen from the real `mano` (issue 20), through flakynet to the real manod:
// - the batch window is remembered per account: `mano sync`, run as separate processes,
//   starts from the window the last process left in mano.db (cursor "link.batch_bytes"), not
//   from one result; a cut during the upload halves the window, and the halved window is what
//   the next process starts from. Submits are counted at flakynet ("POST /v1/submit").
// - two accounts on one server: one `mano sync` syncs both on one connection.
#include "../sync/sync_fixture.h"
#include "mano/sync/batch_sizer.h"
#include "mano_runner.h"

using namespace mano;
using mano::test::ManoResult;
using mano::test::ManoRunner;

namespace {

// Queues an answer for every claimed assignment, as `mano submit` does (sync::QueueResult),
// in the data folder no mano process is using now. Returns how many.
int QueueClaimed(const ManoRunner& mano, uint32_t seed) {
  auto store = storage::Store::Open(mano.data_dir());
  storage::AssignmentFilter filter;
  filter.state = storage::AssignmentState::kClaimed;
  int queued = 0;
  for (const auto& assignment : store.ListAssignments(filter)) {
    sync::QueueResult(store, assignment.id, sync::SampleAnswer(assignment.kind, seed++));
    ++queued;
  }
  return queued;
}

// Claims `count` assignments with the CLI (one account) and queues an answer for each.
void QueueResults(const ManoRunner& mano, int count, uint32_t seed) {
  for (int left = count; left > 0; left -= 100) {
    const ManoResult claim =
        mano.Run({"claim", "--count", std::to_string(std::min(100, left)), "--kind", "relevance"});
    INFO(claim.err);
    REQUIRE(claim.status == 0);
  }
  REQUIRE(QueueClaimed(mano, seed) == count);
}

int64_t Window(const ManoRunner& mano) {
  auto store = storage::Store::Open(mano.data_dir());
  return sync::LoadLinkBatchBytes(store, "alice");
}

void SetWindow(const ManoRunner& mano, int64_t bytes) {
  auto store = storage::Store::Open(mano.data_dir());
  sync::SaveLinkBatchBytes(store, "alice", bytes);
}

int64_t OutboxItems(const ManoRunner& mano) {
  const ManoResult status = mano.Run({"status", "--json"});
  REQUIRE(status.status == 0);
  const auto doc = test::Json(status.out);
  int64_t items = 0;
  for (const auto& account : doc.GetArray()) items += account["outbox_items"].GetInt64();
  return items;
}

// Requests that carried results: POST /v1/sync (a pass's first batch, with everything else the
// pass sends) and POST /v1/submit (the batches after it).
template <typename Stats>
uint64_t ResultRequests(const Stats& stats) {
  return stats.Requests("POST /v1/submit") + stats.Requests("POST /v1/sync");
}

}  // namespace

TEST_CASE("mano sync starts from the window the last process left; a cut halves it",
          "[integration]") {
  test::FaultWorld world(300);  // on a good link
  ManoRunner mano;
  mano.LogIn(world.url(), "alice", world.server.Token("alice"));

  // A link never used: the window is bytes, so 30 short results go in one request (mano
  // before issue 20 sent 2, 4, 8, 16: four submits).
  QueueResults(mano, 30, 1);
  world.net.ControlOk("reset-stats");
  REQUIRE(mano.Run({"sync"}).status == 0);
  CHECK(ResultRequests(world.net.Stats()) == 1);
  CHECK(Window(mano) == sync::BatchSizerOptions{}.start_bytes);
  CHECK(OutboxItems(mano) == 0);

  // The store remembers a small window (a link that carried 1 KiB): the next process starts
  // there, so the same 30 results take several submits.
  SetWindow(mano, 1024);
  QueueResults(mano, 30, 100);
  world.net.ControlOk("reset-stats");
  REQUIRE(mano.Run({"sync"}).status == 0);
  CHECK(ResultRequests(world.net.Stats()) >= 2);
  const int64_t grown = Window(mano);
  CHECK(grown > 1024);  // full batches went through quickly: the window the next one gets
  CHECK(OutboxItems(mano) == 0);

  // A cut during the upload halves the window, and that is what is stored. Each connection
  // is cut after 600 bytes up: the pass's first request is the submit (no anchors are due,
  // the dictionary was looked up by the first sync): 200 results, about 1,000 bytes.
  SetWindow(mano, 64 << 10);
  QueueResults(mano, 200, 1000);
  world.net.ControlOk("reset-stats");
  world.net.ControlOk("set cut_after_up 600");
  mano.Run({"sync"});
  const auto cut = world.net.Stats();
  INFO(world.net.Control("stats"));
  CHECK(cut.cuts >= 1);
  CHECK(ResultRequests(cut) == 1);
  CHECK(Window(mano) == 32 << 10);
  CHECK(OutboxItems(mano) == 200);

  // The link is good again: everything drains, from the halved window.
  world.net.ControlOk("set cut_after_up 0");
  world.net.ControlOk("reset-stats");
  REQUIRE(mano.Run({"sync"}).status == 0);
  CHECK(OutboxItems(mano) == 0);
  CHECK(ResultRequests(world.net.Stats()) >= 1);
}

TEST_CASE("one mano sync of two accounts on one server opens one connection", "[integration]") {
  test::FaultWorld world(20);  // on a good link
  ManoRunner mano;
  for (const std::string worker : {"alice", "bob"}) {
    mano.LogIn(world.url(), worker, world.server.Token(worker));
    REQUIRE(mano.Run({"claim", "--count", "2", "--account", worker}).status == 0);
  }
  REQUIRE(QueueClaimed(mano, 7) == 4);
  world.net.ControlOk("reset-stats");
  const ManoResult sync = mano.Run({"sync"});
  INFO(sync.err);
  REQUIRE(sync.status == 0);
  const auto stats = world.net.Stats();
  CHECK(ResultRequests(stats) == 2);  // one per account...
  CHECK(stats.connections == 1);                   // ...on one connection (before: one each)
  CHECK(OutboxItems(mano) == 0);
}
