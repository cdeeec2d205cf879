// Work time through the command line alone (issue 13), end to end: the real `mano` against a
// real manod, its clock driven through MANO_TEST_CLOCK_FILE (no sleeps). A task counts from
// `mano show` to `mano submit` however few commands come between; `mano claim` starts
// "searching"; a returned task's time is unpaid, a rejected one's too; a 2-hour gap is idle
// and left out unless --include-idle; both wages equal a hand computation to the cent.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "clocked_world.h"

using namespace mano::test;

TEST_CASE("work time from the command line: show to submit, claim searching, returned unpaid",
          "[cli][integration]") {
  ClockedWorld w;
  w.Mano({"login", "--server", w.server.url(), "--name", "alice"}, w.server.Token("alice") + "\n");
  w.Mano({"claim", "--count", "3"});  // searching from here
  w.Advance(20 * kSecond);
  w.Mano({"show", "1"});     // 20 s searching; task 1 from here
  w.Advance(140 * kSecond);  // read it elsewhere: no command for 140 s
  w.Mano({"answer", "1", "--set", "score=3"});
  w.Advance(10 * kSecond);
  w.Mano({"submit", "1"});  // 150 s on task 1
  w.Mano({"show", "2"});
  w.Advance(60 * kSecond);
  w.Mano({"return", "2"});  // 60 s on a returned task: unpaid
  w.Mano({"show", "3"});
  w.Advance(30 * kSecond);
  w.Mano({"answer", "3", "--set", "score=1"});
  w.Advance(2 * 3'600'000);  // the laptop closed for two hours
  w.Mano({"answer", "3", "--set", "score=2"});
  w.Advance(60 * kSecond);
  w.Mano({"submit", "3"});  // 90 s worked on task 3, 2 h idle
  w.Mano({"sync"});
  w.Review({"--approve", w.ServerIdOf("1")});
  w.Review({"--reject", w.ServerIdOf("3"), "--reason", "too quick"});
  w.Mano({"sync"});

  auto ledger = Json(w.Mano({"ledger", "--json"}).out);
  const auto& total = Total(ledger);
  CHECK(total["paid_ms"].GetInt64() == 150 * kSecond);
  CHECK(total["unpaid_ms"].GetInt64() == (60 + 90) * kSecond);  // returned + rejected
  CHECK(total["searching_ms"].GetInt64() == 20 * kSecond);
  CHECK(total["pending_ms"].GetInt64() == 0);
  CHECK(total["idle_ms"].GetInt64() == 2 * 3'600'000);
  CHECK(total["total_ms"].GetInt64() == 320 * kSecond);
  // By hand: 0.30 USD earned; over 150 s = 7.20 USD/h; over 320 s = 3.375 -> 3.38 USD/h.
  CHECK(Str(total, "paid_hourly_wage") == "7.20");
  CHECK(Str(total, "hourly_wage") == "3.38");
  REQUIRE(ledger["kinds"].Size() == 1);
  CHECK(Str(ledger["kinds"][0], "kind") == "relevance");

  // The idle two hours, counted on request: 0.30 / (320 s + 2 h) = 0.1443.. -> 0.14 USD/h.
  auto with_idle = Json(w.Mano({"ledger", "--json", "--include-idle"}).out);
  CHECK(Total(with_idle)["unpaid_ms"].GetInt64() == (60 + 90) * kSecond + 2 * 3'600'000);
  CHECK(Str(Total(with_idle), "hourly_wage") == "0.14");

  // A longer idle limit in the config makes the gap work time.
  std::filesystem::create_directories(w.runner.config_home() + "/mano");
  std::ofstream(w.runner.config_home() + "/mano/config.toml") << "[ledger]\nidle_minutes = 180\n";
  auto patient = Json(w.Mano({"ledger", "--json"}).out);
  CHECK(Total(patient)["idle_ms"].GetInt64() == 0);

  // The journal holds it all, chained.
  CHECK(w.Mano({"journal", "verify"}).out.find("intact") != std::string::npos);
}
