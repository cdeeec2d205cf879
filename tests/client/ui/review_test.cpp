// Submitting is a deliberate act (issue 11): Enter is a new line in a long text and the next
// field elsewhere, never "send"; the review lists every answer and its problems and sends
// only from its focused "Send" button; a queued result can be taken back while it waits; a
// late result is announced with what the task's late policy will do. Driven through the
// ScreenManager with keys on an 80x24 MemoryCanvas.
#include <catch2/catch.hpp>

#include "mano/client/utf8.h"
#include "mano/sync/result_builder.h"
#include "screen_fixture.h"

using namespace mano::client::ui;
using mano::storage::AssignmentState;

using test::CheckShows;
using test::Fixture;
using test::Has;
using test::kNow;

namespace {

void SetLatePolicy(Fixture& f, int64_t id, mano::sync::LatePolicy policy) {
  auto a = f.store.GetAssignment(id);
  REQUIRE(a);
  auto server = mano::sync::Assignment::FromJson(a->payload);
  server.policy.late = policy;
  a->payload = server.ToJson();
  f.store.UpsertAssignment(*a);
}

void PressAll(Fixture& f, const char* utf8) {
  for (char32_t c : mano::client::DecodeUtf8(utf8)) {
    f.Press(c == U'\n' ? Key::Named(KeyCode::kEnter) : Key::Char(c));
  }
}

}  // namespace

TEST_CASE("review: Enter then 'y me dijo que' in a transcript types, never submits",
          "[ui][review]") {
  Fixture f;
  int64_t id = f.Add("transcription", "t1");
  f.StartOnFirstTask();
  // The old confirm took y, s, o and Enter as "yes" and q then quit the UI.
  PressAll(f, "ella llegó tarde\ny me dijo que\nsí, o que no\nq");
  REQUIRE(f.Task());
  CHECK_FALSE(f.Task()->reviewing());
  CHECK(f.manager->depth() == 2);
  CHECK_FALSE(f.manager->quit());
  CHECK(f.Task()->model().focused()->text.text() ==
        "ella llegó tarde\ny me dijo que\nsí, o que no\nq");
  CHECK(f.store.OutboxStats("alice").items == 0);
  CHECK(f.store.GetAssignment(id)->state != AssignmentState::kQueued);
  std::string s = f.Screen();
  INFO(s);
  CheckShows(s, {"|ella llegó tarde", "|y me dijo que", "|sí, o que no", "Ctrl-R send…"});
  CHECK_FALSE(Has(s, "Enter submit"));
  // The draft keeps the line breaks.
  f.Press(Key::Named(KeyCode::kEscape));
  CHECK(f.store.LatestCheckpoint(id)->content ==
        R"({"text":"ella llegó tarde\ny me dijo que\nsí, o que no\nq"})");
}

TEST_CASE("review: Enter moves to the next field outside a long text", "[ui][review]") {
  Fixture f;
  f.Add("entity_update", "e1");
  f.StartOnFirstTask();
  f.Press(Key::Char(U'1'));
  f.Press(Key::Named(KeyCode::kEnter));  // choice -> name
  CHECK(f.Task()->model().focus() == 1);
  f.Type("Panadería");
  f.Press(Key::Named(KeyCode::kEnter));  // name -> hours
  CHECK(f.Task()->model().focus() == 2);
  CHECK(f.Task()->model().fields()[1].text.text() == "Panadería");
  f.Press(Key::Named(KeyCode::kEnter));
  f.Press(Key::Named(KeyCode::kEnter));  // -> address, the last field
  CHECK(f.Task()->model().focus() == 4);
  f.Press(Key::Named(KeyCode::kEnter));  // past the end: back to the first, never a send
  CHECK(f.Task()->model().focus() == 0);
  CHECK(Has(f.Screen(), "That was the last field. Ctrl-R reviews the answer and sends it."));
  CHECK(f.store.OutboxStats("alice").items == 0);
  CHECK_FALSE(f.Task()->reviewing());
}

TEST_CASE("review: every answer and its problems; only the focused Send button sends",
          "[ui][review]") {
  Fixture f;
  int64_t id = f.Add("relevance", "r1");
  f.StartOnFirstTask();
  f.Press(Key::Named(KeyCode::kTab));
  PressAll(f, "útil\nsegunda línea");
  f.Press(Key::Ctrl('r'));
  REQUIRE(f.Task()->reviewing());
  std::string s = f.Screen();
  INFO(s);
  CheckShows(
      s, {"mano · Review", "Review before sending: How well does the result answer the query?",
          "Relevance *:", "Comment (optional):", "    útil", "    segunda línea",
          "Not ready to send; fix these first:", "- Relevance: is required", "[ Back to the form ]",
          "(fix the problems above to send)",
          "Tab choose a button · Enter press the chosen button · Esc back to the form"});
  // With problems Tab never reaches a Send button; Enter goes back to the form.
  f.Press(Key::Named(KeyCode::kTab));
  CHECK_FALSE(f.Task()->send_focused());
  f.Press(Key::Named(KeyCode::kEnter));
  CHECK_FALSE(f.Task()->reviewing());
  CHECK(f.store.OutboxStats("alice").items == 0);
  CHECK(f.Task()->model().focus() == 0);  // on the field with the problem

  f.Press(Key::Char(U'3'));
  f.Press(Key::Named(KeyCode::kF10));
  s = f.Screen();
  INFO(s);
  CheckShows(s, {"No problems found.", "3 Good", "[ Send ]"});
  // Letters (any language's typing) and Enter on "Back" send nothing.
  PressAll(f, "ysoSíнд");
  CHECK(f.Task()->reviewing());
  CHECK(f.store.OutboxStats("alice").items == 0);
  f.Press(Key::Named(KeyCode::kEnter));
  CHECK_FALSE(f.Task()->reviewing());
  CHECK(f.store.OutboxStats("alice").items == 0);
  // Tab to Send, then Enter: queued.
  f.Press(Key::Named(KeyCode::kF10));
  f.Press(Key::Named(KeyCode::kTab));
  CHECK(f.Task()->send_focused());
  f.Press(Key::Named(KeyCode::kEnter));
  CHECK(f.manager->depth() == 1);
  CHECK(f.store.OutboxStats("alice").items == 1);
  CHECK(f.store.GetAssignment(id)->state == AssignmentState::kQueued);
  CHECK(Has(f.Screen(), "Submitted."));
}

TEST_CASE("review: a queued result is taken back with r; once on the wire it cannot be",
          "[ui][review]") {
  Fixture f;
  int64_t id = f.Add("classification", "c1");
  f.StartOnFirstTask();
  f.Press(Key::Char(U'2'));
  f.Press(Key::Named(KeyCode::kF10));
  f.Press(Key::Named(KeyCode::kTab));
  f.Press(Key::Named(KeyCode::kEnter));
  REQUIRE(f.store.OutboxStats("alice").items == 1);
  // Open it again: read only, the keys line offers "take back", not "send".
  f.Press(Key::Named(KeyCode::kEnter));
  REQUIRE(f.Task());
  std::string s = f.Screen();
  INFO(s);
  CHECK(Has(s, "read only"));
  CHECK(Has(s, "r take back to a draft"));
  CHECK_FALSE(Has(s, "Ctrl-R"));
  f.Press(Key::Named(KeyCode::kF10));
  CHECK_FALSE(f.Task()->reviewing());
  f.Press(Key::Char(U'r'));
  s = f.Screen();
  INFO(s);
  CHECK(Has(s, "Taken back: it is a draft again and nothing was sent."));
  CHECK(f.store.OutboxStats("alice").items == 0);
  CHECK(f.store.GetAssignment(id)->state == AssignmentState::kInProgress);
  CHECK(Has(s, "2 (*) Joy"));
  CHECK(Has(s, "Ctrl-R send…"));
  f.Press(Key::Char(U'3'));  // editable again
  CHECK(Has(f.Screen(), "3 (*) Sadness"));

  // Sent again, and a sync picks it up: now it stays.
  f.Press(Key::Named(KeyCode::kF10));
  f.Press(Key::Named(KeyCode::kTab));
  f.Press(Key::Named(KeyCode::kEnter));
  auto pending = f.store.PendingResults("alice");
  REQUIRE(pending.size() == 1);
  REQUIRE(f.store.MarkSending(pending[0].id));
  f.Press(Key::Named(KeyCode::kEnter));
  f.Press(Key::Char(U'r'));
  CHECK(Has(test::Flat(f.Screen()), "it cannot be taken back"));
  CHECK(f.store.OutboxStats("alice").items == 1);
  CHECK(f.store.GetAssignment(id)->state == AssignmentState::kQueued);
  // Received by the server: still not.
  REQUIRE(f.store.ApplyReceipts("alice",
                                {{pending[0].idempotency_key, "accepted", kNow, "s", "{}"}}) == 1);
  f.Press(Key::Char(U'r'));
  CHECK(Has(test::Flat(f.Screen()), "it cannot be taken back"));
  CHECK(f.store.GetAssignment(id)->state != AssignmentState::kInProgress);
}

TEST_CASE("review: after the deadline it says what the late policy will do", "[ui][review]") {
  using mano::sync::LatePolicy;
  Fixture f;
  int64_t id = f.Add("classification", "c1", -60'000);  // a minute past its deadline
  f.store.RecordServerContact("alice", kNow);
  struct Case {
    LatePolicy policy;
    bool anchor;
    const char* says;
    const char* button;
  } cases[] = {
      {LatePolicy::kRefuse, false, "this task refuses late results: the server will not",
       "[ Send anyway ]"},
      {LatePolicy::kAccept, false, "this task accepts late results: it will be accepted as late",
       "[ Send ]"},
      {LatePolicy::kAcceptIfAnchored, false, "and it was not: the server will refuse it",
       "[ Send anyway ]"},
      {LatePolicy::kAcceptIfAnchored, true, "and it was (at ", "[ Send ]"},
  };
  for (const auto& c : cases) {
    SetLatePolicy(f, id, c.policy);
    if (c.anchor) f.store.RecordAnchor(id, "abc", kNow - 120'000, 0);
    f.StartOnFirstTask();
    f.Press(Key::Char(U'1'));
    f.Press(Key::Named(KeyCode::kF10));
    std::string s = f.Screen();
    INFO(s);
    CHECK(Has(s, "The deadline has passed"));
    CHECK(Has(test::Flat(s), c.says));
    CHECK(Has(s, c.button));
    CHECK(f.store.OutboxStats("alice").items == 0);
  }
}

TEST_CASE("review: before the deadline there is no late warning", "[ui][review]") {
  Fixture f;
  f.Add("classification", "c1");
  f.store.RecordServerContact("alice", kNow);
  f.StartOnFirstTask();
  f.Press(Key::Char(U'1'));
  f.Press(Key::Named(KeyCode::kF10));
  std::string s = f.Screen();
  CHECK_FALSE(Has(s, "deadline"));
  CHECK(Has(s, "[ Send ]"));
}
