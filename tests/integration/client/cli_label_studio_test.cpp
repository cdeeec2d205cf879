// Label Studio round trip (issue 17), end to end with the real programs: four Label Studio
// projects (relevance with Choices, an audio rating, a transcription with a TextArea, bounding
// boxes with RectangleLabels; fixtures in tests/integration/manod/label_studio) go into manod
// with `manod import --format label-studio`; the real `mano` claims them (assets and all),
// answers, submits and syncs; `manod export --format label-studio` gives them back as Label
// Studio tasks with annotations: the same ids and data as the export that came in, and each
// answer as the result item Label Studio would have stored (rectangles in percent of the
// image, computed from the pixel integers).
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "cli_json.h"
#include "label_studio_fixtures.h"
#include "mano_runner.h"
#include "manod_process.h"

using namespace mano::test;

namespace {

// The one result item of `result` from control `from_name` (the test fails when there is not
// exactly one).
const rapidjson::Value& Item(const rapidjson::Value& result, const std::string& from_name) {
  const rapidjson::Value* found = nullptr;
  int n = 0;
  for (const auto& item : result.GetArray()) {
    if (Str(item, "from_name") == from_name) {
      found = &item;
      ++n;
    }
  }
  INFO(from_name);
  REQUIRE(n == 1);
  return *found;
}

}  // namespace

TEST_CASE("Label Studio projects go through mano and come back as Label Studio annotations",
          "[cli][integration][label_studio]") {
  const std::vector<std::string> projects = {"relevance", "audio_quality", "transcription",
                                             "bounding_boxes"};
  ManodProcess server(mano::test::EmptyUnstarted());
  for (const auto& p : projects) mano::test::ImportLabelStudio(server, p);
  server.Start();

  ManoRunner runner;
  runner.LogIn(server);
  ManoResult claim = runner.Run({"claim", "--count", "10"});
  INFO(claim.out << claim.err);
  REQUIRE(claim.status == 0);
  auto list = Json(runner.Run({"list", "--json"}).out);
  std::map<std::string, std::string> local;  // task id -> mano's id
  for (auto& item : list.GetArray()) local[Str(item, "task")] = Str(item, "id");
  REQUIRE(local.size() == 6);

  // What alice answers, as a person types it.
  const std::map<std::string, std::vector<std::string>> answers = {
      {"ls-101", {"relevance=partial", "comment=prices only, no dates"}},
      {"ls-102", {"relevance=relevant"}},
      {"ls-301", {"quality=4", "problems=noise,echo"}},
      {"ls-401", {"transcription=Buenos días, ¿me oye bien?"}},
      {"ls-402", {"transcription=[unclear] at the end"}},
      {"ls-601", {"label=8,12,16,24,Car;3,5,7,11,Person"}}};
  for (const auto& [task, sets] : answers) {
    std::vector<std::string> args = {"answer", local.at(task)};
    for (const auto& s : sets) {
      args.push_back("--set");
      args.push_back(s);
    }
    ManoResult answer = runner.Run(args);
    INFO(task << ": " << answer.out << answer.err);
    REQUIRE(answer.status == 0);
    ManoResult submit = runner.Run({"submit", local.at(task)});
    INFO(submit.out << submit.err);
    REQUIRE(submit.status == 0);
  }
  ManoResult sync = runner.Run({"sync"});
  INFO(sync.out << sync.err);
  REQUIRE(sync.status == 0);
  auto after = Json(runner.Run({"list", "--json"}).out);
  for (auto& item : after.GetArray()) {
    CHECK(Str(item, "state") == "accepted");
  }

  std::string out = server.dir() + "/label-studio.json";
  std::string said;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "label-studio", "--out", out},
                     &said, &said) == 0);
  CHECK_THAT(said, Catch::Contains("exported 6 results"));
  auto exported = Json(ReadFileBytes(out));

  // The structure Label Studio's import takes: a list of tasks, each with the id and data of
  // the task that came in and a list of annotations whose result items name their control.
  REQUIRE(exported.IsArray());
  REQUIRE(exported.Size() == 6);
  std::map<int64_t, const rapidjson::Value*> by_id;
  for (const auto& task : exported.GetArray()) {
    REQUIRE(task.IsObject());
    REQUIRE(task["id"].IsInt64());
    REQUIRE(task["data"].IsObject());
    REQUIRE(task["annotations"].IsArray());
    REQUIRE(task["annotations"].Size() == 1);
    const auto& annotation = task["annotations"][0];
    REQUIRE(annotation["result"].IsArray());
    CHECK_FALSE(annotation["was_cancelled"].GetBool());
    CHECK(annotation["lead_time"].IsNumber());
    CHECK(Str(annotation, "created_at").back() == 'Z');
    for (const auto& item : annotation["result"].GetArray()) {
      for (const char* key : {"id", "from_name", "to_name", "type"}) {
        INFO(key);
        CHECK(item[key].IsString());
      }
      CHECK(item["value"].IsObject());
    }
    by_id[task["id"].GetInt64()] = &task;
  }
  std::set<int64_t> seen;
  for (const auto& p : projects) {
    auto original = Json(ReadFileBytes(mano::test::LabelStudioFixtures() + "/" + p + ".json"));
    for (const auto& task : original.GetArray()) {
      int64_t id = task["id"].GetInt64();
      INFO("task " << id);
      REQUIRE(by_id.count(id) == 1);
      CHECK((*by_id[id])["data"] == task["data"]);  // the data as Label Studio gave it
      seen.insert(id);
    }
  }
  CHECK(seen.size() == 6);
  auto result = [&](int64_t id) -> const rapidjson::Value& {
    return (*by_id.at(id))["annotations"][0]["result"];
  };

  // Relevance (Choices): the Choice's alias, as Label Studio stores it, and the comment.
  const auto& rel = Item(result(101), "relevance");
  CHECK(Str(rel, "to_name") == "page");
  CHECK(Str(rel, "type") == "choices");
  REQUIRE(rel["value"]["choices"].Size() == 1);
  CHECK(std::string(rel["value"]["choices"][0].GetString()) == "partial");
  const auto& comment = Item(result(101), "comment");
  CHECK(Str(comment, "type") == "textarea");
  CHECK(std::string(comment["value"]["text"][0].GetString()) == "prices only, no dates");
  CHECK(result(102).Size() == 1);  // no comment given, none written
  CHECK(std::string(Item(result(102), "relevance")["value"]["choices"][0].GetString()) ==
        "relevant");

  // Rating.
  const auto& rating = Item(result(301), "quality");
  CHECK(Str(rating, "type") == "rating");
  CHECK(Str(rating, "to_name") == "audio");
  CHECK(rating["value"]["rating"].GetInt() == 4);
  const auto& problems = Item(result(301), "problems")["value"]["choices"];
  REQUIRE(problems.Size() == 2);
  CHECK(std::string(problems[0].GetString()) == "noise");
  CHECK(std::string(problems[1].GetString()) == "echo");

  // Transcription (TextArea): the text, exactly.
  const auto& text = Item(result(401), "transcription");
  CHECK(Str(text, "type") == "textarea");
  CHECK(Str(text, "to_name") == "audio");
  REQUIRE(text["value"]["text"].Size() == 1);
  CHECK(std::string(text["value"]["text"][0].GetString()) == "Buenos días, ¿me oye bien?");
  CHECK(std::string(Item(result(402), "transcription")["value"]["text"][0].GetString()) ==
        "[unclear] at the end");

  // Bounding boxes (RectangleLabels): percent of the 64x48 image, from the pixel integers.
  const auto& boxes = result(601);
  REQUIRE(boxes.Size() == 2);
  struct Want {
    int x, y, w, h;
    const char* label;
  };
  const Want want[] = {{8, 12, 16, 24, "Car"}, {3, 5, 7, 11, "Person"}};
  for (int i = 0; i < 2; ++i) {
    const auto& box = boxes[i];
    INFO("box " << i);
    CHECK(Str(box, "from_name") == "label");
    CHECK(Str(box, "to_name") == "image");
    CHECK(Str(box, "type") == "rectanglelabels");
    CHECK(box["original_width"].GetInt() == 64);
    CHECK(box["original_height"].GetInt() == 48);
    CHECK(box["image_rotation"].GetInt() == 0);
    const auto& v = box["value"];
    CHECK(v["x"].GetDouble() == want[i].x * 100.0 / 64);
    CHECK(v["y"].GetDouble() == want[i].y * 100.0 / 48);
    CHECK(v["width"].GetDouble() == want[i].w * 100.0 / 64);
    CHECK(v["height"].GetDouble() == want[i].h * 100.0 / 48);
    CHECK(v["rotation"].GetInt() == 0);
    REQUIRE(v["rectanglelabels"].Size() == 1);
    CHECK(std::string(v["rectanglelabels"][0].GetString()) == want[i].label);
  }
  // 3/64 and 5/48 are not short decimals: what Label Studio reads back is the same double.
  CHECK(boxes[1]["value"]["x"].GetDouble() == 4.6875);
  CHECK(boxes[1]["value"]["y"].GetDouble() == 500.0 / 48);
}
