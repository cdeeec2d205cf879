#include "mano/sync/validate.h"

#include <catch2/catch.hpp>

#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"

using namespace mano::sync;

namespace {

Form TestForm() {
  return Form::FromJson(R"({"fields":[
    {"name":"one","type":"single","required":true,"options":[{"value":"a"},{"value":"b"}]},
    {"name":"many","type":"multi","options":[{"value":"x"},{"value":"y"},{"value":"z"}],"min":1,"max":2},
    {"name":"score","type":"scale","min":0,"max":4},
    {"name":"note","type":"text","max_length":5},
    {"name":"price","type":"number","min":0.5,"max":100},
    {"name":"boxes","type":"boxes","asset":"image","width":64,"height":48,"labels":["car","person"],"max":2}
  ]})");
}

// The fields named by the errors of validating `answer_json` against TestForm().
std::vector<std::string> ErrorFields(const std::string& answer_json) {
  std::vector<std::string> fields;
  for (const auto& e : Validate(TestForm(), Answer::FromJson(answer_json))) {
    CHECK_FALSE(e.message.empty());
    fields.push_back(e.field);
  }
  return fields;
}

using Fields = std::vector<std::string>;

}  // namespace

TEST_CASE("A complete valid answer has no errors") {
  CHECK(ErrorFields(R"({"one":"a","many":["x","z"],"score":4,"note":"h\u00e9llo",
      "price":99.5,"boxes":[{"x":0,"y":0,"w":64,"h":48,"l":"car"}]})")
            .empty());
  CHECK(ErrorFields(R"({"one":"b"})").empty());  // optional fields may be absent
  CHECK(ErrorFields(R"({"one":"b","boxes":[]})").empty());
  CHECK(ErrorFields(R"({"one":"b","price":1})").empty());  // an integer is a number
}

TEST_CASE("Required fields and unknown fields") {
  CHECK(ErrorFields(R"({})") == Fields{"one"});
  CHECK(ErrorFields(R"({"one":""})") == Fields{"one"});
  CHECK(ErrorFields(R"({"one":"a","extra":1})") == Fields{"extra"});
}

TEST_CASE("Single and multiple choice") {
  CHECK(ErrorFields(R"({"one":"c"})") == Fields{"one"});
  CHECK(ErrorFields(R"({"one":["a"]})") == Fields{"one"});
  CHECK(ErrorFields(R"({"one":"a","many":["w"]})") == Fields{"many[0]"});
  CHECK(ErrorFields(R"({"one":"a","many":["x","x"]})") == Fields{"many[1]"});
  CHECK(ErrorFields(R"({"one":"a","many":["x","y","z"]})") == Fields{"many"});
  CHECK(ErrorFields(R"({"one":"a","many":"x"})") == Fields{"many"});
}

TEST_CASE("Numbers beyond 2^53 - 1 are refused: RFC 8785 could not keep them exactly") {
  Answer a = Answer::FromJson(R"({"one":"a"})");
  a.Set("price", 1e16);
  auto errors = Validate(TestForm(), a);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "price");
  CHECK(errors[0].code == ValidationCode::kAboveMax);
  CHECK(errors[0].args == std::vector<std::string>{"9007199254740991"});
  a.Set("price", std::int64_t{-9007199254740992});
  errors = Validate(TestForm(), a);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == ValidationCode::kBelowMin);
}

TEST_CASE("Scale and number ranges") {
  CHECK(ErrorFields(R"({"one":"a","score":5})") == Fields{"score"});
  CHECK(ErrorFields(R"({"one":"a","score":-1})") == Fields{"score"});
  CHECK(ErrorFields(R"({"one":"a","score":2.5})") == Fields{"score"});
  CHECK(ErrorFields(R"({"one":"a","score":"3"})") == Fields{"score"});
  CHECK(ErrorFields(R"({"one":"a","price":0.25})") == Fields{"price"});
  CHECK(ErrorFields(R"({"one":"a","price":100.01})") == Fields{"price"});
  CHECK(ErrorFields(R"({"one":"a","price":"1"})") == Fields{"price"});
}

TEST_CASE("Text length counts code points, and invalid UTF-8 is refused") {
  CHECK(ErrorFields(R"({"one":"a","note":"\u00e9\u00e9\u00e9\u00e9\u00e9"})").empty());
  CHECK(ErrorFields(R"({"one":"a","note":"abcdef"})") == Fields{"note"});
  Answer bad;
  bad.Set("one", std::string("a"));
  bad.Set("note", std::string("\xc3("));
  auto errors = Validate(TestForm(), bad);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "note");
  CHECK(errors[0].message.find("UTF-8") != std::string::npos);
}

TEST_CASE("Text without max_length gets the default limit") {
  Form form = Form::FromJson(R"({"fields":[{"name":"t","type":"text"}]})");
  Answer a;
  a.Set("t", std::string(kDefaultMaxTextCodePoints, 'x'));
  CHECK(Validate(form, a).empty());
  a.Set("t", std::string(kDefaultMaxTextCodePoints + 1, 'x'));
  CHECK(Validate(form, a).size() == 1);
}

TEST_CASE("Boxes stay inside the image, have a size, known labels, and a bounded count") {
  CHECK(ErrorFields(R"({"one":"a","boxes":[{"x":1,"y":0,"w":64,"h":48,"l":"car"}]})") ==
        Fields{"boxes[0]"});
  CHECK(ErrorFields(R"({"one":"a","boxes":[{"x":-1,"y":0,"w":4,"h":4,"l":"car"}]})") ==
        Fields{"boxes[0]"});
  CHECK(ErrorFields(R"({"one":"a","boxes":[{"x":0,"y":45,"w":4,"h":4,"l":"car"}]})") ==
        Fields{"boxes[0]"});
  CHECK(ErrorFields(R"({"one":"a","boxes":[{"x":0,"y":0,"w":0,"h":4,"l":"car"}]})") ==
        Fields{"boxes[0]"});
  CHECK(ErrorFields(R"({"one":"a","boxes":[{"x":0,"y":0,"w":4,"h":4,"l":"dog"}]})") ==
        Fields{"boxes[0].l"});
  CHECK(ErrorFields(R"({"one":"a","boxes":[{"x":0,"y":0,"w":4,"h":4,"l":"car"},
      {"x":0,"y":0,"w":4,"h":4,"l":"car"},{"x":0,"y":0,"w":4,"h":4,"l":"car"}]})") ==
        Fields{"boxes"});
  // Huge coordinates must not overflow the bounds check.
  // (On the wire such numbers are refused on reading, RFC 8785; an answer built in memory
  // can still hold them.)
  CHECK_THROWS_AS(
      Answer::FromJson(
          R"({"one":"a","boxes":[{"x":9223372036854775000,"y":0,"w":9223372036854775000,"h":4,"l":"car"}]})"),
      SyncError);
  Answer huge = Answer::FromJson(R"({"one":"a"})");
  huge.Set("boxes", std::vector<Box>{Box{9223372036854775000, 0, 9223372036854775000, 4, "car"}});
  std::vector<std::string> fields;
  for (const auto& e : Validate(TestForm(), huge)) fields.push_back(e.field);
  CHECK(fields == Fields{"boxes[0]"});
  CHECK(ErrorFields(R"({"one":"a","boxes":["car"]})") == Fields{"boxes"});
}

TEST_CASE("ValidateForm catches unusable forms") {
  auto fields = [](const std::string& json) {
    std::vector<std::string> out;
    for (const auto& e : ValidateForm(Form::FromJson(json))) out.push_back(e.field);
    return out;
  };
  CHECK(fields(R"({"fields":[]})") == Fields{"fields"});
  CHECK(fields(R"({"fields":[{"name":"a","type":"single"}]})") == Fields{"fields[0].options"});
  CHECK(fields(R"({"fields":[{"name":"a","type":"scale","min":0}]})") == Fields{"fields[0]"});
  CHECK(fields(R"({"fields":[{"name":"a","type":"scale","min":0.5,"max":3}]})") ==
        Fields{"fields[0]"});
  CHECK(fields(R"({"fields":[{"name":"a","type":"text"},{"name":"a","type":"text"}]})") ==
        Fields{"fields[1].name"});
  CHECK(fields(R"({"fields":[{"name":"a","type":"boxes","asset":"i"}]})") == Fields{"fields[0]"});
  CHECK(fields(R"({"fields":[{"name":"a","type":"text","max_length":0}]})") ==
        Fields{"fields[0].max_length"});
  CHECK(fields(R"({"fields":[{"name":"a","type":"number","min":5,"max":1}]})") ==
        Fields{"fields[0].min"});
  CHECK(fields(R"({"fields":[{"name":"a","type":"scale","min":0,"max":4}]})").empty());
}

TEST_CASE("Each problem carries a code and its values, so the client words it", "[validate]") {
  auto problems = [](const std::string& json) {
    std::vector<std::pair<ValidationCode, std::vector<std::string>>> out;
    for (const auto& e : Validate(TestForm(), Answer::FromJson(json)))
      out.push_back({e.code, e.args});
    return out;
  };
  using V = std::vector<std::string>;
  using P = std::vector<std::pair<ValidationCode, V>>;
  CHECK(problems(R"({})") == P{{ValidationCode::kRequired, {}}});
  CHECK(problems(R"({"one":"c"})") == P{{ValidationCode::kNotAnOption, {"c"}}});
  CHECK(problems(R"({"one":"a","extra":1})") == P{{ValidationCode::kUnknownField, {}}});
  CHECK(problems(R"({"one":"a","many":["x","x"]})") == P{{ValidationCode::kChosenTwice, {"x"}}});
  CHECK(problems(R"({"one":"a","many":["x","y","z"]})") ==
        P{{ValidationCode::kTooManyOptions, {"2"}}});
  CHECK(problems(R"({"one":"a","score":5})") == P{{ValidationCode::kAboveMax, {"4"}}});
  CHECK(problems(R"({"one":"a","score":-1})") == P{{ValidationCode::kBelowMin, {"0"}}});
  CHECK(problems(R"({"one":"a","score":2.5})") == P{{ValidationCode::kNotWholeNumber, {}}});
  CHECK(problems(R"({"one":"a","note":"abcdef"})") ==
        P{{ValidationCode::kTextTooLong, {"6", "5"}}});
  CHECK(problems(R"({"one":"a","boxes":[{"x":60,"y":0,"w":10,"h":10,"l":"car"}]})") ==
        P{{ValidationCode::kOutsideImage, {"64", "48"}}});
  CHECK(problems(R"({"one":"a","boxes":[{"x":0,"y":0,"w":10,"h":10,"l":"dog"}]})") ==
        P{{ValidationCode::kNotALabel, {"dog"}}});
}
