// ClockedWorld: a real manod with three one-field relevance tasks (0.30 USD each) and a
// ManoRunner whose `mano` reads its clock from a file the test moves (MANO_TEST_CLOCK_FILE,
// storage/clock.h): work-time tests advance time without sleeping. Test thread only.
#pragma once

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_json.h"
#include "mano_runner.h"
#include "manod_process.h"

namespace mano::test {

inline constexpr int64_t kSecond = 1'000;

inline std::string WriteTasks(const std::string& dir) {
  const std::string path = dir + "/tasks.jsonl";
  std::ofstream out(path);
  for (const char* id : {"t-1", "t-2", "t-3"})
    out << R"({"id":")" << id
        << R"(","kind":"relevance","form":{"title":"Rate it","fields":[{"name":"score",)"
           R"("type":"scale","label":"Score","required":true,"min":0,"max":4}]},)"
           R"("reward":300000,"currency":"USD","assignments":1})"
        << "\n";
  return path;
}

// `mano` with its clock read from a file the test moves.
struct ClockedWorld {
  ManoRunner runner;
  ManodProcess server{ManodProcess::Importing(WriteTasks(runner.dir()))};
  std::string clock_file = runner.dir() + "/clock";
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();

  ClockedWorld() { Advance(0); }
  void Advance(int64_t ms) {
    now += ms;
    // Atomically: a reader must never see the file empty (it would read the system clock).
    std::ofstream(clock_file + ".tmp") << now << "\n";
    std::filesystem::rename(clock_file + ".tmp", clock_file);
  }
  ManoResult Mano(const std::vector<std::string>& args, const std::string& input = {}) {
    ManoResult r = runner.Run(args, input, {{"MANO_TEST_CLOCK_FILE", clock_file}});
    INFO("mano " << args.at(0) << ": " << r.out << r.err);
    REQUIRE(r.status == 0);
    return r;
  }
  std::string ServerIdOf(const std::string& local_id) {
    auto list = Json(Mano({"list", "--json"}).out);
    for (auto& item : list.GetArray())
      if (Str(item, "id") == local_id) return Str(item, "server_id");
    FAIL("no assignment " << local_id);
    return "";
  }
  void Review(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"review", "--db", server.db()};
    all.insert(all.end(), args.begin(), args.end());
    std::string out;
    REQUIRE(server.Run(all, &out) == 0);
  }
};

// The overall total row of `mano ledger --json`.
inline const rapidjson::Value& Total(const rapidjson::Document& ledger) {
  for (auto& row : ledger["rows"].GetArray())
    if (Str(row, "period") == "total" && Str(row, "account") == "all") return row;
  FAIL("no total row");
  throw;
}

}  // namespace mano::test
