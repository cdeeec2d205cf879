// What the `mano` command line says to a person: in their language (plural forms included),
// in their time zone (JSON stays UTC), and never a value typed by mistake (a token) echoed
// back in a usage error. The real program, against a real manod where it needs one.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <sstream>
#include <string>

#include "logged_in_world.h"
#include "mano_runner.h"
#include "manod_process.h"

using namespace mano::test;

namespace {

const char kSecret[] = "tok_SECRET_0123456789abcdefghijklmnopqrstuv";

// Terminal cells of `line`: its code points (every character these outputs hold, Latin and
// Arabic letters alike, is one cell wide).
size_t Cells(const std::string& line) {
  size_t cells = 0;
  for (unsigned char c : line) cells += (c & 0xC0) != 0x80;
  return cells;
}

// `ms` as the wall clock of a zone `east_hours` east of UTC: "2026-12-02 07:30".
std::string WallClock(int64_t ms, int east_hours) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + east_hours * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

}  // namespace

TEST_CASE("usage errors never echo what was typed after an option", "[cli][integration][i18n]") {
  ManoRunner runner;
  const std::vector<std::vector<std::string>> typos = {
      {"login", "--server", "http://127.0.0.1:9", "--name", "a", "--token", kSecret},
      {"login", "--server", "http://127.0.0.1:9", "--name", "a", std::string("--token=") + kSecret},
      {"login", "--server", "http://127.0.0.1:9", "--name", "a", kSecret},
      {"login", "--name", "a", "--token-file"},
  };
  for (const auto& args : typos) {
    for (const char* lang : {"C.UTF-8", "es_ES.UTF-8"}) {
      ManoResult r = runner.Run(args, {}, {{"LANG", lang}});
      INFO(lang << ": " << r.err);
      CHECK(r.status == 2);
      CHECK(r.err.find("SECRET") == std::string::npos);
      CHECK(r.out.find("SECRET") == std::string::npos);
    }
  }
  ManoResult unknown = runner.Run(typos[0], {}, {{"LANG", "es_ES.UTF-8"}});
  CHECK_THAT(unknown.err, Catch::Contains("opción desconocida --token"));
  ManoResult missing = runner.Run({"login", "--name", "a"}, {}, {{"LANG", "fr_FR.UTF-8"}});
  CHECK_THAT(missing.err, Catch::Contains("il manque --server"));
}

TEST_CASE_METHOD(LoggedInWorld, "human output is in the local time zone, JSON in UTC",
                 "[cli][integration]") {
  REQUIRE(runner.Run({"claim", "--kind", "relevance"}).status == 0);
  auto items = Json(runner.Run({"list", "--json"}).out);
  REQUIRE(items.Size() == 1);
  const std::string id = items[0]["id"].GetString();
  const int64_t deadline = items[0]["deadline_ms"].GetInt64();
  const std::string utc = items[0]["deadline"].GetString();
  CHECK(utc.back() == 'Z');

  // POSIX TZ strings need no tz database: "XYZ-3" is three hours east of UTC.
  const std::map<std::string, std::string> east3 = {{"TZ", "XYZ-3"}};
  ManoResult show = runner.Run({"show", id}, {}, east3);
  INFO(show.out);
  REQUIRE(show.status == 0);
  CHECK_THAT(show.out, Catch::Contains(WallClock(deadline, 3) + " XYZ"));
  CHECK(show.out.find(utc) == std::string::npos);
  ManoResult status = runner.Run({"status"}, {}, east3);
  CHECK_THAT(status.out, Catch::Contains(WallClock(deadline, 3) + " XYZ"));

  auto json = Json(runner.Run({"show", id, "--json"}, {}, east3).out);
  CHECK(std::string(json["deadline"].GetString()) == utc);
  ManoResult west = runner.Run({"show", id}, {}, {{"TZ", "ABC+5"}});
  CHECK_THAT(west.out, Catch::Contains(WallClock(deadline, -5) + " ABC"));
}

TEST_CASE_METHOD(LoggedInWorld,
                 "Spanish: kinds, states, validation and plural forms come out translated",
                 "[cli][integration][i18n]") {
  REQUIRE(runner.Run({"claim", "--kind", "relevance", "--count", "2"}).status == 0);
  auto items = Json(runner.Run({"list", "--json"}).out);
  REQUIRE(items.Size() == 2);
  const std::string id = items[0]["id"].GetString();
  const std::map<std::string, std::string> es = {{"LANG", "es_ES.UTF-8"}};

  ManoResult list = runner.Run({"list"}, {}, es);
  CHECK_THAT(list.out, Catch::Contains("relevancia"));
  CHECK_THAT(list.out, Catch::Contains("reservada"));

  ManoResult bad = runner.Run({"answer", id, "--set", "score=99"}, {}, es);
  CHECK(bad.status == 6);
  CHECK_THAT(bad.err, Catch::Contains("score: debe ser como máximo 4"));

  ManoResult none = runner.Run({"status"}, {}, es);
  CHECK_THAT(none.out, Catch::Contains("bandeja de salida: 0 elementos"));
  REQUIRE(runner.Run({"answer", id, "--set", "score=3"}).status == 0);
  REQUIRE(runner.Run({"submit", id}).status == 0);
  ManoResult one = runner.Run({"status"}, {}, es);
  INFO(one.out);
  CHECK_THAT(one.out, Catch::Contains("bandeja de salida: 1 elemento,"));
  ManoResult shown = runner.Run({"show", id}, {}, es);
  CHECK_THAT(shown.out, Catch::Contains("por enviar"));
}

TEST_CASE_METHOD(LoggedInWorld, "mano show of every kind fits 80 columns in every language",
                 "[cli][integration][i18n]") {
  for (const char* kind : {"relevance", "classification", "audio_quality", "transcription",
                           "entity_update", "bounding_boxes"})
    REQUIRE(runner.Run({"claim", "--kind", kind}).status == 0);
  auto items = Json(runner.Run({"list", "--json"}).out);
  REQUIRE(items.Size() == 6);
  for (const char* lang : {"C.UTF-8", "es_ES.UTF-8", "fr_FR.UTF-8", "ar_EG.UTF-8"}) {
    for (const auto& item : items.GetArray()) {
      ManoResult show = runner.Run({"show", item["id"].GetString()}, {}, {{"LANG", lang}});
      REQUIRE(show.status == 0);
      std::stringstream lines(show.out);
      for (std::string line; std::getline(lines, line);) {
        INFO(lang << " " << item["kind"].GetString() << ": " << line);
        CHECK(Cells(line) <= 80);
      }
    }
  }
}

TEST_CASE("every help screen fits 80x24 (with the prompt) in every language",
          "[cli][integration][i18n]") {
  ManoRunner runner;
  const std::vector<std::vector<std::string>> commands = {{},
                                                          {"login"},
                                                          {"accounts"},
                                                          {"claim"},
                                                          {"list"},
                                                          {"show"},
                                                          {"answer"},
                                                          {"undo"},
                                                          {"submit"},
                                                          {"return"},
                                                          {"sync"},
                                                          {"status"},
                                                          {"ledger"},
                                                          {"evidence"},
                                                          {"evidence", "verify"},
                                                          {"journal"},
                                                          {"journal", "verify"},
                                                          {"requesters"}};
  for (const char* lang : {"C.UTF-8", "es_ES.UTF-8", "fr_FR.UTF-8", "ar_EG.UTF-8"}) {
    for (auto args : commands) {
      args.push_back("--help");
      ManoResult help = runner.Run(args, {}, {{"LANG", lang}});
      REQUIRE(help.status == 0);
      std::stringstream lines(help.out);
      int rows = 0;
      for (std::string line; std::getline(lines, line); ++rows) {
        INFO(lang << " " << args.front() << ": " << line);
        CHECK(Cells(line) <= 80);
      }
      INFO(lang << " " << args.front() << ":\n" << help.out);
      CHECK(rows <= 23);  // and the shell's prompt below it
      if (std::string(lang) == "ar_EG.UTF-8" && args.size() == 1) {
        // The description column lines up by cells, not bytes ("نص" is 4 bytes, 2 cells).
        CHECK(help.out.find("  --data-dir نص       مجلد البيانات") != std::string::npos);
      }
    }
  }
}
