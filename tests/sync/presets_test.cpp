#include "mano/sync/presets.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "file_bytes.h"
#include "mano/sync/validate.h"

using namespace mano::sync;

namespace {

std::string SamplesDir() {
  const char* src = std::getenv("MANO_SOURCE_DIR");
  return std::string(src ? src : ".") + "/tools/manod/samples";
}

// MANO_WRITE_SAMPLES=1 regenerates the committed sample files instead of checking them.
void CheckOrWrite(const std::string& path, const std::string& content) {
  if (std::getenv("MANO_WRITE_SAMPLES")) {
    std::ofstream(path, std::ios::binary) << content;
  }
  INFO(path << " is stale: rerun this test with MANO_WRITE_SAMPLES=1");
  CHECK(mano::test::ReadFileBytes(path) == content);
}

std::uint32_t Be32(const std::string& s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) |
         (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
std::vector<std::string> CsvRow(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else if (c != '\r') {
      cells.back() += c;
    }
  }
  return cells;
}

}  // namespace

TEST_CASE("Every preset form is valid and accepts its sample answers") {
  REQUIRE(PresetKinds().size() == 6);
  for (const auto& kind : PresetKinds()) {
    Form form = PresetForm(kind);
    INFO(kind);
    CHECK(ValidateForm(form).empty());
    for (std::uint32_t seed = 0; seed < 50; ++seed) {
      auto errors = Validate(form, SampleAnswer(kind, seed));
      CHECK(errors.empty());
    }
    // Only the boxes form has no required field.
    CHECK(Validate(form, Answer()).empty() == (kind == "bounding_boxes"));
  }
  CHECK_THROWS(PresetForm("nonsense"));
}

TEST_CASE("Sample tasks cover all six kinds and survive the import format") {
  std::set<std::string> kinds;
  for (const auto& t : SampleTasks()) {
    kinds.insert(t.kind);
    TaskSpec back = TaskSpec::FromJson(t.ToJson());
    CHECK(back.ToJson() == t.ToJson());
    CHECK(t.form.title.find("${") == std::string::npos);
    for (const auto& s : t.form.show) CHECK(s.value.find("${") == std::string::npos);
  }
  CHECK(kinds.size() == 6);
}

TEST_CASE("The PNG generator writes a well-formed PNG") {
  std::string png = MakeSamplePng(64, 48);
  CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  CHECK(png.substr(12, 4) == "IHDR");
  CHECK(Be32(png, 16) == 64);
  CHECK(Be32(png, 20) == 48);
  CHECK(png.substr(png.size() - 8, 4) == "IEND");
  CHECK(MakeSamplePng(64, 48) == png);  // deterministic
}

TEST_CASE("The WAV generator writes a PCM header and samples") {
  std::string wav = MakeSampleWav(500, 440);
  CHECK(wav.substr(0, 4) == "RIFF");
  CHECK(wav.substr(8, 8) == "WAVEfmt ");
  CHECK(wav.size() == 44 + 8000);
}

TEST_CASE("Committed sample files match the generators") {
  std::string dir = SamplesDir();
  std::string jsonl;
  for (const auto& t : SampleTasks()) jsonl += t.ToJson() + "\n";
  CheckOrWrite(dir + "/tasks.jsonl", jsonl);
  CheckOrWrite(dir + "/assets/tone.wav", MakeSampleWav(500, 440));
  CheckOrWrite(dir + "/assets/street.png", MakeSamplePng(64, 48));
  // Every line reads back and every path asset exists.
  std::istringstream lines(mano::test::ReadFileBytes(dir + "/tasks.jsonl"));
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    TaskSpec t = TaskSpec::FromJson(line);
    for (const auto& a : t.assets) {
      if (!a.path.empty()) CHECK_FALSE(mano::test::ReadFileBytes(dir + "/" + a.path).empty());
    }
    ++count;
  }
  CHECK(count >= 6);
}

TEST_CASE("The MTurk-style batch expands through the template into valid tasks") {
  std::string dir = SamplesDir();
  std::string tmpl = mano::test::ReadFileBytes(dir + "/mturk_template.json");
  std::istringstream csv(mano::test::ReadFileBytes(dir + "/mturk_batch.csv"));
  std::string line;
  REQUIRE(std::getline(csv, line));
  std::vector<std::string> header = CsvRow(line);
  int rows = 0;
  while (std::getline(csv, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cells = CsvRow(line);
    REQUIRE(cells.size() == header.size());
    std::map<std::string, std::string> vars;
    for (std::size_t i = 0; i < header.size(); ++i) vars[header[i]] = cells[i];
    TaskSpec t = TaskSpec::FromJson(ExpandTemplate(tmpl, vars));
    CHECK(t.kind == "relevance");
    CHECK(t.form.show.at(0).value == vars["query"]);
    ++rows;
  }
  CHECK(rows >= 3);
}
