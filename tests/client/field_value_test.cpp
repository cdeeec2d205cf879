#include "mano/client/field_value.h"

#include <catch2/catch.hpp>

#include "mano/client/exit_code.h"

using namespace mano::client;
using namespace mano::sync;  // the form's fields and the values read into them

namespace {
Field Make(FieldType type) {
  Field f;
  f.name = "f";
  f.type = type;
  return f;
}
ExitCode CodeOf(const Field& f, const std::string& text) {
  try {
    ParseFieldValue(f, text);
  } catch (const CliError& e) {
    CHECK_THAT(e.what(), Catch::Contains("'f'"));
    return e.code();
  }
  return ExitCode::kOk;
}
}  // namespace

TEST_CASE("field values: one per type, and back", "[field]") {
  CHECK(std::get<std::string>(*ParseFieldValue(Make(FieldType::kSingle), " b ")) == "b");
  CHECK(std::get<std::string>(*ParseFieldValue(Make(FieldType::kText), " hola, qué tal ")) ==
        " hola, qué tal ");
  CHECK(std::get<std::vector<std::string>>(*ParseFieldValue(Make(FieldType::kMulti), "a, b,c")) ==
        std::vector<std::string>{"a", "b", "c"});
  CHECK(std::get<int64_t>(*ParseFieldValue(Make(FieldType::kScale), "3")) == 3);
  CHECK(std::get<double>(*ParseFieldValue(Make(FieldType::kNumber), "12.5")) == 12.5);
  auto boxes = std::get<std::vector<Box>>(
      *ParseFieldValue(Make(FieldType::kBoxes), "1,2,30,40,car; 5,6,7,8,a, b;9,9,1,1"));
  REQUIRE(boxes.size() == 3);
  CHECK(boxes[0] == Box{1, 2, 30, 40, "car"});
  CHECK(boxes[1] == Box{5, 6, 7, 8, "a, b"});
  CHECK(boxes[2] == Box{9, 9, 1, 1, ""});
  CHECK(FormatFieldValue(AnswerValue{boxes}) == "1,2,30,40,car;5,6,7,8,a, b;9,9,1,1");
  CHECK(FormatFieldValue(AnswerValue{std::vector<std::string>{"a", "b"}}) == "a,b");
  CHECK(FormatFieldValue(AnswerValue{int64_t{4}}) == "4");
  CHECK(FormatFieldValue(AnswerValue{12.5}) == "12.5");
}

TEST_CASE("field values: empty clears, bad syntax is a validation error", "[field]") {
  CHECK_FALSE(ParseFieldValue(Make(FieldType::kScale), "").has_value());
  CHECK_FALSE(ParseFieldValue(Make(FieldType::kText), "").has_value());
  CHECK_FALSE(ParseFieldValue(Make(FieldType::kMulti), " ").has_value());
  CHECK(CodeOf(Make(FieldType::kScale), "3.5") == ExitCode::kValidation);
  CHECK(CodeOf(Make(FieldType::kScale), "three") == ExitCode::kValidation);
  CHECK(CodeOf(Make(FieldType::kNumber), "1e999") == ExitCode::kValidation);
  CHECK(CodeOf(Make(FieldType::kNumber), "12,5") == ExitCode::kValidation);
  CHECK(CodeOf(Make(FieldType::kMulti), "a,,b") == ExitCode::kValidation);
  CHECK(CodeOf(Make(FieldType::kBoxes), "1,2,3") == ExitCode::kValidation);
  CHECK(CodeOf(Make(FieldType::kBoxes), "1,2,x,4,car") == ExitCode::kValidation);
}

TEST_CASE("FIELD=VALUE splitting", "[field]") {
  CHECK(SplitAssignment("a=b=c") == std::pair<std::string, std::string>{"a", "b=c"});
  CHECK(SplitAssignment("a=") == std::pair<std::string, std::string>{"a", ""});
  try {
    SplitAssignment("=x");
    FAIL("accepted");
  } catch (const CliError& e) {
    CHECK(e.code() == ExitCode::kUsage);
  }
  CHECK_THROWS_AS(SplitAssignment("novalue"), CliError);
}
