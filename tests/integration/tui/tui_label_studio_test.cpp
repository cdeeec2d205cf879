// A Label Studio project as a worker meets it (issue 17): tasks imported with `manod import
// --format label-studio` open in the real `mano` UI in a tmux pane at 80x24, TERM=linux, in
// Spanish; the worker picks a Choice (changing her mind once), types a comment with a typo she
// fixes, draws and relabels a box, sends both and syncs; `manod export --format label-studio`
// then holds exactly what she did: the Choice's alias, the comment, and the box in percent of
// the image, from the pixels the screen showed.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <regex>
#include <thread>

#include "../client/cli_json.h"
#include "../client/mano_runner.h"
#include "label_studio_fixtures.h"
#include "manod_process.h"
#include "tmux_session.h"

using namespace mano::test;

TEST_CASE("tui: a Label Studio project is answered in Spanish at 80x24 and exported back",
          "[tui][integration][label_studio]") {
  ManodProcess server(mano::test::EmptyUnstarted());
  mano::test::ImportLabelStudio(server, "relevance");
  mano::test::ImportLabelStudio(server, "bounding_boxes");
  server.Start();
  ManoRunner runner;
  runner.LogIn(server);
  REQUIRE(runner.Run({"claim", "--count", "3"}).status == 0);

  TmuxServer tmux(runner.dir());
  tmux.Start("ls", {ManoRunner::Binary(), "--data-dir", runner.data_dir()},
             {{"LANG", "es_ES.UTF-8"},
              {"TERM", "linux"},
              {"MANO_HOME", runner.data_dir()},
              {"XDG_CONFIG_HOME", runner.config_home()}});
  auto wait = [&](const std::string& text) {
    std::string screen = tmux.WaitFor("ls", text, 30);
    INFO("waiting for \"" << text << "\" on:\n" << screen);
    REQUIRE(screen.find(text) != std::string::npos);
    return screen;
  };
  // Ctrl-R opens the review; Tab chooses Send, Enter presses it.
  auto send = [&] {
    tmux.Keys("ls", {"C-r"});
    wait("Revisar antes de enviar");
    tmux.Keys("ls", {"Tab"});
    tmux.Keys("ls", {"Enter"});
  };
  wait("recuadros");
  tmux.Keys("ls", {"Enter"});
  // The relevance task: the query, the HyperText as plain text, the Choices' labels.
  std::string task = wait("Is the page relevant to the query?");
  CHECK_THAT(task, Catch::Contains("query: cheap flights to lima"));
  CHECK_THAT(task, Catch::Contains("Result: Flights to Lima from $320 & up. Compare 12 airlines."));
  CHECK_THAT(task, Catch::Contains("2 ( ) Partially relevant"));
  tmux.Keys("ls", {"3"});  // "Not relevant" first; then she changes her mind
  wait("(*) Not relevant");
  tmux.Keys("ls", {"2"});
  wait("(*) Partially relevant");
  tmux.Keys("ls", {"Tab"});
  tmux.Type("ls", "solo precioz");
  wait("solo precioz");
  tmux.Keys("ls", {"BSpace"});
  tmux.Type("ls", "s");
  wait("solo precios ");
  send();
  // Back in the queue the sent task is last: the boxes task is the second row.
  wait("recibida");
  tmux.Keys("ls", {"Down"});
  tmux.Keys("ls", {"Enter"});
  wait("Label Studio task 601");
  wait("64x48 px");
  tmux.Keys("ls", {"n"});
  wait("1/1 Car");
  tmux.Keys("ls", {"Right", "Right", "Down"});
  tmux.Keys("ls", {"l"});
  std::string boxes = wait("1/1 Person");
  std::smatch m;
  REQUIRE(std::regex_search(boxes, m, std::regex(R"(1/1 Person x=(\d+) y=(\d+) w=(\d+) h=(\d+))")));
  const int x = std::stoi(m[1]), y = std::stoi(m[2]), w = std::stoi(m[3]), h = std::stoi(m[4]);
  send();
  wait("mano · Cola");
  tmux.Keys("ls", {"q"});
  for (int i = 0; i < 100 && !tmux.PaneDead("ls"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(tmux.PaneDead("ls"));
  ManoResult sync = runner.Run({"sync"});
  INFO(sync.out << sync.err);
  REQUIRE(sync.status == 0);

  std::string out = server.dir() + "/ls.json";
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "label-studio", "--out", out}) ==
          0);
  auto doc = Json(ReadFileBytes(out));
  REQUIRE(doc.Size() == 2);
  const rapidjson::Value* rel = nullptr;
  const rapidjson::Value* box = nullptr;
  for (const auto& t : doc.GetArray()) {
    if (t["id"].GetInt() == 101) rel = &t["annotations"][0]["result"];
    if (t["id"].GetInt() == 601) box = &t["annotations"][0]["result"];
  }
  REQUIRE(rel);
  REQUIRE(box);
  REQUIRE(rel->Size() == 2);
  CHECK(std::string((*rel)[0]["value"]["choices"][0].GetString()) == "partial");
  CHECK(std::string((*rel)[1]["value"]["text"][0].GetString()) == "solo precios");
  REQUIRE(box->Size() == 1);
  const auto& v = (*box)[0]["value"];
  CHECK(v["x"].GetDouble() == x * 100.0 / 64);
  CHECK(v["y"].GetDouble() == y * 100.0 / 48);
  CHECK(v["width"].GetDouble() == w * 100.0 / 64);
  CHECK(v["height"].GetDouble() == h * 100.0 / 48);
  CHECK(std::string(v["rectanglelabels"][0].GetString()) == "Person");
}
