// Claim and ingest rates of manod on SQLite (one process) and on PostgreSQL with 1, 2 and 4
// manod processes serving one database (issue 15), over loopback:
//   build/bin/pg_scale_bench --runs 3 [--tasks 4000] [--workers 8] [--batch 100]
// Each run: a fresh database with `tasks` tasks (one assignment each) and `workers` workers;
// every worker thread claims batches of `batch` through process (worker mod N) until nothing
// is left (assignments/s), then submits its results in batches of `batch` through the same
// process (results/s). PostgreSQL runs privately (tests/support/postgres_process.h) with
// fsync on, as durable as SQLite's synchronous=FULL. Prints one line per configuration:
// median, min and max of the runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "bench_main.h"
#include "mano/sync/messages.h"
#include "manod_http.h"
#include "manod_process.h"
#include "postgres_process.h"

using namespace mano::test;

namespace {

struct Rates {
  double claims = 0;   // assignments leased per second
  double results = 0;  // results stored per second
};

std::string Task(int i) {
  return "{\"id\":\"b" + std::to_string(i) +
         "\",\"kind\":\"k\",\"reward\":1,\"assignments\":1,\"form\":{\"title\":\"t\",\"fields\":"
         "[{\"name\":\"score\",\"type\":\"scale\",\"min\":0,\"max\":4,\"required\":true}]},"
         "\"policy\":{\"late\":\"refuse\",\"lease_ms\":3600000}}";
}

// One run: `processes` manod serving `db` (nullptr-equivalent "" = a new SQLite file).
Rates RunOnce(PostgresProcess* pg, int processes, int tasks, int workers, int batch) {
  ManodProcess first(
      ManodProcess::FirstOfSeveral(pg ? pg->CreateDatabase() : "", workers, "1000000"));
  {
    std::string path = first.dir() + "/tasks.jsonl";
    FILE* f = std::fopen(path.c_str(), "w");
    for (int i = 0; i < tasks; ++i) std::fprintf(f, "%s\n", Task(i).c_str());
    std::fclose(f);
    first.Import(path);
  }
  first.Start();
  std::vector<std::unique_ptr<ManodProcess>> more;
  for (int p = 1; p < processes; ++p)
    more.push_back(std::make_unique<ManodProcess>(first.Joining()));
  auto url_of = [&](int w) {
    const int p = w % processes;
    return p == 0 ? first.url() : more[static_cast<size_t>(p - 1)]->url();
  };

  std::vector<std::vector<std::string>> leased(static_cast<size_t>(workers));
  auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        Http http(url_of(w));
        const std::string token = first.Token("w" + std::to_string(w));
        for (int round = 0;; ++round) {
          Reply r = http.Post("/v1/claim", token,
                              "{\"key\":\"c" + std::to_string(round) +
                                  "\",\"count\":" + std::to_string(batch) + "}");
          if (r.status != 200) throw std::runtime_error("claim: " + r.body);
          auto claim = mano::sync::ClaimReply::FromJson(r.body);
          if (claim.assignments.empty()) break;
          for (const auto& a : claim.assignments) leased[static_cast<size_t>(w)].push_back(a.id);
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  Rates rates;
  size_t total = 0;
  for (const auto& l : leased) total += l.size();
  if (total != static_cast<size_t>(tasks)) throw std::runtime_error("not every task was leased");
  rates.claims = static_cast<double>(total) / mano::bench::SecondsSince(start);

  start = std::chrono::steady_clock::now();
  {
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        Http http(url_of(w));
        const std::string token = first.Token("w" + std::to_string(w));
        const auto& ids = leased[static_cast<size_t>(w)];
        for (size_t i = 0; i < ids.size(); i += static_cast<size_t>(batch)) {
          std::string body = "{\"results\":[";
          for (size_t j = i; j < std::min(ids.size(), i + static_cast<size_t>(batch)); ++j) {
            body += std::string(j > i ? "," : "") + "{\"a\":\"" + ids[j] + "\",\"k\":\"" + ids[j] +
                    ":1\",\"v\":{\"score\":1}}";
          }
          body += "]}";
          Reply r = http.Post("/v1/submit", token, body);
          if (r.status != 200) throw std::runtime_error("submit: " + r.body);
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  rates.results = static_cast<double>(total) / mano::bench::SecondsSince(start);
  return rates;
}

void Print(const char* name, std::vector<Rates> runs) {
  auto line = [&](const char* what, double Rates::*field) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r.*field);
    std::sort(v.begin(), v.end());
    std::printf("%-22s %-10s median %8.0f/s  min %8.0f/s  max %8.0f/s  (%zu runs)\n", name, what,
                v[v.size() / 2], v.front(), v.back(), v.size());
  };
  line("claims", &Rates::claims);
  line("results", &Rates::results);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3, tasks = 4000, workers = 8, batch = 100;
  mano::bench::BenchFlags flags;
  flags.Int("--runs", &runs)
      .Int("--tasks", &tasks)
      .Int("--workers", &workers)
      .Int("--batch", &batch);
  if (!flags.Parse(argc, argv, 1)) return flags.Usage("pg_scale_bench");
  std::printf("%d tasks, %d workers, batches of %d\n", tasks, workers, batch);
  std::vector<Rates> sqlite;
  for (int r = 0; r < runs; ++r) sqlite.push_back(RunOnce(nullptr, 1, tasks, workers, batch));
  Print("sqlite, 1 process", sqlite);
  PostgresProcess::Options durable;
  durable.fsync = true;
  PostgresProcess pg(durable);
  for (int processes : {1, 2, 4}) {
    std::vector<Rates> rates;
    for (int r = 0; r < runs; ++r) rates.push_back(RunOnce(&pg, processes, tasks, workers, batch));
    const std::string name =
        "postgresql, " + std::to_string(processes) + " process" + (processes > 1 ? "es" : "");
    Print(name.c_str(), rates);
  }
  return 0;
}
