#include "mano/client/ui/form_model.h"

#include <catch2/catch.hpp>

#include "mano/client/utf8.h"
#include "mano/sync/presets.h"
#include "ui_test_support.h"

using namespace mano::client::ui;
using mano::client::DecodeUtf8;
using mano::sync::Answer;
using mano::sync::PresetForm;

namespace {

void Type(FormModel& m, const char* utf8) {
  for (char32_t c : DecodeUtf8(utf8)) m.HandleKey(Key::Char(c));
}

}  // namespace

TEST_CASE("form: digits set a scale; out-of-range digits change nothing", "[ui][form]") {
  test::UseUtf8Locale();
  FormModel m(PresetForm("relevance"));
  CHECK_FALSE(m.FocusIsText());
  auto r = m.HandleKey(Key::Char(U'3'));
  CHECK(r.handled);
  CHECK(r.changed);
  r = m.HandleKey(Key::Char(U'7'));
  CHECK(r.handled);
  CHECK_FALSE(r.changed);
  CHECK(std::get<int64_t>(*m.ToAnswer().Get("score")) == 3);
  m.HandleKey(Key::Named(KeyCode::kRight));
  CHECK(std::get<int64_t>(*m.ToAnswer().Get("score")) == 4);
  m.HandleKey(Key::Named(KeyCode::kRight));  // clamped at max
  CHECK(std::get<int64_t>(*m.ToAnswer().Get("score")) == 4);
  CHECK(m.Validate().empty());
}

TEST_CASE("form: Tab and Shift-Tab move between fields and wrap", "[ui][form]") {
  FormModel m(PresetForm("entity_update"));
  CHECK(m.focused()->field.name == "status");
  m.NextField();
  CHECK(m.focused()->field.name == "name");
  CHECK(m.FocusIsText());
  m.PrevField();
  m.PrevField();
  CHECK(m.focused()->field.name == "address");
  m.NextField();
  CHECK(m.focus() == 0);
}

TEST_CASE("form: digits pick single options, toggle multi options", "[ui][form]") {
  FormModel cls(PresetForm("classification"));
  cls.HandleKey(Key::Char(U'2'));
  CHECK(std::get<std::string>(*cls.ToAnswer().Get("label")) == "joy");
  CHECK_FALSE(cls.HandleKey(Key::Char(U'2')).changed);  // already chosen
  cls.HandleKey(Key::Char(U'9'));                       // no 9th option: ignored
  CHECK(std::get<std::string>(*cls.ToAnswer().Get("label")) == "joy");
  cls.HandleKey(Key::Named(KeyCode::kDown));  // arrows move the choice too
  CHECK(std::get<std::string>(*cls.ToAnswer().Get("label")) == "sadness");

  FormModel aq(PresetForm("audio_quality"));
  aq.HandleKey(Key::Char(U'4'));
  aq.NextField();
  aq.HandleKey(Key::Char(U'1'));
  aq.HandleKey(Key::Char(U'3'));
  aq.HandleKey(Key::Char(U'1'));  // untick noise
  auto problems = std::get<std::vector<std::string>>(*aq.ToAnswer().Get("problems"));
  CHECK(problems == std::vector<std::string>{"dropouts"});
  aq.HandleKey(Key::Named(KeyCode::kDown));  // the highlight follows the last digit: 1 -> 2
  aq.HandleKey(Key::Char(U' '));             // Space ticks the highlighted option
  problems = std::get<std::vector<std::string>>(*aq.ToAnswer().Get("problems"));
  CHECK(problems == std::vector<std::string>{"clipping", "dropouts"});
  CHECK(aq.Validate().empty());
}

TEST_CASE("form: text fields take digits and letters as text", "[ui][form]") {
  test::UseUtf8Locale();
  FormModel m(PresetForm("relevance"));
  m.NextField();
  Type(m, "página 2 ok 👍");
  CHECK(std::get<std::string>(*m.ToAnswer().Get("comment")) == "página 2 ok 👍");
  m.HandleKey(Key::Named(KeyCode::kBackspace));
  m.HandleKey(Key::Named(KeyCode::kBackspace));
  CHECK(std::get<std::string>(*m.ToAnswer().Get("comment")) == "página 2 ok");
  // Missing required score: validation names it.
  auto problems = m.Validate();
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].field == "score");
}

TEST_CASE("form: answer and position round-trip through a draft", "[ui][form]") {
  test::UseUtf8Locale();
  FormModel m(PresetForm("entity_update"));
  m.HandleKey(Key::Char(U'4'));
  m.NextField();
  Type(m, "Panadería Ñandú");
  for (int i = 0; i < 5; ++i) m.HandleKey(Key::Named(KeyCode::kLeft));
  std::string draft = m.ToAnswer().ToJson();
  std::string position = m.Position();

  FormModel back(PresetForm("entity_update"));
  back.Load(Answer::FromJson(draft));
  back.RestorePosition(position);
  CHECK(back.focused()->field.name == "name");
  CHECK(back.focused()->text.text() == "Panadería Ñandú");
  CHECK(back.focused()->text.cursor() == m.focused()->text.cursor());
  CHECK(back.ToAnswer() == m.ToAnswer());
  back.RestorePosition("not json");  // ignored, no throw
  CHECK(back.focused()->field.name == "name");
}

TEST_CASE("form: number fields accept only number characters", "[ui][form]") {
  mano::sync::Form form;
  mano::sync::Field f;
  f.name = "count";
  f.type = mano::sync::FieldType::kNumber;
  f.label = "Count";
  form.fields = {f};
  FormModel m(form);
  for (char32_t c : std::u32string(U"1x2.5")) m.HandleKey(Key::Char(c));
  CHECK(m.focused()->text.text() == "12.5");
  CHECK(std::get<double>(*m.ToAnswer().Get("count")) == 12.5);
  m.HandleKey(Key::Char(U'.'));  // "12.5." does not parse: not in the answer
  CHECK(m.ToAnswer().Get("count") == nullptr);
}
