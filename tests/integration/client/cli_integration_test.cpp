// The `mano` command line end to end: the real program against a real manod on loopback.
#include <rapidjson/document.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "cli_json.h"
#include "logged_in_world.h"
#include "mano_runner.h"
#include "manod_process.h"

using namespace mano::test;

namespace {

// A value for each field type that the form accepts (first option, minimum, a box).
std::string ValueFor(const rapidjson::Value& field) {
  std::string type = Str(field, "type");
  if (type == "single" || type == "multi") return field["options"][0]["value"].GetString();
  if (type == "scale" || type == "number") return std::to_string(field["min"].GetInt64());
  if (type == "text") return "prueba con acentos: año, ñandú";
  if (type == "boxes") {
    std::string label = field["labels"].Size() ? field["labels"][0].GetString() : "";
    return "1,2,5,6," + label;
  }
  FAIL("unknown field type " << type);
  return "";
}

// Runs `mano args` and requires exit 0.
ManoResult Ok(const ManoRunner& runner, const std::vector<std::string>& args,
              const std::string& input = {}) {
  ManoResult r = runner.Run(args, input);
  INFO("mano " << args.front() << ":\n" << r.out << r.err);
  REQUIRE(r.status == 0);
  return r;
}

// Logs in as alice and claims one assignment of `kind`; returns its local id.
std::string ClaimOne(const ManoRunner& runner, const ManodProcess& server,
                     const std::string& kind) {
  runner.LogIn(server);
  Ok(runner, {"claim", "--kind", kind});
  auto list = Json(Ok(runner, {"list", "--json"}).out);
  REQUIRE(list.IsArray());
  REQUIRE(list.Size() == 1);
  return list[0]["id"].GetString();
}

std::string StateOf(const ManoRunner& runner, const std::string& id) {
  auto shown = Json(Ok(runner, {"show", id, "--json"}).out);
  return shown["state"].GetString();
}

}  // namespace

TEST_CASE("login: token from stdin or a file, never in argv or logs; db file 0600",
          "[cli][integration]") {
  ManodProcess server;
  ManoRunner runner;
  const std::string token = server.Token("alice");

  ManoResult r =
      runner.Run({"login", "--server", server.url(), "--name", "alice"}, token + "\n", {}, token);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_FALSE(r.secret_seen_in_cmdline);

  std::string token_file = runner.dir() + "/bob.token";
  std::ofstream(token_file) << server.Token("bob") << "\n";
  ManoResult r2 =
      runner.Run({"login", "--server", server.url(), "--name", "bob", "--token-file", token_file},
                 {}, {}, server.Token("bob"));
  INFO(r2.err);
  REQUIRE(r2.status == 0);
  CHECK_FALSE(r2.secret_seen_in_cmdline);

  ManoResult accounts = runner.Run({"accounts"});
  REQUIRE(accounts.status == 0);
  CHECK(accounts.out.rfind("alice", 0) == 0);
  CHECK_THAT(accounts.out, Catch::Contains("\nbob"));

  // The token appears in no output and no log: mano's, manod's, or any file beside the db.
  for (const auto& text : {r.out, r.err, r2.out, r2.err, accounts.out, server.Log()}) {
    CHECK(text.find(token) == std::string::npos);
    CHECK(text.find(server.Token("bob")) == std::string::npos);
  }
  for (const auto& entry : std::filesystem::directory_iterator(runner.data_dir())) {
    std::string name = entry.path().filename().string();
    if (name.rfind("mano.db", 0) == 0 || !entry.is_regular_file()) continue;
    CHECK(ReadFileBytes(entry.path()).find(token) == std::string::npos);
  }
  struct stat st {};
  REQUIRE(::stat((runner.data_dir() + "/mano.db").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(runner.data_dir().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE_METHOD(LoggedInWorld,
                 "claim, list, show, answer every kind, submit offline, sync later, export once",
                 "[cli][integration]") {
  const std::vector<std::string> kinds = {"relevance",     "classification", "audio_quality",
                                          "transcription", "entity_update",  "bounding_boxes"};
  for (const auto& kind : kinds) {
    ManoResult r = runner.Run({"claim", "--account", "alice", "--kind", kind});
    INFO(kind << ": " << r.err);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains(kind));
  }

  ManoResult list = runner.Run({"list", "--json"});
  REQUIRE(list.status == 0);
  auto items = Json(list.out);
  REQUIRE(items.IsArray());
  REQUIRE(items.Size() == kinds.size());
  std::vector<std::string> ids;
  std::set<std::string> seen_kinds;
  for (const auto& item : items.GetArray()) {
    ids.push_back(Str(item, "id"));
    seen_kinds.insert(Str(item, "kind"));
    CHECK(Str(item, "account") == "alice");
    CHECK(Str(item, "state") == "claimed");
    CHECK(Str(item, "currency") == "USD");
    CHECK(Str(item, "reward").find_first_not_of("0123456789.") == std::string::npos);
    std::string deadline = Str(item, "deadline");
    CHECK(deadline.size() >= 20);
    CHECK(deadline[10] == 'T');
    CHECK(deadline.back() == 'Z');
  }
  CHECK(seen_kinds.size() == kinds.size());

  // The human table fits 80 columns.
  ManoResult table = runner.Run({"list"});
  REQUIRE(table.status == 0);
  std::stringstream lines(table.out);
  int rows = 0;
  for (std::string line; std::getline(lines, line); ++rows) {
    size_t cells = 0;  // every character in this table is one cell wide
    for (unsigned char c : line) cells += (c & 0xC0) != 0x80;
    CHECK(cells <= 80);
  }
  CHECK(rows == static_cast<int>(kinds.size()) + 1);

  // Answer each one through its form, as a script would.
  for (const auto& id : ids) {
    ManoResult show = runner.Run({"show", id, "--json"});
    REQUIRE(show.status == 0);
    auto task = Json(show.out);
    for (const char* member : {"id", "account", "kind", "state", "deadline"})
      CHECK(task.HasMember(member));
    REQUIRE(task["fields"].IsArray());
    REQUIRE(task["fields"].Size() > 0);
    CHECK(task["draft"].IsObject());
    CHECK(task["draft"].MemberCount() == 0);
    std::vector<std::string> args = {"answer", id};
    for (const auto& field : task["fields"].GetArray()) {
      CHECK(field.HasMember("name"));
      CHECK(field.HasMember("required"));
      std::string type = Str(field, "type");
      if (type == "single" || type == "multi") CHECK(field["options"].Size() > 0);
      if (type == "scale") CHECK((field.HasMember("min") && field.HasMember("max")));
      if (type == "text") CHECK(field.HasMember("max_length"));
      args.push_back("--set");
      args.push_back(Str(field, "name") + "=" + ValueFor(field));
    }
    ManoResult answered = runner.Run(args);
    INFO(Str(task, "kind") << ": " << answered.err);
    REQUIRE(answered.status == 0);
    auto after = Json(runner.Run({"show", id, "--json"}).out);
    CHECK(after["draft"].MemberCount() == task["fields"].Size());
    CHECK(Str(after, "state") == "in_progress");
  }

  // Offline: the server is gone, submitting still works and sync says "unreachable".
  server.Stop();
  for (const auto& id : ids) {
    ManoResult r = runner.Run({"submit", id});
    INFO(r.err);
    REQUIRE(r.status == 0);
  }
  ManoResult status = runner.Run({"status", "--json"});
  REQUIRE(status.status == 0);
  auto st = Json(status.out);
  REQUIRE(st.Size() == 1);
  CHECK(st[0]["outbox_items"].GetInt64() == static_cast<int64_t>(ids.size()));
  CHECK(st[0]["outbox_bytes"].GetInt64() > 0);
  ManoResult offline = runner.Run({"sync"});
  CHECK(offline.status == 3);
  ManoResult offline_status = runner.Run({"status"});
  REQUIRE(offline_status.status == 0);
  CHECK_THAT(offline_status.out, Catch::Contains("alice (" + server.url() + "): offline since 20"));
  CHECK_THAT(offline_status.out,
             Catch::Contains("outbox: " + std::to_string(ids.size()) + " items"));

  // Back online: everything goes up once; a second sync sends nothing new.
  server.Start();
  ManoResult synced = runner.Run({"sync"});
  INFO(synced.out << synced.err);
  REQUIRE(synced.status == 0);
  REQUIRE(runner.Run({"sync"}).status == 0);
  auto done = Json(runner.Run({"list", "--json"}).out);
  for (const auto& item : done.GetArray()) CHECK(Str(item, "state") == "accepted");
  auto after_status = Json(runner.Run({"status", "--json"}).out);
  CHECK(after_status[0]["outbox_items"].GetInt64() == 0);
  CHECK(after_status[0]["online"].GetBool());

  std::string exported;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &exported) == 0);
  std::map<std::string, int> per_kind;
  std::stringstream rows_in(exported);
  for (std::string line; std::getline(rows_in, line);) {
    auto row = Json(line);
    ++per_kind[Str(row, "kind")];
  }
  for (const auto& kind : kinds) CHECK(per_kind[kind] == 1);
  CHECK(per_kind.size() == kinds.size());
}

TEST_CASE_METHOD(LoggedInWorld, "answer: bad values exit 6 and change nothing; undo goes back",
                 "[cli][integration]") {
  REQUIRE(runner.Run({"claim", "--kind", "relevance"}).status == 0);
  auto items = Json(runner.Run({"list", "--json"}).out);
  std::string id = Str(items[0], "id");

  REQUIRE(runner.Run({"answer", id, "--set", "score=3"}).status == 0);
  CHECK(runner.Run({"answer", id, "--set", "score=99"}).status == 6);     // out of range
  CHECK(runner.Run({"answer", id, "--set", "score=three"}).status == 6);  // not a number
  CHECK(runner.Run({"answer", id, "--set", "nosuchfield=1"}).status == 6);
  CHECK(runner.Run({"answer", id, "--set", "noequals"}).status == 2);
  auto task = Json(runner.Run({"show", id, "--json"}).out);
  CHECK(task["draft"]["score"].GetInt64() == 3);

  std::string file = runner.dir() + "/answer.json";
  std::ofstream(file) << R"({"score":1,"comment":"from a file"})";
  REQUIRE(runner.Run({"answer", id, "--json", file}).status == 0);
  task = Json(runner.Run({"show", id, "--json"}).out);
  CHECK(task["draft"]["score"].GetInt64() == 1);
  CHECK(Str(task["draft"], "comment") == "from a file");

  REQUIRE(runner.Run({"undo", id}).status == 0);
  task = Json(runner.Run({"show", id, "--json"}).out);
  CHECK(task["draft"]["score"].GetInt64() == 3);
  CHECK_FALSE(task["draft"].HasMember("comment"));

  // A draft without its required field cannot be submitted.
  REQUIRE(runner.Run({"claim", "--kind", "transcription"}).status == 0);
  auto all = Json(runner.Run({"list", "--json"}).out);
  std::string other = Str(all[1], "id");
  ManoResult refused = runner.Run({"submit", other});
  CHECK(refused.status == 6);
  CHECK_THAT(refused.err, Catch::Contains("text"));
}

TEST_CASE("exit codes: usage error, nothing reachable, token refused", "[cli][integration]") {
  ManoRunner runner;
  CHECK(runner.Run({"frobnicate"}).status == 2);
  CHECK(runner.Run({"list", "--no-such-flag"}).status == 2);
  CHECK(runner.Run({"show"}).status == 2);
  CHECK(runner.Run({"show", "12345"}).status == 2);
  ManoResult help = runner.Run({"answer", "--help"});
  CHECK(help.status == 0);
  CHECK_THAT(help.out, Catch::Contains("--set"));

  ManodProcess server;
  // Refused token: exit 4, and nothing is stored.
  ManoResult refused = runner.Run({"login", "--server", server.url(), "--name", "x"},
                                  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
  CHECK(refused.status == 4);
  CHECK(refused.err.find('\n') == refused.err.size() - 1);  // one line
  CHECK(runner.Run({"accounts"}).out.find("x ") == std::string::npos);

  // Nothing listening: exit 3 for login and for sync.
  std::string url = server.url();
  runner.LogIn(server);
  server.Stop();
  CHECK(runner.Run({"login", "--server", url, "--name", "y"}, "token\n").status == 3);
  CHECK(runner.Run({"claim"}).status == 3);
  CHECK(runner.Run({"sync"}).status == 3);
  // No token at all is a usage error.
  CHECK(runner.Run({"login", "--server", url, "--name", "z"}, "").status == 2);
}

TEST_CASE("Spanish and French without their locales generated", "[cli][integration][i18n]") {
  ManoRunner runner;
  // The point of the test: es_ES is not generated here (only C/C.UTF-8/POSIX usually are).
  INFO("locale -a should not list es_ES on the test machine");

  ManoResult forced = runner.Run({"--lang", "es", "show", "777"});
  CHECK(forced.status == 2);
  CHECK_THAT(forced.err, Catch::Contains("No hay ninguna asignación"));

  ManoResult from_lang = runner.Run({"show", "777"}, {}, {{"LANG", "es_ES.UTF-8"}});
  CHECK(from_lang.status == 2);
  CHECK_THAT(from_lang.err, Catch::Contains("No hay ninguna asignación"));

  ManoResult from_lc_all = runner.Run({"list"}, {}, {{"LC_ALL", "fr_FR.UTF-8"}});
  CHECK(from_lc_all.status == 0);
  CHECK_THAT(from_lc_all.out, Catch::Contains("Aucune"));

  ManoResult help = runner.Run({"--help"}, {}, {{"LANG", "es_ES.UTF-8"}});
  CHECK(help.status == 0);
  CHECK_THAT(help.out, Catch::Contains("Uso"));

  // No UTF-8 locale at all (LOCPATH hides even C.UTF-8): mano reads the catalog itself.
  ManoResult no_locales =
      runner.Run({"show", "777"}, {}, {{"LANG", "es_ES.UTF-8"}, {"LOCPATH", "/nonexistent"}});
  CHECK_THAT(no_locales.err, Catch::Contains("No hay ninguna asignación"));

  ManoResult english = runner.Run({"show", "777"}, {}, {{"LANG", "C.UTF-8"}});
  CHECK_THAT(english.err, Catch::Contains("There is no assignment"));
}

TEST_CASE_METHOD(
    LoggedInWorld,
    "return hands an assignment back; sync --watch sends new work and stops on SIGTERM",
    "[cli][integration]") {
  REQUIRE(runner.Run({"claim", "--kind", "relevance", "--count", "2"}).status == 0);
  auto items = Json(runner.Run({"list", "--json"}).out);
  REQUIRE(items.Size() == 2);
  std::string first = Str(items[0], "id"), second = Str(items[1], "id");

  ManoResult returned = runner.Run({"return", first});
  INFO(returned.err);
  REQUIRE(returned.status == 0);
  CHECK(Str(Json(runner.Run({"show", first, "--json"}).out), "state") == "returned");
  CHECK(runner.Run({"answer", first, "--set", "score=2"}).status == 2);  // no longer editable

  auto watcher = runner.Spawn({"sync", "--watch"});
  REQUIRE(runner.Run({"answer", second, "--set", "score=4"}).status == 0);
  REQUIRE(runner.Run({"submit", second}).status == 0);
  // The watcher is not woken by another process; a pass of our own must not conflict with it.
  REQUIRE(runner.Run({"sync"}).status == 0);
  CHECK(Str(Json(runner.Run({"show", second, "--json"}).out), "state") == "accepted");
  int watch_status = watcher.Kill(SIGTERM);
  INFO(ReadFileBytes(runner.dir() + "/bg.err"));
  CHECK(watch_status == 0);
  std::string exported;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &exported) == 0);
  CHECK(std::count(exported.begin(), exported.end(), '\n') == 1);
}

TEST_CASE("a database from a newer mano is a storage failure (exit 5), left untouched",
          "[cli][integration]") {
  ManoRunner runner;
  std::filesystem::create_directories(runner.data_dir());
  std::string db = runner.data_dir() + "/mano.db";
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  REQUIRE(sqlite3_exec(handle, "CREATE TABLE future(x); PRAGMA user_version = 999;", nullptr,
                       nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(handle);
  std::string before = ReadFileBytes(db);

  ManoResult r = runner.Run({"list"});
  CHECK(r.status == 5);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(ReadFileBytes(db) == before);
}

TEST_CASE_METHOD(LoggedInWorld,
                 "list: a damaged mano.db is moved aside, said in one sentence, rows recovered",
                 "[cli][integration]") {
  REQUIRE(runner.Run({"claim", "--kind", "relevance", "--count", "3"}).status == 0);
  auto before = Json(runner.Run({"list", "--json"}).out);
  std::set<std::string> ids;
  for (const auto& item : before.GetArray()) ids.insert(Str(item, "id"));
  REQUIRE(ids.size() == 3);

  // Random bytes over the journal's root page (found in sqlite_master): quick_check fails,
  // the assignments' pages stay readable.
  const std::string db = runner.data_dir() + "/mano.db";
  const bool wal_pending =
      std::filesystem::exists(db + "-wal") && std::filesystem::file_size(db + "-wal") > 0;
  REQUIRE_FALSE(wal_pending);
  int64_t page_size = 0, root = 0;
  {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(h,
                               "SELECT rootpage, (SELECT page_size FROM pragma_page_size) "
                               "FROM sqlite_master WHERE name = 'journal'",
                               -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    root = sqlite3_column_int64(s, 0);
    page_size = sqlite3_column_int64(s, 1);
    sqlite3_finalize(s);
    sqlite3_close(h);
  }
  REQUIRE(root > 1);
  {
    std::mt19937 rng(42);
    std::string junk(static_cast<size_t>(page_size), '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * page_size);
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    REQUIRE(f.good());
  }

  ManoResult list = runner.Run({"list", "--json"});
  INFO(list.err);
  REQUIRE(list.status == 0);
  const std::string marker = "it was moved aside to ";
  auto at = list.err.find(marker);
  REQUIRE(at != std::string::npos);
  CHECK(list.err.find("The local database was damaged") != std::string::npos);
  std::string moved = list.err.substr(at + marker.size());
  moved = moved.substr(0, moved.find(','));
  CHECK(moved.rfind(runner.data_dir(), 0) == 0);
  CHECK(std::filesystem::exists(moved));
  auto after = Json(list.out);
  std::set<std::string> listed;
  for (const auto& item : after.GetArray()) listed.insert(Str(item, "id"));
  CHECK(listed == ids);

  // Said once: the next command opens a healthy file.
  ManoResult again = runner.Run({"list"});
  CHECK(again.status == 0);
  CHECK(again.err.find("damaged") == std::string::npos);
}

TEST_CASE_METHOD(LoggedInWorld,
                 "list: 1,500 cached assignments are all listed, by id, table and JSON alike",
                 "[cli][integration]") {
  ManoResult claim = runner.Run({"claim", "--account", "alice", "--kind", "relevance"});
  INFO(claim.err);
  REQUIRE(claim.status == 0);
  auto first = Json(runner.Run({"list", "--json"}).out);
  REQUIRE(first.Size() == 1);
  const std::string title = Str(first[0], "title");
  REQUIRE_FALSE(title.empty());

  // Copies of the claimed task, cached as if claimed earlier: deadlines and states out of
  // id order, so the list's order can only come from the ids.
  constexpr int kCopies = 1499;
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((runner.data_dir() + "/mano.db").c_str(), &db) == SQLITE_OK);
  const std::string copy =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
      std::to_string(kCopies) +
      ") INSERT INTO assignments(account, server_id, task_id, kind, payload, assets, "
      "deadline_server_ms, reward_micros, currency, state, claimed_at_ms, updated_ms, title) "
      "SELECT a.account, 'copy' || n.i, a.task_id, a.kind, a.payload, a.assets, "
      "a.deadline_server_ms - (n.i * 7919 % 1000) * 60000, a.reward_micros, a.currency, "
      "CASE n.i % 3 WHEN 0 THEN 'queued' WHEN 1 THEN 'claimed' ELSE 'in_progress' END, "
      "a.claimed_at_ms, a.updated_ms, a.title FROM assignments a, n";
  REQUIRE(sqlite3_exec(db, copy.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  ManoResult list = runner.Run({"list", "--json"});
  INFO(list.err);
  REQUIRE(list.status == 0);
  auto items = Json(list.out);
  REQUIRE(items.Size() == kCopies + 1);
  long long previous = 0;
  int64_t listing_now = 0;
  std::set<std::string> server_ids;
  for (const auto& item : items.GetArray()) {
    long long id = std::stoll(Str(item, "id"));
    CHECK(id > previous);
    previous = id;
    server_ids.insert(Str(item, "server_id"));
    CHECK(Str(item, "title") == title);  // read from each cached task
    // Time left is the deadline minus the server's clock (the claim was a contact), and
    // that clock is the same for every row of one listing.
    REQUIRE(item.HasMember("remaining_ms"));
    int64_t server_now = item["deadline_ms"].GetInt64() - item["remaining_ms"].GetInt64();
    if (server_ids.size() == 1) listing_now = server_now;
    CHECK(server_now == listing_now);
  }
  // manod runs on this machine: its clock is ours (within minutes, not a timing check).
  const int64_t local_now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  CHECK(std::llabs(listing_now - local_now) < 10 * 60'000);
  CHECK(server_ids.size() == static_cast<size_t>(kCopies + 1));

  // The table: a header, then one line per assignment in the same order.
  ManoResult table = runner.Run({"list"});
  REQUIRE(table.status == 0);
  std::stringstream lines(table.out);
  std::string line;
  REQUIRE(std::getline(lines, line));
  CHECK(line.find("TITLE") != std::string::npos);
  int row = 0;
  for (; std::getline(lines, line); ++row) {
    REQUIRE(row < static_cast<int>(items.Size()));
    CHECK(std::stoll(line) == std::stoll(Str(items[row], "id")));
  }
  CHECK(row == kCopies + 1);

  // `mano status`: the three soonest deadlines among the open ones, from the same data.
  std::vector<std::pair<int64_t, long long>> open;  // (deadline, id)
  for (const auto& item : items.GetArray()) {
    std::string state = Str(item, "state");
    if (state == "claimed" || state == "in_progress")
      open.emplace_back(item["deadline_ms"].GetInt64(), std::stoll(Str(item, "id")));
  }
  std::sort(open.begin(), open.end());
  auto status = Json(runner.Run({"status", "--json"}).out);
  REQUIRE(status.Size() == 1);
  const auto& due = status[0]["deadlines"];
  REQUIRE(due.Size() == 3);
  for (rapidjson::SizeType i = 0; i < 3; ++i)
    CHECK(std::stoll(Str(due[i], "id")) == open[i].second);
}

// Submitting is a deliberate act (issue 11): unsubmit, and the late warning of submit.
TEST_CASE("cli: unsubmit takes a queued result back to a draft; once sent it is refused",
          "[cli][integration]") {
  ManodProcess server;
  ManoRunner runner;
  std::string id = ClaimOne(runner, server, "transcription");
  Ok(runner, {"answer", id, "--json", "-"}, R"({"text":"primera línea\ny me dijo que"})");
  Ok(runner, {"submit", id});
  CHECK(StateOf(runner, id) == "queued");

  ManoResult back = Ok(runner, {"unsubmit", id});
  CHECK(back.out.find("is a draft again") != std::string::npos);
  auto shown = Json(Ok(runner, {"show", id, "--json"}).out);
  CHECK(std::string(shown["state"].GetString()) == "in_progress");
  CHECK(std::string(shown["draft"]["text"].GetString()) == "primera línea\ny me dijo que");
  auto status = Json(Ok(runner, {"status", "--json"}).out);
  CHECK(status[0]["outbox_items"].GetInt64() == 0);

  // Nothing reaches the server while it is a draft.
  Ok(runner, {"sync"});
  std::string exported;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &exported) == 0);
  CHECK(exported.empty());

  // Taken back twice: there is nothing waiting any more (a usage error, exit 2).
  ManoResult again = runner.Run({"unsubmit", id});
  CHECK(again.status == 2);
  CHECK(again.err.find("has no result waiting in the outbox") != std::string::npos);

  // Changed, submitted again and sent: now it cannot be taken back (exit 7), in Spanish too.
  Ok(runner, {"answer", id, "--set", "text=otra versión"});
  Ok(runner, {"submit", id});
  Ok(runner, {"sync"});
  ManoResult late = runner.Run({"unsubmit", id});
  INFO(late.out << late.err);
  CHECK(late.status == 7);
  CHECK(late.err.find("cannot be taken back") != std::string::npos);
  ManoResult es = runner.Run({"unsubmit", id}, {}, {{"LANG", "es_ES.UTF-8"}});
  CHECK(es.status == 7);
  CHECK(es.err.find("no se puede recuperar") != std::string::npos);
  exported.clear();
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &exported) == 0);
  CHECK(exported.find("otra versión") != std::string::npos);
}

TEST_CASE("cli: submit after the deadline says what the late policy will do, and it does",
          "[cli][integration]") {
  struct Case {
    const char* kind;
    const char* warning;
    bool accepted;
  } cases[] = {
      {"audio_quality", "this task refuses late results: the server will not accept it", false},
      {"classification", "this task accepts late results: it will be accepted as late", true},
  };
  for (const auto& c : cases) {
    ManodProcess server;
    ManoRunner runner;
    std::string id = ClaimOne(runner, server, c.kind);
    auto shown = Json(Ok(runner, {"show", id, "--json"}).out);
    const auto& field = shown["fields"][0];
    std::string value = std::string(field["type"].GetString()) == "scale"
                            ? std::to_string(field["min"].GetInt64())
                            : field["options"][0]["value"].GetString();
    Ok(runner, {"answer", id, "--set", std::string(field["name"].GetString()) + "=" + value});
    server.AdvanceClock(31 * 60 * 1000);  // the lease is 30 minutes
    runner.Run({"sync"});                 // a contact: the client learns the server's time
    ManoResult submitted = Ok(runner, {"submit", id});
    INFO(submitted.err);
    CHECK(submitted.err.find("The deadline has passed") != std::string::npos);
    CHECK(submitted.err.find(c.warning) != std::string::npos);
    runner.Run({"sync"});
    // What the server did is what the warning announced: a late result it refused is not
    // among its results.
    std::string exported;
    REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &exported) == 0);
    INFO(exported);
    CHECK((exported.find(c.kind) != std::string::npos) == c.accepted);
  }
}

// An outbox item queued by an older mano (before RFC 8785 refused such numbers) may hold a
// number beyond +-(2^53 - 1). The server judges that result alone `invalid` (it was a 400 for
// the whole batch, which then never went up): mano shows it with the server's reason, the
// other result of the batch is acknowledged, and the worker's draft is kept to fix and resend.
TEST_CASE_METHOD(
    LoggedInWorld,
    "a queued result with a number JCS cannot keep is invalid with its reason; the rest goes up",
    "[cli][integration]") {
  Ok(runner, {"claim", "--kind", "relevance", "--count", "2"});
  auto list = Json(Ok(runner, {"list", "--json"}).out);
  REQUIRE(list.Size() == 2);
  const std::string bad = Str(list[0], "id"), good = Str(list[1], "id");
  for (const std::string& id : {bad, good}) {
    Ok(runner, {"answer", id, "--set", "score=2"});
    Ok(runner, {"submit", id});
  }
  {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open((runner.data_dir() + "/mano.db").c_str(), &h) == SQLITE_OK);
    const std::string sql =
        "UPDATE outbox SET body = replace(body, '\"score\":2', '\"score\":12345678901234567890') "
        "WHERE assignment_id = " + bad;
    REQUIRE(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    CHECK(sqlite3_changes(h) == 1);
    sqlite3_close(h);
  }
  ManoResult sync = runner.Run({"sync"});
  INFO(sync.out << sync.err);
  CHECK_THAT(sync.out, Catch::Contains("refused 1"));
  CHECK(StateOf(runner, good) == "accepted");
  auto shown = Json(Ok(runner, {"show", bad, "--json"}).out);
  CHECK(Str(shown, "state") == "invalid");
  CHECK_THAT(Str(shown, "state_reason"),
             Catch::Contains("v.score: number beyond +-9007199254740991 (2^53 - 1)"));
  REQUIRE(shown["draft"].HasMember("score"));
  CHECK(shown["draft"]["score"].GetInt64() == 2);
  ManoResult human = Ok(runner, {"show", bad});
  CHECK_THAT(human.out, Catch::Contains("Reason given: results[0].v.score: number beyond"));
}
