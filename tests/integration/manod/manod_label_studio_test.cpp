// Label Studio projects through the real manod: `manod import --format label-studio` of
// realistic exports of all six kinds (fixtures in label_studio/, modelled on Label Studio's
// documented templates and export layouts: JSON with Label Studio's own members, JSON-MIN,
// local-files URLs), the refusals an operator meets (remote URLs, uploaded files, another
// encoding, a variable the data lacks, an unsupported tag), and `manod export --format
// label-studio` of every kind's answers, submitted over the protocol.
#include <rapidjson/document.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "label_studio_fixtures.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/presets.h"
#include "manod_fixture.h"

using namespace mano::test;
namespace fs = std::filesystem;

namespace {

const char* const kKinds[] = {"relevance",     "classification", "audio_quality",
                              "transcription", "entity_update",  "bounding_boxes"};

rapidjson::Document Parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  INFO(text);
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A manod with no tasks, not serving yet, and a folder `bundle/` for hand-made projects.
struct World {
  ManodProcess server{EmptyUnstarted()};
  std::string bundle = server.dir() + "/bundle";

  World() { fs::create_directories(bundle); }

  // `manod import --format label-studio TASKS --config CONFIG [extra]`; stdout+stderr in *said.
  int Import(const std::string& tasks, const std::string& config, std::string* said,
             const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"import",   "--db",         server.db(), tasks,
                                     "--format", "label-studio", "--config",  config};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string out, err;
    int status = server.Run(args, &out, &err);
    *said = out + err;
    return status;
  }
  int ImportFixture(const std::string& kind, std::string* said) {
    return Import(LabelStudioFixtures() + "/" + kind + ".json",
                  LabelStudioFixtures() + "/" + kind + ".xml", said);
  }
  // A hand-made project in bundle/: the tasks file's text and the config's.
  int ImportText(const std::string& tasks, const std::string& config, std::string* said) {
    std::ofstream(bundle + "/tasks.json", std::ios::binary) << tasks;
    std::ofstream(bundle + "/config.xml", std::ios::binary) << config;
    return Import(bundle + "/tasks.json", bundle + "/config.xml", said);
  }

  // Column `column` of table tasks for task `id` ("" when absent); the number of tasks.
  std::string TaskColumn(const std::string& id, const std::string& column) const {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(server.db().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    std::string sql = "SELECT " + column + " FROM tasks WHERE id=?";
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    sqlite3_bind_text(s, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    std::string value;
    if (sqlite3_step(s) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(s, 0);
      value = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return value;
  }
  int64_t TaskCount() const {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(server.db().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM tasks", -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
  }
  // The form a claim hands out for task `id`.
  rapidjson::Document Form(const std::string& id) const {
    rapidjson::Document task = Parse(TaskColumn(id, "task_json"));
    rapidjson::Document form;
    form.CopyFrom(task["form"], form.GetAllocator());
    return form;
  }
};

std::string Str(const rapidjson::Value& v, const char* key) {
  REQUIRE(v.HasMember(key));
  REQUIRE(v[key].IsString());
  return v[key].GetString();
}

// A one-task project whose image comes from `image` (the data's value).
std::string BoxesTasks(const std::string& image) {
  return R"([{"id":9,"data":{"image":")" + image + R"("}}])";
}
const char* const kBoxesConfig =
    "<View>\n  <Image name=\"image\" value=\"$image\"/>\n  <RectangleLabels name=\"label\" "
    "toName=\"image\">\n    <Label value=\"Car\"/>\n  </RectangleLabels>\n</View>\n";

}  // namespace

TEST_CASE("Label Studio exports of the six kinds import onto their forms, once",
          "[manod][label_studio][integration]") {
  World world;
  std::string said;
  for (const char* kind : kKinds) {
    INFO(kind << ": " << said);
    REQUIRE(world.ImportFixture(kind, &said) == 0);
  }
  CHECK(world.TaskCount() == 9);
  const std::map<std::string, std::string> kinds = {
      {"ls-101", "relevance"},      {"ls-102", "relevance"},     {"ls-201", "classification"},
      {"ls-202", "classification"}, {"ls-301", "audio_quality"}, {"ls-401", "transcription"},
      {"ls-402", "transcription"},  {"ls-501", "entity_update"}, {"ls-601", "bounding_boxes"}};
  for (const auto& [id, kind] : kinds) {
    INFO(id);
    CHECK(world.TaskColumn(id, "kind") == kind);
  }

  // Relevance: the query as text, the HyperText as plain text, the Choice aliases as values.
  auto rel = world.Form("ls-101");
  CHECK(Str(rel, "title") == "Is the page relevant to the query?");
  CHECK(Str(rel["show"][0], "value") == "cheap flights to lima");
  CHECK(Str(rel["show"][1], "label") == "Result");
  CHECK(Str(rel["show"][1], "value") == "Flights to Lima from $320 & up. Compare 12 airlines.");
  const auto& relevance = rel["fields"][0];
  CHECK(Str(relevance, "name") == "relevance");
  CHECK(Str(relevance, "type") == "single");
  CHECK(relevance["required"].GetBool());
  CHECK(Str(relevance["options"][1], "value") == "partial");
  CHECK(Str(relevance["options"][1], "label") == "Partially relevant");
  CHECK(Str(rel["fields"][1], "type") == "text");

  // Classification from JSON-MIN: the data is the item less Label Studio's members and the
  // answer already given ("sentiment"); the task's input is that data plus "label_studio".
  auto input = Parse(world.TaskColumn("ls-201", "input_json"));
  CHECK(input.MemberCount() == 2);
  CHECK(Str(input, "text") == "The delivery came two days early and the box was intact.");
  CHECK(input["label_studio"]["id"].GetInt() == 201);
  CHECK(Str(world.Form("ls-201")["fields"][0], "label") == "Choose text sentiment");

  // Audio quality: a Rating is a 1..maxRating scale; multiple choices a multi field; the
  // audio an asset (its local-files path percent-decoded).
  auto aq = world.Form("ls-301");
  CHECK(Str(aq["fields"][0], "type") == "scale");
  CHECK(aq["fields"][0]["min"].GetInt() == 1);
  CHECK(aq["fields"][0]["max"].GetInt() == 5);
  CHECK(Str(aq["fields"][1], "type") == "multi");
  auto aq_task = Parse(world.TaskColumn("ls-301", "task_json"));
  CHECK(Str(aq_task["assets"][0], "name") == "audio");
  CHECK(Str(aq_task["assets"][0], "type") == "audio/wav");
  CHECK(aq_task["assets"][0]["size"].GetInt64() ==
        static_cast<int64_t>(fs::file_size(LabelStudioFixtures() + "/media/clip-001.wav")));

  // Entity update: the website is a link; the text areas are text fields.
  auto eu = world.Form("ls-501");
  CHECK(Str(eu["show"][1], "type") == "url");
  CHECK(eu["fields"].Size() == 4);
  CHECK(Str(eu["fields"][3], "label") == "Phone");

  // Boxes: the image's size in pixels bounds the boxes; the labels are the Label values.
  auto bb = world.Form("ls-601");
  const auto& boxes = bb["fields"][0];
  CHECK(Str(boxes, "type") == "boxes");
  CHECK(Str(boxes, "asset") == "image");
  CHECK(boxes["width"].GetInt() == 64);
  CHECK(boxes["height"].GetInt() == 48);
  CHECK(boxes["labels"].Size() == 3);

  // Importing the same exports again adds nothing.
  REQUIRE(world.ImportFixture("relevance", &said) == 0);
  CHECK_THAT(said, Catch::Contains("imported 0 tasks (2 already there)"));
  CHECK(world.TaskCount() == 9);
}

TEST_CASE("a task without an id is named from its data, so a re-import adds nothing",
          "[manod][label_studio][integration]") {
  World world;
  std::string said;
  const char* config =
      R"(<View><Text name="t" value="$text"/><Choices name="s" toName="t"><Choice value="A"/>)"
      R"(</Choices></View>)";
  REQUIRE(world.ImportText(R"([{"text":"one"},{"text":"two"}])", config, &said) == 0);
  CHECK(world.TaskCount() == 2);
  std::string id = "ls-" + mano::sync::Sha256Hex(R"({"text":"one"})").substr(0, 16);
  CHECK(world.TaskColumn(id, "kind") == "classification");
  REQUIRE(world.ImportText(R"([{"text":"one"},{"text":"two"},{"text":"three"}])", config, &said) ==
          0);
  CHECK_THAT(said, Catch::Contains("imported 1 tasks (2 already there)"));
  // The same data twice in one file would be one task: refused, naming both.
  REQUIRE(world.ImportText(R"([{"text":"four"},{"text":"five"},{"text":"four"}])", config, &said) ==
          1);
  CHECK_THAT(said, Catch::Contains("tasks.json task 3: the same data as task 1 (a task without "
                                   "an id is named after its data)"));
  REQUIRE(world.ImportText(R"([{"id":1,"data":{"text":"x"}},{"id":1,"data":{"text":"y"}}])", config,
                           &said) == 1);
  CHECK_THAT(said, Catch::Contains("tasks.json task 2 (id 1): the same id as task 1"));
  CHECK(world.TaskCount() == 3);
}

TEST_CASE("the template gives kind, reward, currency, assignments and policy",
          "[manod][label_studio][integration]") {
  World world;
  std::ofstream(world.bundle + "/template.json")
      << R"({"kind":"sentiment","reward":30000,"currency":"EUR","assignments":3,)"
         R"("instructions":"Read it all.","title":"¿Qué tono tiene?",)"
         R"("policy":{"late":"accept","lease_ms":600000}})";
  std::ofstream(world.bundle + "/tasks.json") << R"([{"id":5,"data":{"text":"fine"}}])";
  std::ofstream(world.bundle + "/config.xml")
      << R"(<View><Text name="t" value="$text"/><Choices name="s" toName="t">)"
         R"(<Choice value="A"/></Choices></View>)";
  std::string said;
  REQUIRE(world.Import(world.bundle + "/tasks.json", world.bundle + "/config.xml", &said,
                       {"--template", world.bundle + "/template.json"}) == 0);
  CHECK(world.TaskColumn("ls-5", "kind") == "sentiment");
  CHECK(world.TaskColumn("ls-5", "reward") == "30000");
  CHECK(world.TaskColumn("ls-5", "currency") == "EUR");
  CHECK(world.TaskColumn("ls-5", "max_assignments") == "3");
  auto task = Parse(world.TaskColumn("ls-5", "task_json"));
  CHECK(Str(task["form"], "instructions") == "Read it all.");
  CHECK(Str(task["form"], "title") == "¿Qué tono tiene?");
  CHECK(Str(task["policy"], "late") == "accept");
  CHECK(task["policy"]["lease_ms"].GetInt() == 600000);

  // A form or assets in the template would fight the config: refused, naming the member.
  std::ofstream(world.bundle + "/template.json") << R"({"form":{}})";
  CHECK(world.Import(world.bundle + "/tasks.json", world.bundle + "/config.xml", &said,
                     {"--template", world.bundle + "/template.json"}) == 1);
  CHECK_THAT(said, Catch::Contains("form: has no place in a Label Studio template"));
}

TEST_CASE("a data: URI image is an inline asset whose size bounds the boxes",
          "[manod][label_studio][integration]") {
  World world;
  std::string said;
  std::string png = mano::sync::MakeSamplePng(40, 30);
  REQUIRE(world.ImportText(BoxesTasks("data:image/png;base64," + mano::sync::Base64Encode(png)),
                           kBoxesConfig, &said) == 0);
  auto form = world.Form("ls-9");
  const auto& field = form["fields"][0];
  CHECK(field["width"].GetInt() == 40);
  CHECK(field["height"].GetInt() == 30);
  auto task = Parse(world.TaskColumn("ls-9", "task_json"));
  CHECK(Str(task["assets"][0], "hash") == mano::sync::Sha256Hex(png));
  // A JPEG's size is in its frame header, after whatever segments come first (here an APP0
  // and an EXIF-sized APP1); a GIF's in its screen descriptor.
  std::string jpeg =
      "\xFF\xD8\xFF\xE0" + std::string("\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 16);
  jpeg += "\xFF\xE1" + std::string("\x20\x02", 2) + std::string(0x2000, 'e');
  jpeg += "\xFF\xC2" + std::string("\x00\x11\x08\x02\xD0\x05\x00\x03", 8) + std::string(9, '\x01');
  jpeg += "\xFF\xDA";
  std::string gif = "GIF89a" + std::string("\x40\x01\xF0\x00", 4) + std::string(8, '\0');
  std::string tasks = R"([{"id":10,"data":{"image":"data:image/jpeg;base64,)" +
                      mano::sync::Base64Encode(jpeg) +
                      R"("}},{"id":11,"data":{"image":"data:image/gif;base64,)" +
                      mano::sync::Base64Encode(gif) + R"("}}])";
  REQUIRE(world.ImportText(tasks, kBoxesConfig, &said) == 0);
  auto jpeg_form = world.Form("ls-10");
  CHECK(jpeg_form["fields"][0]["width"].GetInt() == 1280);
  CHECK(jpeg_form["fields"][0]["height"].GetInt() == 720);
  auto gif_form = world.Form("ls-11");
  CHECK(gif_form["fields"][0]["width"].GetInt() == 320);
  CHECK(gif_form["fields"][0]["height"].GetInt() == 240);
}

TEST_CASE("what manod cannot serve or read is refused in a sentence, and nothing is imported",
          "[manod][label_studio][integration]") {
  World world;
  std::string said;
  // A remote image: manod serves every asset itself.
  CHECK(world.ImportText(BoxesTasks("https://example.com/street.jpg"), kBoxesConfig, &said) == 1);
  CHECK_THAT(said, Catch::Contains("tasks.json task 1 (id 9): <Image name=\"image\"> value "
                                   "https://example.com/street.jpg is a remote URL: manod serves "
                                   "every asset itself, so download the file next to the tasks "
                                   "file and give its relative path instead"));
  // A file uploaded into Label Studio lives in Label Studio's media folder.
  CHECK(world.ImportText(BoxesTasks("/data/upload/3/1f2e-street.png"), kBoxesConfig, &said) == 1);
  CHECK_THAT(said, Catch::Contains("is a file uploaded into Label Studio: copy it next to the "
                                   "tasks file"));
  // A local file that is not an image whose size can be read.
  std::ofstream(world.bundle + "/notes.txt") << "not a picture";
  CHECK(world.ImportText(BoxesTasks("notes.txt"), kBoxesConfig, &said) == 1);
  CHECK_THAT(said, Catch::Contains("cannot read the image's size in pixels (boxes need a PNG, "
                                   "JPEG or GIF)"));
  // A path leading out of the folder.
  CHECK(world.ImportText(BoxesTasks("../manod.db"), kBoxesConfig, &said) == 1);
  CHECK_THAT(said, Catch::Contains("is not a file inside the tasks file's folder"));
  // The data lacks the config's variable.
  CHECK(world.ImportText(R"([{"id":3,"data":{"picture":"a.png"}}])", kBoxesConfig, &said) == 1);
  CHECK_THAT(said, Catch::Contains("tasks.json task 1 (id 3): data has no \"image\" (the "
                                   "config's <Image name=\"image\" value=\"$image\"> at line 2)"));
  // Windows-1252 ("café" with é as 0xE9) on line 3: the line and the encoding are named.
  const char* text_config =
      R"(<View><Text name="t" value="$text"/><Choices name="s" toName="t"><Choice value="A"/>)"
      R"(</Choices></View>)";
  CHECK(world.ImportText("[\n{\"text\":\"ok\"},\n{\"text\":\"caf\xE9\"}\n]", text_config, &said) ==
        1);
  CHECK_THAT(said, Catch::Contains("tasks.json line 3: not UTF-8 (Label Studio exports UTF-8; "
                                   "was the file saved in another encoding, such as "
                                   "Windows-1252?)"));
  // A data member named like manod's own.
  CHECK(world.ImportText(R"([{"id":4,"data":{"text":"a","label_studio":1}}])", text_config,
                         &said) == 1);
  CHECK_THAT(said, Catch::Contains("tasks.json task 1 (id 4): data.label_studio is a name manod "
                                   "keeps for itself; rename it"));
  // An unsupported tag in the config, by name and line.
  CHECK(world.ImportText(R"([{"text":"a"}])",
                         "<View>\n<Text name=\"t\" value=\"$text\"/>\n<Taxonomy name=\"x\" "
                         "toName=\"t\"/>\n</View>",
                         &said) == 1);
  CHECK_THAT(said, Catch::Contains("config.xml line 3: <Taxonomy> is not supported"));
  // --config without the format, and the format without --config.
  CHECK(world.server.Run({"import", "--db", world.server.db(), world.bundle + "/tasks.json",
                          "--config", world.bundle + "/config.xml"}) == 1);
  CHECK(world.server.Run({"import", "--db", world.server.db(), world.bundle + "/tasks.json",
                          "--format", "label-studio"}) == 1);
  // The other formats' names are checked against --template too.
  CHECK(world.server.Run({"import", "--db", world.server.db(), world.bundle + "/tasks.json",
                          "--format", "mturk-csv"}) == 1);
  CHECK(world.TaskCount() == 0);
}

TEST_CASE("every kind's answers export as Label Studio annotations on the imported tasks",
          "[manod][label_studio][integration]") {
  World world;
  std::string said;
  for (const char* kind : kKinds) REQUIRE(world.ImportFixture(kind, &said) == 0);
  // And a task of the project's own format, whose result the Label Studio export leaves out.
  world.server.Import(
      WriteFile(world.bundle, "plain.jsonl", {TaskLine("plain-1", "relevance", "refuse", 600000)}));
  world.server.Start();
  Client alice{Http(world.server.url()), world.server.Token("alice")};
  auto claim = alice.Claim("ls-claim", 20);
  REQUIRE(claim.assignments.size() == 10);
  const std::map<std::string, std::string> answers = {
      {"plain-1", R"({"score":2})"},
      {"ls-101", R"({"relevance":"partial","comment":"only prices"})"},
      {"ls-201", R"({"sentiment":"Positive"})"},
      {"ls-301", R"({"quality":4,"problems":["noise","echo"]})"},
      {"ls-401", R"({"transcription":"hola, ¿qué tal?"})"},
      {"ls-501", R"({"status":"open","name":"Panadería San José","phone":"+51 1 426 0000"})"},
      {"ls-601", R"({"label":[{"x":8,"y":12,"w":16,"h":24,"l":"Car"},)"
                 R"({"x":0,"y":0,"w":64,"h":48,"l":"Person"}]})"}};
  std::string body = "{\"results\":[";
  for (const auto& a : claim.assignments) {
    auto it = answers.find(a.task);
    if (it == answers.end()) continue;
    body += (body.back() == '[' ? "" : ",") + std::string("{\"a\":\"") + a.id +
            "\",\"v\":" + it->second + "}";
  }
  body += "]}";
  auto reply = alice.Submit(body);
  REQUIRE(reply.receipts.size() == 7);
  for (const auto& r : reply.receipts) CHECK(r.status == mano::sync::ReceiptStatus::kAccepted);

  // The MTurk CSV shows the data's strings as Input.* columns.
  std::string csv;
  REQUIRE(world.server.Run({"export", "--db", world.server.db(), "--format", "mturk-csv"}, &csv) ==
          0);
  CHECK_THAT(csv, Catch::Contains("Input.query"));
  CHECK_THAT(csv, Catch::Contains("cheap flights to lima"));

  std::string out = world.server.dir() + "/export.json";
  std::string err;
  REQUIRE(world.server.Run(
              {"export", "--db", world.server.db(), "--format", "label-studio", "--out", out},
              nullptr, &err) == 0);
  CHECK_THAT(err, Catch::Contains("left out 1 results of tasks not imported from Label Studio"));
  CHECK_THAT(err, Catch::Contains("exported 6 results"));
  auto doc = Parse(Read(out));
  REQUIRE(doc.IsArray());
  REQUIRE(doc.Size() == 6);  // tasks with a result only
  std::map<int, const rapidjson::Value*> by_id;
  for (const auto& t : doc.GetArray()) by_id[t["id"].GetInt()] = &t;
  auto result = [&](int id) -> const rapidjson::Value& {
    REQUIRE(by_id.count(id));
    const auto& task = *by_id[id];
    REQUIRE(task["annotations"].Size() == 1);
    CHECK(task["predictions"].IsArray());
    const auto& annotation = task["annotations"][0];
    CHECK_FALSE(annotation["was_cancelled"].GetBool());
    CHECK(Str(annotation["mano"], "worker") == "alice");
    return annotation["result"];
  };
  // The data goes back as it came (JSON-MIN's too, without its annotation members).
  CHECK(Str((*by_id[101])["data"], "query") == "cheap flights to lima");
  CHECK((*by_id[201])["data"].MemberCount() == 1);
  CHECK(Str((*by_id[301])["data"], "audio") == "/data/local-files/?d=media%2Fclip-001.wav");

  const auto& rel = result(101);
  REQUIRE(rel.Size() == 2);
  CHECK(Str(rel[0], "from_name") == "relevance");
  CHECK(Str(rel[0], "to_name") == "page");
  CHECK(Str(rel[0], "type") == "choices");
  CHECK(std::string(rel[0]["value"]["choices"][0].GetString()) == "partial");
  CHECK(Str(rel[1], "type") == "textarea");
  CHECK(std::string(rel[1]["value"]["text"][0].GetString()) == "only prices");

  const auto& cls = result(201);
  REQUIRE(cls.Size() == 1);
  CHECK(std::string(cls[0]["value"]["choices"][0].GetString()) == "Positive");

  const auto& aq = result(301);
  REQUIRE(aq.Size() == 2);
  CHECK(Str(aq[0], "type") == "rating");
  CHECK(aq[0]["value"]["rating"].GetInt() == 4);
  CHECK(aq[1]["value"]["choices"].Size() == 2);
  CHECK(std::string(aq[1]["value"]["choices"][1].GetString()) == "echo");

  const auto& tr = result(401);
  REQUIRE(tr.Size() == 1);
  CHECK(Str(tr[0], "to_name") == "audio");
  CHECK(std::string(tr[0]["value"]["text"][0].GetString()) == "hola, ¿qué tal?");

  const auto& eu = result(501);
  REQUIRE(eu.Size() == 3);  // status, name, phone: hours was left empty
  CHECK(Str(eu[2], "from_name") == "phone");

  const auto& bb = result(601);
  REQUIRE(bb.Size() == 2);
  CHECK(Str(bb[0], "type") == "rectanglelabels");
  CHECK(bb[0]["original_width"].GetInt() == 64);
  CHECK(bb[0]["original_height"].GetInt() == 48);
  CHECK(bb[0]["value"]["x"].GetDouble() == 12.5);
  CHECK(bb[0]["value"]["y"].GetDouble() == 25.0);
  CHECK(bb[0]["value"]["width"].GetDouble() == 25.0);
  CHECK(bb[0]["value"]["height"].GetDouble() == 50.0);
  CHECK(std::string(bb[0]["value"]["rectanglelabels"][0].GetString()) == "Car");
  CHECK(bb[1]["value"]["width"].GetDouble() == 100.0);
  CHECK(bb[1]["value"]["height"].GetDouble() == 100.0);
}
