// ingest_bench: manod for many workers at once (issue 15). Per batch size and run, on a fresh
// real manod over loopback:
//   claim   --workers threads claim their share of --results assignments in claims of 100
//           (assignments/s over the whole phase);
//   submit  the same threads submit the answers in batches of --batch with batch receipts
//           (results/s over the whole phase, every receipt checked "accepted");
//   raw     the same rows inserted straight into a fresh SQLite file (WAL, synchronous=FULL,
//           one transaction per batch, one connection): the storage's own limit;
// while one more worker times GET /v1/me back to back during both loaded phases (p99).
// Prints one line per run and a table of medians (min-max) at the end. One command:
//   build/bin/ingest_bench [--runs 3] [--workers 8] [--results 20000] [--batches 100,500]
//                          [--threads N]   (manod serve --threads; default: manod's)
// It finds manod beside itself (<build>/bin/manod); databases go under $TMPDIR.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "bench_main.h"
#include "manod_process.h"
#include "suite/web_client.h"

namespace {

using mano::bench::Clock;
using mano::bench::SecondsSince;

struct Args {
  int runs = 3;
  int workers = 8;
  int results = 20000;
  std::vector<int> batches = {100, 500};
  int threads = 0;  // manod serve --threads; 0: its default
};

std::string TaskLine(int i) {
  return "{\"id\":\"t-" + std::to_string(i) +
         "\",\"kind\":\"bench\",\"reward\":50000,\"assignments\":1,\"form\":{\"title\":\"t\","
         "\"fields\":[{\"name\":\"score\",\"type\":\"scale\",\"min\":0,\"max\":4,\"required\":"
         "true},{\"name\":\"note\",\"type\":\"text\",\"max_length\":20}]},\"policy\":{\"late\":"
         "\"refuse\",\"lease_ms\":3600000}}";
}

std::string ResultJson(const std::string& id, int i) {
  return "{\"a\":\"" + id + "\",\"k\":\"" + id + ":1\",\"v\":{\"score\":" + std::to_string(i % 5) +
         (i % 10 == 9 ? ",\"note\":\"outdated\"" : "") + "}}";
}

std::vector<std::string> IdsIn(const std::string& body) {
  std::vector<std::string> ids;
  for (size_t at = body.find("\"id\":\""); at != std::string::npos;
       at = body.find("\"id\":\"", at + 1)) {
    size_t start = at + 6;
    ids.push_back(body.substr(start, body.find('"', start) - start));
  }
  return ids;
}

size_t CountOf(const std::string& body, const std::string& needle) {
  size_t n = 0;
  for (size_t at = body.find(needle); at != std::string::npos; at = body.find(needle, at + 1)) ++n;
  return n;
}

// GET /v1/me back to back until `stop`; the latencies in ms.
class Watcher {
 public:
  Watcher(const std::string& url, const std::string& token) {
    thread_ = std::thread([this, url, token] {
      mano::bench::WebClient client;
      auto headers = mano::bench::BrowserHeaders(token);
      while (!stop_) {
        auto start = Clock::now();
        auto reply = client.Get(url + "/v1/me", headers);
        double ms = SecondsSince(start) * 1000;
        if (reply.status != 200) ++failed_;
        if (recording_) ms_.push_back(ms);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  ~Watcher() {
    stop_ = true;
    thread_.join();
  }
  void Record(bool on) { recording_ = on; }
  // p99 of the recorded latencies (call after Record(false)).
  double P99() {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::vector<double> ms = ms_;
    if (ms.empty()) return -1;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<size_t>(0.99 * ms.size()))];
  }
  int failed() const { return failed_; }

 private:
  std::atomic<bool> stop_{false}, recording_{false};
  std::atomic<int> failed_{0};
  std::vector<double> ms_;
  std::thread thread_;
};

struct RunResult {
  double claim_per_s = 0, submit_per_s = 0, raw_per_s = 0, me_p99_claim = 0, me_p99_submit = 0;
};

// Runs `work(i)` on `n` threads at once; throws the first error.
template <typename Work>
void OnThreads(int n, Work work) {
  std::vector<std::thread> threads;
  std::vector<std::string> errors(n);
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      try {
        work(i);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) {
    if (!e.empty()) throw std::runtime_error(e);
  }
}

double RawSqlite(const std::string& dir, const std::vector<std::vector<std::string>>& ids,
                 int batch) {
  std::string path = dir + "/raw.db";
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("raw open");
  auto exec = [&](const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("raw: ") + sqlite3_errmsg(db));
    }
  };
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  exec(
      "CREATE TABLE results(assignment_id INTEGER PRIMARY KEY, worker_id INTEGER NOT NULL,"
      " key TEXT NOT NULL, answer TEXT NOT NULL, hash TEXT NOT NULL, status TEXT NOT NULL,"
      " upload_id TEXT, t INTEGER NOT NULL)");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO results VALUES(?,?,?,?,?,?,NULL,?)", -1, &insert, nullptr);
  const std::string hash(64, 'a');
  int64_t row = 0;
  auto start = Clock::now();
  for (size_t w = 0; w < ids.size(); ++w) {
    for (size_t first = 0; first < ids[w].size(); first += batch) {
      exec("BEGIN IMMEDIATE");
      for (size_t i = first; i < std::min(ids[w].size(), first + batch); ++i) {
        std::string key = ids[w][i] + ":1";
        std::string answer = "{\"score\":" + std::to_string(i % 5) + "}";
        sqlite3_bind_int64(insert, 1, ++row);
        sqlite3_bind_int64(insert, 2, static_cast<int64_t>(w));
        sqlite3_bind_text(insert, 3, key.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 4, answer.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 5, hash.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 6, "accepted", -1, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 7, 1);
        sqlite3_step(insert);
        sqlite3_reset(insert);
      }
      exec("COMMIT");
    }
  }
  double per_s = static_cast<double>(row) / SecondsSince(start);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return per_s;
}

RunResult OneRun(const Args& args, int batch) {
  mano::test::ManodProcess::Options options;
  options.workers.clear();
  options.imports.clear();
  options.start = false;
  // The per-worker request rate limit is for abuse, not for this load.
  options.serve_args = {"--rate", "100000", "--burst", "100000"};
  if (args.threads > 0) {
    options.serve_args.push_back("--threads");
    options.serve_args.push_back(std::to_string(args.threads));
  }
  mano::test::ManodProcess server(options);
  {
    std::ofstream out(server.dir() + "/tasks.jsonl");
    for (int i = 0; i < args.results; ++i) out << TaskLine(i) << "\n";
  }
  server.Import(server.dir() + "/tasks.jsonl");
  std::vector<std::string> tokens;
  for (int w = 0; w < args.workers; ++w)
    tokens.push_back(server.AddWorker("w" + std::to_string(w)));
  std::string watch_token = server.AddWorker("watch");
  server.Start();
  const std::string url = server.url();
  RunResult r;
  Watcher watcher(url, watch_token);

  const int share = args.results / args.workers;
  std::vector<std::vector<std::string>> ids(args.workers);
  watcher.Record(true);
  auto start = Clock::now();
  OnThreads(args.workers, [&](int w) {
    mano::bench::WebClient client;
    auto headers = mano::bench::BrowserHeaders(tokens[w]);
    for (int round = 0; static_cast<int>(ids[w].size()) < share; ++round) {
      int want = std::min(100, share - static_cast<int>(ids[w].size()));
      auto reply = client.Post(
          url + "/v1/claim", headers,
          "{\"key\":\"c" + std::to_string(round) + "\",\"count\":" + std::to_string(want) + "}");
      auto got = IdsIn(reply.body);
      if (reply.status != 200 || got.empty()) {
        throw std::runtime_error("claim answered " + std::to_string(reply.status) + " " +
                                 reply.body.substr(0, 200));
      }
      ids[w].insert(ids[w].end(), got.begin(), got.end());
    }
  });
  r.claim_per_s = share * args.workers / SecondsSince(start);
  watcher.Record(false);
  r.me_p99_claim = watcher.P99();

  Watcher submit_watcher(url, watch_token);
  submit_watcher.Record(true);
  start = Clock::now();
  OnThreads(args.workers, [&](int w) {
    mano::bench::WebClient client;
    auto headers = mano::bench::BrowserHeaders(tokens[w]);
    headers.push_back("Mano-Receipts: batch-v1");
    for (size_t first = 0; first < ids[w].size(); first += batch) {
      size_t last = std::min(ids[w].size(), first + batch);
      std::string body = "{\"results\":[";
      for (size_t i = first; i < last; ++i) {
        body += (i == first ? "" : ",") + ResultJson(ids[w][i], static_cast<int>(i));
      }
      body += "]}";
      auto reply = client.Post(url + "/v1/submit", headers, body);
      if (reply.status != 200 || CountOf(reply.body, "\"s\":\"accepted\"") != last - first) {
        throw std::runtime_error("submit answered " + std::to_string(reply.status) + " " +
                                 reply.body.substr(0, 300));
      }
    }
  });
  r.submit_per_s = share * args.workers / SecondsSince(start);
  submit_watcher.Record(false);
  r.me_p99_submit = submit_watcher.P99();
  if (watcher.failed() + submit_watcher.failed() > 0) {
    throw std::runtime_error("GET /v1/me failed during the load");
  }
  server.Stop();
  r.raw_per_s = RawSqlite(server.dir(), ids, batch);
  return r;
}

struct Stat {
  double median, min, max;
};

Stat Summary(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return {n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v.front(), v.back()};
}

std::string Cell(const std::vector<double>& v, int decimals) {
  Stat s = Summary(v);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.*f (%.*f-%.*f)", decimals, s.median, decimals, s.min, decimals,
                s.max);
  return buf;
}

std::vector<int> ParseList(const std::string& text) {
  std::vector<int> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    out.push_back(std::atoi(text.substr(start, comma - start).c_str()));
    start = comma + 1;
  }
  return out;
}

// Every batch size `args.runs` times, a line a run on stdout, then the medians' table.
int Run(const Args& args) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::map<int, std::vector<RunResult>> all;
  for (int batch : args.batches) {
    for (int run = 1; run <= args.runs; ++run) {
      RunResult r = OneRun(args, batch);
      all[batch].push_back(r);
      std::printf(
          "batch %d run %d: claim %.0f assignments/s (me p99 %.1f ms); submit %.0f results/s "
          "(me p99 %.1f ms); raw SQLite %.0f rows/s; ratio %.1f %%\n",
          batch, run, r.claim_per_s, r.me_p99_claim, r.submit_per_s, r.me_p99_submit, r.raw_per_s,
          100 * r.submit_per_s / r.raw_per_s);
      std::fflush(stdout);
    }
  }
  std::printf(
      "\n%d workers, %d results, %d runs; median (min-max)\n\n| batch | manod results/s | raw "
      "SQLite rows/s | manod / raw | claims of 100: assignments/s | GET /v1/me p99 ms, submit "
      "load | GET /v1/me p99 ms, claim load |\n|---:|---:|---:|---:|---:|---:|---:|\n",
      args.workers, args.results, args.runs);
  for (const auto& [batch, runs] : all) {
    std::vector<double> submit, raw, ratio, claim, p99s, p99c;
    for (const auto& r : runs) {
      submit.push_back(r.submit_per_s);
      raw.push_back(r.raw_per_s);
      ratio.push_back(100 * r.submit_per_s / r.raw_per_s);
      claim.push_back(r.claim_per_s);
      p99s.push_back(r.me_p99_submit);
      p99c.push_back(r.me_p99_claim);
    }
    std::printf("| %d | %s | %s | %s %% | %s | %s | %s |\n", batch, Cell(submit, 0).c_str(),
                Cell(raw, 0).c_str(), Cell(ratio, 1).c_str(), Cell(claim, 0).c_str(),
                Cell(p99s, 1).c_str(), Cell(p99c, 1).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  return mano::bench::Main(
      "ingest_bench", argc, argv,
      [&](mano::bench::BenchFlags& flags) {
        flags.Int("--runs", &args.runs)
            .Int("--workers", &args.workers)
            .Int("--results", &args.results)
            .Value("--batches", "100,500",
                   [&](const std::string& v) { args.batches = ParseList(v); })
            .Int("--threads", &args.threads);  // 0: manod's default
      },
      [&] { return Run(args); });
}
