// The operator's views: `manod status` and `manod assignments` against a serving manod whose
// leases were made, submitted, approved, returned and left to expire over real HTTP.
#include "manod_fixture.h"

using namespace mano::test;

namespace {

std::string RunOk(ManodProcess& server, std::vector<std::string> args) {
  args.insert(args.begin() + 1,
              {"--db", server.db(), "--test-clock-file", server.dir() + "/clock"});
  std::string out, err;
  INFO(args[0] << ": " << err);
  REQUIRE(server.Run(args, &out, &err) == 0);
  return out;
}

// assignment id -> state, from `assignments --json`.
std::map<std::string, std::string> States(ManodProcess& server, const std::string& worker) {
  std::vector<std::string> args = {"assignments", "--json"};
  if (!worker.empty()) args.insert(args.end(), {"--worker", worker});
  mano::sync::JsonDocument doc(RunOk(server, args));
  std::map<std::string, std::string> states;
  for (size_t i = 0; i < doc.Root().Size(); ++i) {
    const auto row = doc.Root().At(i);
    CHECK(row.Str("kind") == "relevance");
    CHECK(row.IntOf("deadline") > row.IntOf("leased_at"));
    if (!worker.empty()) CHECK(row.Str("worker") == worker);
    states[row.Str("id")] = row.Str("state");
  }
  return states;
}

}  // namespace

TEST_CASE("manod status and assignments: per kind, per worker, expired leases") {
  ManodProcess server;  // the samples: three relevance tasks, three assignments each
  Client alice{Http(server.url()), server.Token("alice")};
  Client bob{Http(server.url()), server.Token("bob")};
  const auto mine = alice.Claim("alice-key-1", 2, "relevance");
  REQUIRE(mine.assignments.size() == 2);
  const auto theirs = bob.Claim("bob-key-1", 1, "relevance");
  REQUIRE(theirs.assignments.size() == 1);
  const std::string done = mine.assignments[0].id, handed_back = mine.assignments[1].id;
  const std::string lapsing = theirs.assignments[0].id;

  CHECK(States(server, "alice") ==
        std::map<std::string, std::string>{{done, "leased"}, {handed_back, "leased"}});
  alice.SubmitOne(done, 3);
  REQUIRE(alice.Return(handed_back).status == 200);
  REQUIRE(server.Run({"review", "--db", server.db(), "--approve", done}) == 0);
  server.AdvanceClock(int64_t{30} * 24 * 3600 * 1000);  // bob's lease runs out

  CHECK(States(server, "alice") ==
        std::map<std::string, std::string>{{done, "approved"}, {handed_back, "returned"}});
  CHECK(States(server, "bob") == std::map<std::string, std::string>{{lapsing, "expired"}});
  CHECK(States(server, "").size() == 3);
  CHECK(States(server, "nobody").empty());

  mano::sync::JsonDocument status(RunOk(server, {"status", "--json"}));
  const auto kinds = status.Root().Member("kinds");
  bool seen = false;
  for (size_t i = 0; i < kinds.Size(); ++i) {
    const auto k = kinds.At(i);
    if (k.Str("kind") != "relevance") {
      CHECK(k.IntOf("leased") == 0);
      CHECK(k.IntOf("open") == k.IntOf("tasks"));
      continue;
    }
    seen = true;
    CHECK(k.IntOf("tasks") == 3);
    CHECK(k.IntOf("open") == 3);  // one result of three on one task, the rest expired/returned
    CHECK(k.IntOf("leased") == 0);
    CHECK(k.IntOf("expired") == 1);
    CHECK(k.IntOf("approved") == 1);
    CHECK(k.IntOf("submitted") == 0);
    CHECK(k.IntOf("returned") == 1);
  }
  CHECK(seen);
  const auto workers = status.Root().Member("workers");
  REQUIRE(workers.Size() == 2);
  CHECK(workers.At(0).Str("name") == "alice");
  CHECK(workers.At(0).IntOf("approved") == 1);
  CHECK(workers.At(0).IntOf("leased") == 0);
  CHECK(workers.At(1).Str("name") == "bob");
  CHECK(workers.At(1).IntOf("expired") == 1);

  // The tables an operator reads.
  const std::string table = RunOk(server, {"status"});
  CHECK(table.find("relevance") != std::string::npos);
  CHECK(table.find("WORKER") != std::string::npos);
  const std::string rows = RunOk(server, {"assignments", "--worker", "bob"});
  CHECK(rows.find(lapsing) != std::string::npos);
  CHECK(rows.find("expired") != std::string::npos);
  std::string err;
  CHECK(server.Run({"status", "--db", server.dir() + "/missing.db"}, nullptr, &err) == 1);
  CHECK(err.find("manod init") != std::string::npos);
}
