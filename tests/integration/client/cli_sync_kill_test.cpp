// Exactly once with the real programs: `mano` (the worker's command line) talks through
// flakynet to the real manod, and `mano sync` / `mano sync --watch` is killed with SIGKILL at
// random moments (seeded), on a good link and while flakynet cuts it (random resets, a cut
// after N bytes, a blackout that refuses or stalls). Between the kills the worker claims,
// answers and submits with the CLI (`mano claim`, `mano answer ID --set ...`, `mano submit`),
// and some claims are killed too. At the end, on a good link, one `mano sync` exits 0, the
// outbox is empty (`mano status --json`), `manod export` holds each result once with the answer
// as the worker left it, the client's receipts are the server's, the leases the server made
// to the worker are exactly the client's assignments (`manod assignments`), and mano.db passes
// PRAGMA integrity_check. The client's mano.db is only read (read-only SQLite) once no mano
// runs. MANO_LONG=1: ten times the rounds.
#include <signal.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "../sync/sync_fixture.h"
#include "mano_runner.h"

using mano::test::FaultWorld;
using mano::test::ManoResult;
using mano::test::ManoRunner;
using mano::test::ReadFileBytes;

namespace {

// Read-only SQLite on the client's mano.db (RAII; test thread only).
class ReadOnlyDb {
 public:
  explicit ReadOnlyDb(const std::string& path) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  }
  ~ReadOnlyDb() { sqlite3_close(db_); }
  ReadOnlyDb(const ReadOnlyDb&) = delete;
  ReadOnlyDb& operator=(const ReadOnlyDb&) = delete;

  // Every row of `sql` as text columns.
  std::vector<std::vector<std::string>> Rows(const std::string& sql) const {
    sqlite3_stmt* s = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    std::vector<std::vector<std::string>> rows;
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        row.emplace_back(text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(s, i)))
                              : std::string());
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(s);
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

mano::sync::JsonDocument Json(const std::string& text) {
  INFO(text);
  return mano::sync::JsonDocument(text);
}

// Local ids (as `mano list` prints them) of the assignments still open for work.
std::vector<std::string> OpenIds(const ManoRunner& mano) {
  ManoResult list = mano.Run({"list", "--json"});
  REQUIRE(list.status == 0);
  auto doc = Json(list.out);
  std::vector<std::string> ids;
  for (size_t i = 0; i < doc.Root().Size(); ++i) {
    const auto item = doc.Root().At(i);
    const std::string state = item.Str("state");
    if (state == "claimed" || state == "in_progress") ids.push_back(item.Str("id"));
  }
  return ids;
}

// What the worker typed last into an assignment.
struct Typed {
  int score = 0;
  std::string comment;
};

// Starts `mano <args>` and SIGKILLs it after `delay` unless it ended first; returns the exit
// status (128 + 9 when killed).
int RunAndKill(const ManoRunner& mano, const std::vector<std::string>& args,
               std::chrono::microseconds delay) {
  auto child = mano.Spawn(args);
  std::this_thread::sleep_for(delay);
  return child.Kill(SIGKILL);
}

// The link for one round, chosen by `mode`.
std::string SetLink(FaultWorld& world, int mode, std::mt19937& rng) {
  world.Calm();
  world.net.ControlOk("blackout 0");
  switch (mode) {
    case 0:
      return "good";
    case 1:
      world.net.ControlOk("set cut_chance 0.5");
      world.net.ControlOk("set cut_min 1");
      world.net.ControlOk("set cut_max 4000");
      world.net.ControlOk("set cut_mode reset");
      return "random resets";
    case 2: {
      const std::string knob = rng() % 2 ? "cut_after_up" : "cut_after_down";
      const int n = 1 + static_cast<int>(rng() % 3000);
      world.net.ControlOk("set " + knob + " " + std::to_string(n));
      return knob + " " + std::to_string(n);
    }
    case 3:
      world.net.ControlOk("set blackout_mode refuse");
      world.net.ControlOk("blackout 600000");
      return "blackout, refused";
    default:
      world.net.ControlOk("set blackout_mode stall");
      world.net.ControlOk("blackout 600000");
      return "blackout, stalled";
  }
}

}  // namespace

TEST_CASE("exactly once: the real mano sync killed with SIGKILL at random moments",
          "[cli][integration][fault]") {
  const int rounds = mano::test::LongRun() ? 400 : 40;
  FaultWorld world(rounds * 4 + 40);
  world.net.ControlOk("set delay_up 2");
  world.net.ControlOk("set delay_down 2");
  ManoRunner mano;
  std::filesystem::create_directories(mano.config_home() + "/mano");
  // The engine keeps two relevance tasks claimed: `mano sync` claims too, under the kills.
  std::ofstream(mano.config_home() + "/mano/config.toml")
      << "keep_claimed = 2\nkinds = \"relevance\"\n";
  mano.LogIn(world.url(), "alice", world.server.Token("alice"));

  std::map<std::string, Typed> typed;  // local id -> the last answer, for submitted ones
  std::mt19937 rng(20261128);
  int serial = 0;
  auto work = [&](const std::string& id) {
    // Sometimes the worker changes its mind before submitting: the last answer counts.
    Typed t;
    for (int pass = 0; pass < 1 + static_cast<int>(rng() % 2); ++pass) {
      t.score = static_cast<int>(rng() % 5);
      t.comment = "w" + std::to_string(++serial);
      ManoResult answered = mano.Run({"answer", id, "--set", "score=" + std::to_string(t.score),
                                      "--set", "comment=" + t.comment});
      INFO(answered.err);
      REQUIRE(answered.status == 0);
    }
    ManoResult submitted = mano.Run({"submit", id});
    INFO(submitted.err);
    REQUIRE(submitted.status == 0);
    typed[id] = t;
  };

  // How long a whole `mano sync` takes here, to spread the kills over one (not a pass/fail
  // threshold: it only scales the random delays to this machine's speed).
  REQUIRE(mano.Run({"claim", "--count", "1"}).status == 0);
  for (const auto& id : OpenIds(mano)) work(id);
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(mano.Run({"sync"}).status == 0);
  const auto pass_us =
      std::max<int64_t>(20'000, std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::steady_clock::now() - start)
                                    .count());

  int killed = 0, finished = 0, claims_killed = 0, watch_rounds = 0;
  std::map<int, int> links;  // link mode -> rounds
  for (int round = 0; round < rounds; ++round) {
    INFO("round " << round);
    const int mode = static_cast<int>(rng() % 5);
    const std::string link = SetLink(world, mode, rng);
    ++links[mode];
    INFO("link: " << link);
    // The worker claims on this link; a stalled claim (and one in four others) is killed.
    if (mode == 4 || rng() % 4 == 0) {
      const int status =
          RunAndKill(mano, {"claim", "--count", "2"},
                     std::chrono::microseconds(rng() % static_cast<uint64_t>(pass_us)));
      claims_killed += status == 128 + SIGKILL ? 1 : 0;
    } else {
      const int status = mano.Run({"claim", "--count", std::to_string(1 + rng() % 2)}).status;
      CHECK((status == 0 || status == 3));  // 3: the link is cut; the claim stays pending
    }
    for (const auto& id : OpenIds(mano)) {
      if (rng() % 4 != 0) work(id);  // some work waits for a later round
    }
    const auto delay = std::chrono::microseconds(rng() % static_cast<uint64_t>(2 * pass_us));
    int status = 0;
    if (rng() % 3 == 0) {
      // A watcher running while the worker goes on submitting, then killed.
      ++watch_rounds;
      auto watcher = mano.Spawn({"sync", "--watch"});
      const auto open = OpenIds(mano);
      if (!open.empty()) work(open.front());
      std::this_thread::sleep_for(delay);
      status = watcher.Kill(SIGKILL);
    } else {
      status = RunAndKill(mano, {"sync"}, delay);
    }
    INFO(ReadFileBytes(mano.dir() + "/bg.err"));
    if (status == 128 + SIGKILL) {
      ++killed;
    } else {
      ++finished;
      CHECK((status == 0 || status == 3));  // ended on its own: synced, or offline
    }
  }
  INFO("kills " << killed << ", finished before the kill " << finished << ", claims killed "
                << claims_killed << ", watch rounds " << watch_rounds);
  std::fprintf(stderr,
               "%d rounds: mano sync killed %d times, ended before the kill %d; claims killed %d; "
               "watch rounds %d; sync calibrated at %lld us\n",
               rounds, killed, finished, claims_killed, watch_rounds,
               static_cast<long long>(pass_us));
  CHECK(killed > rounds / 4);  // the kills really happened mid-run
  CHECK(links.size() == 5);    // every kind of link was played

  // The link comes back: one sync sends everything.
  world.Calm();
  world.net.ControlOk("blackout 0");
  ManoResult synced = mano.Run({"sync"});
  INFO(synced.out << synced.err);
  REQUIRE(synced.status == 0);
  auto status = Json(mano.Run({"status", "--json"}).out);
  REQUIRE(status.Root().Size() == 1);
  CHECK(status.Root().At(0).IntOf("outbox_items") == 0);

  // The client's view, read-only.
  ReadOnlyDb db(mano.data_dir() + "/mano.db");
  CHECK(db.Rows("PRAGMA integrity_check")[0][0] == "ok");
  const auto account = db.Rows("SELECT receipt_key FROM accounts WHERE name='alice'");
  REQUIRE(account.size() == 1);
  std::map<std::string, std::string> client_assignments;  // server id -> task id
  std::map<std::string, mano::sync::Answer> expected;     // server id -> answer left
  std::vector<mano::test::ClientResult> results;
  for (const auto& row : db.Rows("SELECT a.id, a.server_id, a.task_id, a.payload, a.state,"
                                 " (SELECT content FROM checkpoints c WHERE c.assignment_id=a.id"
                                 "  ORDER BY version DESC LIMIT 1), r.raw, b.canonical, b.signature"
                                 " FROM assignments a LEFT JOIN receipts r ON r.assignment_id=a.id"
                                 " LEFT JOIN receipt_batches b ON b.id=r.batch_id")) {
    client_assignments[row[1]] = row[2];
    auto it = typed.find(row[0]);
    if (it == typed.end()) continue;
    INFO("assignment " << row[0] << " (server " << row[1] << ")");
    CHECK(row[4] == "accepted");
    const auto answer = mano::sync::Answer::FromJson(row[5]);
    // The draft is what the worker typed last.
    auto again = mano::sync::Answer::FromJson("{\"score\":" + std::to_string(it->second.score) +
                                              ",\"comment\":\"" + it->second.comment + "\"}");
    CHECK(answer.ToJson() == again.ToJson());
    expected[row[1]] = answer;
    mano::storage::Assignment local;
    local.server_id = row[1];
    local.task_id = row[2];
    local.payload = row[3];
    results.push_back({local, answer, row[6], row[7], row[8]});
  }
  CHECK(expected.size() == typed.size());
  mano::test::CheckExportHoldsOnce(world.server, expected);
  mano::test::CheckReceiptsAreTheServers(world.server, world.server.Token("alice"), account[0][0],
                                         results);
  const auto pending = db.Rows("SELECT pending_claim_key FROM sync_state WHERE account='alice'");
  mano::test::CheckClaimedOnce(world.server, "alice", client_assignments,
                               pending.empty() ? std::string() : pending[0][0]);
}

TEST_CASE("two mano commands at once never find the database locked", "[cli][integration]") {
  // A worker runs `mano sync --watch` in one terminal and `mano list` in another: each opens
  // and closes mano.db while the other holds it. The last to close checkpoints the WAL under
  // a lock; an open that reads before setting its busy timeout failed at once ("database is
  // locked", exit 5) in about one run in five.
  ManoRunner mano;
  REQUIRE(mano.Run({"list"}).status == 0);
  std::atomic<int> failures{0};
  std::string last_error;
  std::mutex error_mutex;
  auto loop = [&] {
    for (int i = 0; i < 100; ++i) {
      ManoResult r = mano.Run({"status", "--json"});
      if (r.status != 0) {
        ++failures;
        std::lock_guard<std::mutex> lock(error_mutex);
        last_error = r.err;
      }
    }
  };
  std::thread first(loop), second(loop);
  first.join();
  second.join();
  INFO(last_error);
  CHECK(failures.load() == 0);
}
