// States tell the truth (issue 11), end to end: the real `mano` against a real manod. A
// result refused as late is `late_refused` (never "acknowledged"), with the server's words; a
// revoked lease and a withdrawn task say so with the reason given; a revoked token is its
// own state in `mano sync` and `mano status` (exit 4) with the login that fixes it; a login
// with another worker's token for an existing account is refused unless --replace-identity.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "cli_json.h"
#include "logged_in_world.h"
#include "mano_runner.h"
#include "manod_process.h"

using namespace mano::test;

namespace {

// Two one-field tasks with a one-minute lease: "late-1" refuses late results, "keep-1" and
// "keep-2" accept them.
std::string WriteTasks(const std::string& dir) {
  const std::string path = dir + "/tasks.jsonl";
  std::ofstream out(path);
  for (const char* line : {"late-1|refuse", "keep-1|accept", "keep-2|accept"}) {
    std::string id(line, std::string(line).find('|'));
    std::string late = std::string(line).substr(id.size() + 1);
    out << R"({"id":")" << id
        << R"(","kind":"relevance","form":{"title":"Rate it","fields":[{"name":"score",)"
           R"("type":"scale","label":"Score","required":true,"min":0,"max":4}]},)"
           R"("reward":25000,"currency":"USD","assignments":1,"policy":{"late":")"
        << late << R"(","renew_on_anchor":false,"lease_ms":60000}})"
        << "\n";
  }
  return path;
}

ManodProcess::Options WithTasks(const std::string& file) {
  ManodProcess::Options options;
  options.imports = {file};
  return options;
}

// Alice with the three tasks claimed; `list` is `mano list --json` right after the claim.
struct Claimed {
  ManoRunner runner;
  ManodProcess server{WithTasks(WriteTasks(runner.dir()))};
  rapidjson::Document list;
  Claimed() {
    runner.LogIn(server);
    REQUIRE(runner.Run({"claim", "--count", "3"}).status == 0);
    list = Json(runner.Run({"list", "--json"}).out);
  }
  // The local id of the assignment of `task`.
  std::string IdOf(const std::string& task) {
    for (auto& item : list.GetArray())
      if (Str(item, "task") == task) return Str(item, "id");
    FAIL("no assignment of task " << task);
    return "";
  }
};

// The listing's item for local id `id`.
rapidjson::Value Item(rapidjson::Document& list, const std::string& id) {
  for (auto& item : list.GetArray())
    if (Str(item, "id") == id) return rapidjson::Value(item, list.GetAllocator());
  FAIL("no assignment " << id);
  return {};
}

}  // namespace

TEST_CASE_METHOD(
    Claimed, "a result refused as late is late_refused in list, show and ledger, never received",
    "[cli][integration]") {
  const std::string late_id = IdOf("late-1");
  REQUIRE(runner.Run({"answer", late_id, "--set", "score=3"}).status == 0);
  server.AdvanceClock(10 * 60'000);  // the one-minute lease is long over
  ManoResult submit = runner.Run({"submit", late_id});
  INFO(submit.out << submit.err);
  REQUIRE(submit.status == 0);
  ManoResult sync = runner.Run({"sync"});
  INFO(sync.out << sync.err);
  CHECK_THAT(sync.out, Catch::Contains("refused 1"));

  auto list = Json(runner.Run({"list", "--json"}).out);
  rapidjson::Value item = Item(list, late_id);
  CHECK(Str(item, "state") == "late_refused");
  CHECK(Str(item, "state_reason") == "the deadline has passed and the task refuses late results");
  CHECK_FALSE(item.HasMember("remaining_ms"));  // a judged task has no time left
  // The other two were never touched: their leases ran out (expired), no time left either.
  for (auto& other : list.GetArray()) {
    if (Str(other, "id") == late_id) continue;
    CHECK(Str(other, "state") == "expired");
    CHECK_FALSE(other.HasMember("remaining_ms"));
  }

  // `mano show` says what it means and gives the server's words, in full, within 80 columns.
  ManoResult show = runner.Run({"show", late_id});
  INFO(show.out);
  REQUIRE(show.status == 0);
  CHECK_THAT(show.out, Catch::Contains("State: refused (late)."));
  CHECK_THAT(show.out, Catch::Contains("policy refuses late work"));
  CHECK_THAT(show.out, Catch::Contains("Reason given: the deadline has passed and the task"));
  CHECK_THAT(show.out, !Catch::Contains("left:"));
  std::stringstream lines(show.out);
  for (std::string line; std::getline(lines, line);) CHECK(line.size() <= 80);
  CHECK(Str(Json(runner.Run({"show", late_id, "--json"}).out), "state") == "late_refused");
  // Spanish: the state's name is translated in human output; JSON keeps the stable name.
  ManoResult es = runner.Run({"--lang", "es", "show", late_id});
  CHECK_THAT(es.out, Catch::Contains("rehusada (tarde)"));
  // `mano list` (table) shows it as refused, not as received or acknowledged.
  ManoResult table = runner.Run({"list"});
  CHECK_THAT(table.out, Catch::Contains("refused (late)"));
  CHECK_THAT(table.out, !Catch::Contains("acknowledged"));
  // The ledger counts it as lost (late), not as a rejection, and not as pending (with the two
  // expired ones: three lost).
  auto ledger = Json(runner.Run({"ledger", "--json"}).out);
  REQUIRE(ledger.HasMember("rejections"));
  CHECK(ledger["rejections"].Size() == 0);
  bool lost = false;
  for (auto& row : ledger["rows"].GetArray())
    if (Str(row, "period") == "total" && Str(row, "account") == "all")
      lost = row["lost_count"].GetInt64() == 3 && row["pending_count"].GetInt64() == 0;
  CHECK(lost);
  // Submitting again changes nothing and says why.
  ManoResult again = runner.Run({"submit", late_id});
  CHECK(again.status == 2);
  CHECK_THAT(again.err, Catch::Contains("refused (late)"));
}

TEST_CASE_METHOD(
    Claimed, "a revoked lease and a withdrawn task say so, with the reason; the ledger lists them",
    "[cli][integration]") {
  const std::string revoked_id = IdOf("keep-1");
  const std::string withdrawn_id = IdOf("keep-2");
  const std::string revoked_server = Str(Item(list, revoked_id), "server_id");
  REQUIRE(runner.Run({"answer", revoked_id, "--set", "score=2"}).status == 0);
  std::string out;
  REQUIRE(server.Run({"review", "--db", server.db(), "--revoke", revoked_server, "--reason",
                      "the requester found a duplicate"},
                     &out) == 0);
  REQUIRE(server.Run({"withdraw", "--db", server.db(), "--task", "keep-2"}, &out) == 0);
  ManoResult sync = runner.Run({"sync"});
  INFO(sync.out << sync.err);

  auto list = Json(runner.Run({"list", "--json"}).out);
  rapidjson::Value revoked = Item(list, revoked_id);
  CHECK(Str(revoked, "state") == "revoked");
  CHECK(Str(revoked, "state_reason") == "the requester found a duplicate");
  CHECK_FALSE(revoked.HasMember("remaining_ms"));
  rapidjson::Value withdrawn = Item(list, withdrawn_id);
  CHECK(Str(withdrawn, "state") == "withdrawn");
  CHECK(Str(withdrawn, "state_reason") == "the task was withdrawn");
  ManoResult show = runner.Run({"show", revoked_id});
  CHECK_THAT(show.out, Catch::Contains("The server took the lease back"));
  CHECK_THAT(show.out, Catch::Contains("Reason given: the requester found a duplicate"));

  // The ledger counts them as lost and lists them with the reason.
  auto ledger = Json(runner.Run({"ledger", "--json"}).out);
  REQUIRE(ledger.HasMember("taken_back"));
  REQUIRE(ledger["taken_back"].Size() == 2);
  bool saw_reason = false;
  for (auto& t : ledger["taken_back"].GetArray())
    saw_reason |= Str(t, "reason") == "the requester found a duplicate";
  CHECK(saw_reason);
}

TEST_CASE_METHOD(LoggedInWorld,
                 "a revoked token is its own state: sync and status exit 4 and name the fix",
                 "[cli][integration]") {
  const std::string old_token = server.Token("alice");
  const std::string fresh = server.NewToken("alice");  // the old token stops working
  REQUIRE(fresh != old_token);

  ManoResult sync = runner.Run({"sync"});
  INFO(sync.out << sync.err);
  CHECK(sync.status == 4);
  CHECK_THAT(sync.out, Catch::Contains("token refused"));
  CHECK_THAT(sync.out, Catch::Contains("mano login --server " + server.url() + " --name alice"));
  ManoResult status = runner.Run({"status"});
  INFO(status.out);
  CHECK(status.status == 4);
  CHECK_THAT(status.out, Catch::Contains("token refused since"));
  CHECK_THAT(status.out, Catch::Contains("mano login --server " + server.url() + " --name alice"));
  CHECK_THAT(status.out, !Catch::Contains("offline"));
  auto json = Json(runner.Run({"status", "--json"}).out);
  CHECK(json[0]["token_refused"].GetBool());
  // The new token fixes it: logged in again, status is plain again (exit 0).
  ManoResult relog =
      runner.Run({"login", "--server", server.url(), "--name", "alice"}, fresh + "\n", {}, fresh);
  INFO(relog.err);
  REQUIRE(relog.status == 0);
  CHECK_FALSE(relog.secret_seen_in_cmdline);
  ManoResult after = runner.Run({"status"});
  CHECK(after.status == 0);
  CHECK_THAT(after.out, !Catch::Contains("token refused"));
  CHECK(runner.Run({"sync"}).status == 0);
  // The new token was printed once by manod and appears in no log.
  CHECK(server.Log().find(fresh) == std::string::npos);
  // A revoked worker (`manod worker revoke`) works again with a new token.
  std::string out;
  REQUIRE(server.Run({"worker", "revoke", "--db", server.db(), "alice"}, &out) == 0);
  CHECK(runner.Run({"sync"}).status == 4);
  const std::string third = server.NewToken("alice");
  REQUIRE(
      runner.Run({"login", "--server", server.url(), "--name", "alice"}, third + "\n", {}, third)
          .status == 0);
  CHECK(runner.Run({"sync"}).status == 0);
  CHECK(runner.Run({"status"}).status == 0);
}

TEST_CASE_METHOD(LoggedInWorld,
                 "login with another worker's token for an account is refused unless "
                 "--replace-identity, which first says what becomes of the open work",
                 "[cli][integration]") {
  REQUIRE(runner.Run({"claim"}).status == 0);
  auto before = Json(runner.Run({"list", "--json"}).out);
  REQUIRE(before.Size() == 1);
  const std::string open_id = Str(before[0], "id");

  ManoResult refused = runner.Run({"login", "--server", server.url(), "--name", "alice"},
                                  server.Token("bob") + "\n");
  INFO(refused.out << refused.err);
  CHECK(refused.status == 2);
  CHECK_THAT(refused.err, Catch::Contains("--replace-identity"));
  CHECK_THAT(refused.err, Catch::Contains("open tasks: 1"));
  // Nothing changed: alice's token still works and her task is still hers.
  CHECK(runner.Run({"sync"}).status == 0);
  CHECK(Str(Json(runner.Run({"list", "--json"}).out)[0], "state") == "claimed");

  ManoResult replaced =
      runner.Run({"login", "--server", server.url(), "--name", "alice", "--replace-identity"},
                 server.Token("bob") + "\n");
  INFO(replaced.out << replaced.err);
  CHECK(replaced.status == 0);
  CHECK_THAT(replaced.out, Catch::Contains("Open tasks leased to worker"));
  CHECK_THAT(replaced.out, Catch::Contains("(" + open_id + ")"));
  // The same worker's token again is no identity change.
  ManoResult same = runner.Run({"login", "--server", server.url(), "--name", "alice"},
                               server.Token("bob") + "\n");
  CHECK(same.status == 0);
}
