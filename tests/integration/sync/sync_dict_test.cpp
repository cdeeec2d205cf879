// zstd dictionaries end to end (docs/PROTOCOL.md section 13): with a dictionary published by
// `manod dict train`, small batches go up dict-compressed and cost fewer bytes on the wire
// (counted by flakynet, headers included) than the same answers without it; every result
// arrives exactly once; and a server that lost its dictionaries still gets everything in the
// same pass (400 unknown dictionary -> the client forgets it and sends plainly).
#include <sqlite3.h>

#include "sync_fixture.h"

using namespace mano;

namespace {

constexpr int kTrainResults = 40;
constexpr int kMeasured = 8;

sync::EngineOptions SmallBatches(bool dictionaries) {
  auto options = test::FastEngineOptions();
  options.batch.start_items = 2;  // batches of 2: where a dictionary matters
  options.batch.max_items = 2;
  options.zstd_dictionaries = dictionaries;
  return options;
}

// Claims `count` assignments and runs a pass, so their assets are in before anything is
// measured. Returns the local ids.
std::vector<int64_t> ClaimReady(sync::SyncEngine& engine, int count) {
  const auto ids = engine.Claim("alice", count);
  REQUIRE(ids.size() == static_cast<size_t>(count));
  engine.RunPass(true, "alice");
  return ids;
}

void Queue(sync::SyncEngine& engine, const std::vector<int64_t>& ids, uint32_t first_seed,
           std::map<std::string, sync::Answer>* expected) {
  uint32_t seed = first_seed;
  for (int64_t id : ids) {
    const auto a = engine.store().GetAssignment(id);
    const sync::Answer answer = sync::SampleAnswer(a->kind, seed++);
    sync::QueueResult(engine.store(), id, answer);
    (*expected)[a->server_id] = answer;
  }
}

// Bytes both ways through flakynet during one pass that must drain the outbox.
uint64_t PassBytes(test::FlakynetProcess& net, sync::SyncEngine& engine,
                   sync::AccountReport* report) {
  const auto before = net.Stats();
  const auto pass = engine.RunPass(true, "alice");
  const auto after = net.Stats();
  REQUIRE(pass.accounts.size() == 1);
  *report = pass.accounts[0];
  INFO(report->errors.size() << " errors, first: "
                             << (report->errors.empty() ? "" : report->errors[0]));
  CHECK(report->outcome == sync::AccountOutcome::kOk);
  CHECK(engine.store().OutboxStats("alice").items == 0);
  return (after.bytes_up + after.bytes_down) - (before.bytes_up + before.bytes_down);
}

void ForgetDictionaries(const std::string& db) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  CHECK(sqlite3_exec(handle, "DELETE FROM dicts", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(handle);
}

}  // namespace

TEST_CASE(
    "small batches go up dict-compressed, smaller, exactly once; a server that lost "
    "its dictionary still gets everything",
    "[integration]") {
  const std::string dir = test::TempDir("mano-dict");
  test::ManodProcess server(
      test::ServerOptions(test::WriteTasks(dir, kTrainResults + 3 * kMeasured + 8, 0)));
  auto net = test::FlakynetProcess::ToPort(server.port(), {"--profile", "good"});
  const std::string url = "http://" + net.address();
  std::map<std::string, sync::Answer> expected;

  // Past work of the kind, for the operator to train on.
  {
    sync::SyncEngine engine(dir + "/client", SmallBatches(false));
    engine.Login("alice", url, server.Token("alice"));
    Queue(engine, ClaimReady(engine, kTrainResults), 1, &expected);
    REQUIRE(test::Drain(engine, "alice"));
  }
  std::string out;
  REQUIRE(server.Run({"dict", "train", "--db", server.db(), "--kind", "relevance"}, &out) == 0);

  // The same answers, once without and once with the dictionary.
  uint64_t without_bytes = 0, with_bytes = 0;
  {
    sync::SyncEngine engine(dir + "/client", SmallBatches(false));
    Queue(engine, ClaimReady(engine, kMeasured), 1000, &expected);
    sync::AccountReport report;
    without_bytes = PassBytes(net, engine, &report);
    CHECK(report.dict_batches == 0);
    CHECK(report.dict_fetched == 0);
    CHECK(report.results_acked == kMeasured);
  }
  {
    sync::SyncEngine engine(dir + "/client", SmallBatches(true));
    const auto ids = ClaimReady(engine, kMeasured + 1);
    // One result first: the pass fetches the dictionary (prefetch traffic) and keeps it.
    Queue(engine, {ids[0]}, 999, &expected);
    sync::AccountReport first;
    PassBytes(net, engine, &first);
    CHECK(first.dict_fetched == 1);
    CHECK(first.dict_fetch_bytes > 0);
    REQUIRE(engine.store().GetCursor("alice", "dict:relevance"));
    CHECK(engine.store().GetCursor("alice", "dict:relevance")->rfind("none", 0) != 0);

    Queue(engine, std::vector<int64_t>(ids.begin() + 1, ids.end()), 1000, &expected);
    sync::AccountReport report;
    with_bytes = PassBytes(net, engine, &report);
    CHECK(report.dict_fetched == 0);  // held in the store, not fetched again
    CHECK(report.dict_batches == kMeasured / 2);
    CHECK(report.dict_bytes_saved > 0);
    CHECK(report.results_acked == kMeasured);
  }
  INFO("bytes through flakynet for " << kMeasured << " results: " << without_bytes
                                     << " without the dictionary, " << with_bytes << " with");
  CHECK(with_bytes < without_bytes);

  // The server loses its dictionaries; the client still holds one and learns on the first
  // batch, then sends everything plainly in the same pass.
  server.Stop();
  ForgetDictionaries(server.db());
  server.Start();
  {
    sync::SyncEngine engine(dir + "/client", SmallBatches(true));
    Queue(engine, ClaimReady(engine, 6), 2000, &expected);
    sync::AccountReport report;
    PassBytes(net, engine, &report);
    CHECK(report.errors.empty());
    CHECK(report.results_acked == 6);
    CHECK(report.dict_batches == 0);
    const auto cursor = engine.store().GetCursor("alice", "dict:relevance");
    REQUIRE(cursor);
    CHECK(cursor->rfind("none", 0) == 0);
    test::CheckExactlyOnce(server, engine, "alice", expected);
  }
  std::filesystem::remove_all(dir);
}
