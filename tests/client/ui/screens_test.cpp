// Screens driven through the ScreenManager with keys, drawn on an 80x24 MemoryCanvas:
// what the worker would see, without a terminal.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "mano/client/ui/autosave.h"
#include "mano/client/ui/queue_screen.h"
#include "mano/client/ui/resume.h"
#include "mano/client/ui/screen_manager.h"
#include "mano/client/ui/task_screen.h"
#include "mano/client/ui/ui_text.h"
#include "mano/client/utf8.h"
#include "screen_fixture.h"
#include "ui_test_support.h"

using namespace mano::client::ui;
using mano::storage::AssignmentState;
using mano::storage::ManualClock;
using mano::storage::Store;

using test::CheckShows;
using test::Fixture;
using test::Has;
using test::kNow;

TEST_CASE("screens: queue lists assignments with pay, keys and a status line", "[ui][screens]") {
  Fixture f;
  f.Add("relevance", "r1");
  f.Add("transcription", "t1");
  f.Start();
  std::string s = f.Screen();
  CheckShows(s, {"mano · Queue", "relevance", "transcription", "0.025 USD", "Enter open", "? help",
                 "alice: not contacted yet"});
  for (int r = 0; r < 24; ++r) CHECK(mano::client::DisplayWidth(f.canvas.Row(r)) <= 80);
  CHECK(f.canvas.AttrAt(23, 0) == kAttrReverse);  // status line always there
}

TEST_CASE("screens: answer a relevance task with keys, save, go back", "[ui][screens]") {
  Fixture f;
  int64_t id = f.Add("relevance", "r1");
  f.StartOnFirstTask();
  std::string s = f.Screen();
  CheckShows(s,
             {"How well does the result answer the query?", "> Relevance * (0-4)", "0 Irrelevant"});
  f.Press(Key::Char(U'3'));
  f.Press(Key::Named(KeyCode::kTab));
  f.Type("útil, pero lento 🐢");
  s = f.Screen();
  INFO(s);
  CheckShows(s, {"Relevance *: 3 Good",
                 "|útil, pero lento 🐢",  // 500 characters: a multi-line box
                 "18/500"});
  CHECK(f.canvas.cursor_visible());
  CHECK(Has(s, "Tab next field"));
  CHECK_FALSE(Has(s, "u undo"));          // letters are text while typing
  f.Press(Key::Named(KeyCode::kEscape));  // saves and goes back
  CHECK(f.manager->depth() == 1);
  auto latest = f.store.LatestCheckpoint(id);
  REQUIRE(latest);
  CHECK(latest->content == R"({"comment":"útil, pero lento 🐢","score":3})");
  f.manager->DataChanged();
  CHECK(Has(f.Screen(), "draft"));
  CHECK(RecallScreen(f.dir.path()) == "queue");
}

TEST_CASE("screens: undo goes back to the previous saved version", "[ui][screens]") {
  Fixture f;
  int64_t id = f.Add("transcription", "t1");
  f.StartOnFirstTask();
  f.Type("uno");
  f.Tick();  // version 1: "uno"
  f.Type(" dos");
  f.Press(Key::Ctrl('z'));  // saves "uno dos" as version 2, then goes back to version 1
  f.writer.Flush();
  REQUIRE(f.Task());
  CHECK(f.Task()->model().focused()->text.text() == "uno");
  CHECK(Has(f.Screen(), "Back to saved version 1."));
  CHECK(f.store.LatestCheckpoint(id)->content == R"({"text":"uno"})");
  f.Press(Key::Ctrl('z'));  // undo walks further back: nothing is older than version 1
  CHECK(Has(f.Screen(), "There is no older saved version."));
  CHECK(f.Task()->model().focused()->text.text() == "uno");
}

TEST_CASE("screens: submit needs a valid answer and the review's Send button", "[ui][screens]") {
  Fixture f;
  int64_t id = f.Add("classification", "c1");
  f.StartOnFirstTask();
  f.Press(Key::Ctrl('r'));  // nothing chosen yet
  CHECK(Has(f.Screen(), "- Emotion: is required"));
  f.Press(Key::Named(KeyCode::kEscape));
  f.Press(Key::Char(U'2'));
  CHECK(Has(f.Screen(), "2 (*) Joy"));
  f.Press(Key::Named(KeyCode::kF10));
  CHECK(f.Task()->reviewing());
  f.Press(Key::Char(U'y'));              // the old confirm's "yes" means nothing here
  f.Press(Key::Named(KeyCode::kEnter));  // "Back to the form" has the focus
  CHECK(f.store.OutboxStats("alice").items == 0);
  f.Press(Key::Named(KeyCode::kF10));
  f.Press(Key::Named(KeyCode::kTab));
  f.Press(Key::Named(KeyCode::kEnter));
  CHECK(f.manager->depth() == 1);
  CHECK(f.store.OutboxStats("alice").items == 1);
  CHECK(f.store.GetAssignment(id)->state == AssignmentState::kQueued);
  std::string s = f.Screen();
  CHECK(Has(s, "Submitted."));
  CHECK(Has(s, "outbox 1"));
  // A queued assignment opens read-only.
  f.Press(Key::Named(KeyCode::kDown));
  f.Press(Key::Named(KeyCode::kEnter));
  REQUIRE(f.Task());
  f.Press(Key::Char(U'3'));
  CHECK(Has(f.Screen(), "can no longer be changed"));
  CHECK(Has(f.Screen(), "read only"));
}

TEST_CASE("screens: help lists the task keys; '?' is text inside a text field", "[ui][screens]") {
  Fixture f;
  f.Add("relevance", "r1");
  f.StartOnFirstTask();
  f.Press(Key::Char(U'?'));
  std::string s = f.Screen();
  CheckShows(s, {"mano · Help", "Ctrl-Z", "F10", "send (after a review of every answer)"});
  f.Press(Key::Named(KeyCode::kEscape));
  f.Press(Key::Named(KeyCode::kTab));
  f.Press(Key::Char(U'?'));
  REQUIRE(f.Task());
  CHECK(f.Task()->model().focused()->text.text() == "?");
}

// Makes `f`'s open key record its command and argument instead of starting a program; returns
// what was last "opened".
const std::vector<std::string>& RecordOpens(Fixture& f) {
  static std::vector<std::string> opened;
  opened.clear();
  f.ctx.TEST_open = [](const std::vector<std::string>& cmd, const std::string& path) {
    opened = cmd;
    opened.push_back(path);
    return std::string();
  };
  return opened;
}

TEST_CASE("screens: media metadata, cached path, and the open key", "[ui][screens]") {
  Fixture f;
  f.Add("audio_quality", "q1");
  std::string hash(64, 'b');
  f.store.RecordAsset(hash, 8044);
  const std::vector<std::string>& opened = RecordOpens(f);
  f.StartOnFirstTask();
  CHECK(Has(f.Screen(), "Clip: audio/wav, 7.9 KB, not downloaded yet"));
  CHECK(
      Has(f.Screen(), "Tab next field · Ctrl-R send… · u undo · o open file · ? help · Esc back"));
  f.Press(Key::Char(U'o'));
  CHECK(Has(f.Screen(), "not downloaded yet; it comes with the next sync"));
  f.store.SetAssetBytes(hash, 8044);
  f.manager->DataChanged();
  std::string s = f.Screen();
  INFO(s);
  CHECK(Has(s, "cached:"));
  CHECK(Has(s, "/assets/"));
  // Issue 16: no player set and none installed: said with the key that sets one.
  const std::string saved_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  test::TempDir bin;
  ::setenv("PATH", bin.path().c_str(), 1);
  f.Press(Key::Char(U'o'));
  CHECK(opened.empty());
  CHECK(Has(f.Screen(), "No audio player was found (pw-play, paplay, aplay, ffplay or mpv); set"));
  std::ofstream(bin.path() + "/aplay") << "#!/bin/sh\n";
  std::filesystem::permissions(bin.path() + "/aplay", std::filesystem::perms::owner_all);
  CHECK(Has(f.Screen(), "Duration unknown · p plays it"));  // the file is not a real WAV
  f.Press(Key::Char(U'o'));
  ::setenv("PATH", saved_path.c_str(), 1);
  // Issue 16: an audio clip plays inside the UI (ClipPlayer), not detached.
  CHECK(opened.empty());
  s = f.Screen();
  INFO(s);
  CHECK(Has(s, "Playing with aplay: 0:00 (duration unknown) · s stops"));
  // While it plays, a tick comes every second and asks whether the player has ended (this fake
  // aplay ends at once; the ticks' clock is the fixture's, the player's time is real). Each
  // tick is due: the next one is the second after the one drawn.
  std::string played;
  for (int i = 0; i < 500 && !Has(played, "The clip has been played to the end."); ++i) {
    int64_t before = f.clock->MonotonicMs();
    f.Tick();
    CHECK(f.clock->MonotonicMs() - before <= 1000);
    played = f.Screen();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  INFO(played);
  CHECK(Has(played, "The clip has been played to the end."));
  CHECK(Has(played, "Duration unknown · p plays it"));
  f.Press(Key::Char(U's'));
  CHECK(Has(f.Screen(), "Nothing is playing."));
}

TEST_CASE("screens: an empty queue says whether to log in or to claim", "[ui][screens]") {
  Fixture f;
  f.Start();
  std::string s = f.Screen();
  INFO(s);
  CHECK(Has(s, "No account yet."));
  CHECK(Has(s, "mano login --server URL --name NAME"));
  CHECK_FALSE(Has(s, "mano claim"));

  mano::storage::Account account;
  account.name = "alice";
  account.server_url = "https://tasks.example";
  account.token = "tok_0123456789abcdefghijklmnopqrstuvwxyz";
  account.receipt_key = "key";
  account.currency = "USD";
  f.store.AddAccount(account);
  f.Start();
  s = f.Screen();
  INFO(s);
  CHECK(Has(s, "No tasks. Claim work from a shell:"));
  CHECK(Has(s, "  mano claim"));
  CHECK_FALSE(Has(s, "mano login"));
}

TEST_CASE("screens: o opens a task's web link when it has no media", "[ui][screens]") {
  Fixture f;
  const int64_t id = f.Add("relevance", "r1");  // shows a query, a url and a snippet
  auto stored = f.store.GetAssignment(id);
  REQUIRE(stored);
  const std::string placeholder = "${url}";
  stored->payload.replace(stored->payload.find(placeholder), placeholder.size(),
                          "https://example.org/page?id=7");
  f.store.UpsertAssignment(*stored);
  const std::vector<std::string>& opened = RecordOpens(f);
  // Issue 16: no browser configured, no $BROWSER, no display: said, nothing "opened".
  ::unsetenv("BROWSER");
  ::unsetenv("DISPLAY");
  ::unsetenv("WAYLAND_DISPLAY");
  f.StartOnFirstTask();
  f.Press(Key::Char(U'o'));
  CHECK(opened.empty());
  CHECK(Has(f.Screen(), "There is no graphical display here to open the link"));
  CHECK_FALSE(Has(f.Screen(), "Opened"));
  ::setenv("DISPLAY", ":0", 1);
  f.Press(Key::Char(U'o'));
  std::string s = f.Screen();
  INFO(s);
  REQUIRE(opened.size() == 2);
  CHECK(opened[0] == "xdg-open");
  CHECK(opened[1] == "https://example.org/page?id=7");
  CHECK(Has(s, "Opened the link with xdg-open."));
  f.ctx.TEST_open = [](const std::vector<std::string>&, const std::string&) {
    return std::string("xdg-open could not open it (exit status 3).");
  };
  f.Press(Key::Char(U'o'));
  CHECK(Has(f.Screen(), "Could not open the link: xdg-open could not open it (exit status 3)."));
  ::unsetenv("DISPLAY");
}

TEST_CASE("screens: the box editor shows a preview grid and coordinates", "[ui][screens]") {
  Fixture f;
  f.Add("bounding_boxes", "b1");
  f.StartOnFirstTask();
  CHECK(Has(f.Screen(), "no boxes yet"));
  f.Press(Key::Char(U'n'));
  f.Press(Key::Named(KeyCode::kRight));
  std::string s = f.Screen();
  CheckShows(s, {"1/1 car x=25 y=18 w=16 h=12  64x48 px", "Mode: move the whole box · step 1 px",
                 "*cccccccc"});
  // The mode in words, the step a typed count gives, and typed coordinates at 80x24.
  f.Press(Key::Char(U'm'));
  f.Press(Key::Char(U'7'));
  CHECK(Has(f.Screen(), "Mode: resize, arrows move the right and bottom edges · next arrow: 7 px"));
  f.Press(Key::Named(KeyCode::kDown));
  CHECK(Has(f.Screen(), "x=25 y=18 w=16 h=19"));
  f.Press(Key::Char(U'm'));
  CHECK(Has(f.Screen(), "Mode: resize, arrows move the left and top edges · step 1 px"));
  f.Press(Key::Char(U'='));
  for (char32_t c : std::u32string(U"60 0 10 10")) f.Press(Key::Char(c));
  f.Press(Key::Named(KeyCode::kEnter));
  s = f.Screen();
  CHECK(Has(s, "Type x y w h, then Enter: 60 0 10 10"));
  CHECK(Has(s, "That box does not fit the image of 64x48 pixels (w and h at least 1)."));
  f.Press(Key::Named(KeyCode::kEscape));  // closes the line, not the task
  s = f.Screen();
  CHECK_FALSE(Has(s, "Type x y w h"));
  CHECK(Has(s, "x=25 y=18 w=16 h=19"));
  f.Press(Key::Char(U'='));
  for (char32_t c : std::u32string(U"0 24 64 24")) f.Press(Key::Char(c));
  f.Press(Key::Named(KeyCode::kEnter));
  CHECK(Has(f.Screen(), "1/1 car x=0 y=24 w=64 h=24"));
}

TEST_CASE("screens: after a crash the last task and cursor come back", "[ui][screens]") {
  Fixture f;
  f.Add("relevance", "r1");
  f.store.RecordServerContact("alice", kNow);
  int64_t id = f.Add("entity_update", "e1", 60'000);  // sooner deadline: listed first
  f.StartOnFirstTask();
  REQUIRE(f.Task()->assignment_id() == id);
  f.Press(Key::Named(KeyCode::kTab));
  f.Type("Panadería");
  f.Press(Key::Named(KeyCode::kLeft));
  f.Press(Key::Named(KeyCode::kLeft));
  f.Type("X");
  f.Tick();
  // No Leave(): the process "dies" here. What a new process finds:
  auto resume = FindResumePoint(f.store, RecallScreen(f.dir.path()));
  REQUIRE(resume);
  CHECK(resume->assignment.id == id);
  UiContext ctx2 = f.ctx;
  TaskScreen again(ctx2, resume->assignment, resume->position);
  CHECK(again.model().focused()->field.name == "name");
  CHECK(again.model().focused()->text.text() == "PanaderXía");
  CHECK(again.model().focused()->text.cursor() == 8);
}

TEST_CASE("screens: the countdown ticks once a minute, every second in the last minute",
          "[ui][screens]") {
  Fixture f;
  f.Add("relevance", "r1", 5 * 60'000 + 30'000);
  f.store.RecordServerContact("alice", kNow);
  f.Start();
  CHECK(Has(f.Screen(), "5m"));
  auto next = f.manager->NextTickMs();
  REQUIRE(next);
  CHECK(*next - f.clock->MonotonicMs() == 30'000);
  f.Add("relevance", "r2", 30'500);
  f.manager->DataChanged();
  CHECK(*f.manager->NextTickMs() - f.clock->MonotonicMs() == 500);
}

namespace {

// The UI's texts in `language`, from the catalogs built into $MANO_BUILD_DIR.
void UseBuiltCatalog(const char* language) {
  const char* build = std::getenv("MANO_BUILD_DIR");
  REQUIRE(build);
  InitUiText(language, std::string(build) + "/share/locale");
}

}  // namespace

TEST_CASE("screens: Spanish UI from the built catalog", "[ui][screens][i18n]") {
  UseBuiltCatalog("es");
  Fixture f;
  f.Add("relevance", "r1");
  f.Start();
  std::string s = f.Screen();
  InitUiText("");
  CheckShows(s, {"mano · Cola", "Enter abrir", "sin contacto aún"});
}

TEST_CASE("screens: Arabic UI from the built catalog fits the screen", "[ui][screens][i18n]") {
  UseBuiltCatalog("ar");
  Fixture f;
  f.Add("relevance", "r1");
  f.Add("bounding_boxes", "b1");
  f.Start();
  std::string queue = f.Screen();
  std::vector<std::string> rows;
  auto keep_rows = [&] {
    for (int r = 0; r < 24; ++r) rows.push_back(f.canvas.Row(r));
  };
  keep_rows();
  f.Press(Key::Named(KeyCode::kEnter));
  std::string task = f.Screen();
  keep_rows();
  f.Press(Key::Char(U'?'));
  std::string help = f.Screen();
  keep_rows();
  InitUiText("");
  INFO(queue << task << help);
  CHECK(Has(queue, "mano · قائمة المهام"));
  CHECK(Has(queue, "الحساب"));     // column headings
  CHECK(Has(queue, "جديدة"));      // state of a new assignment
  CHECK(Has(queue, "Enter فتح"));  // key names stay Latin
  CHECK(Has(task, "يتبقى"));
  CHECK(Has(help, "مفاتيح شاشة المهمة:"));
  for (const auto& row : rows) CHECK(mano::client::DisplayWidth(row) <= 80);
}

TEST_CASE("screens: a long message (a moved file's path) wraps above the key line",
          "[ui][screens]") {
  Fixture f;
  f.Add("relevance", "r1");
  f.Start();
  const std::string path = f.dir.path() + "/mano.db.damaged-20261128T143645Z";
  f.ctx.message = "The local database was damaged: it was moved aside to " + path +
                  ", and 11 rows were recovered into a new one (0 lost).";
  std::string s = f.Screen();
  INFO(s);
  CHECK(Has(s, path));                         // the whole path is on screen
  CHECK(Has(s, "(0 lost)."));                  // and the end of the sentence
  CHECK(Has(f.canvas.Row(22), "Enter open"));  // the key line stays
  CHECK(f.canvas.AttrAt(23, 0) == kAttrReverse);
  CHECK(Has(s, "relevance"));  // the body is still drawn
  for (int r = 0; r < 24; ++r) CHECK(mano::client::DisplayWidth(f.canvas.Row(r)) <= 80);
}

TEST_CASE("screens: a long queue is read a window at a time, in queue order, to its last row",
          "[ui][screens]") {
  Fixture f;
  constexpr int kCount = 200;  // more than a window (visible rows + 2 margins)
  struct Expected {
    int64_t id;
    bool editable;
    int64_t left;
  };
  std::vector<Expected> expected;
  for (int i = 0; i < kCount; ++i) {
    int64_t left = (1 + (i * 37) % 97) * 60'000;  // deadlines out of id order, with ties
    int64_t id = f.Add("relevance", "q" + std::to_string(i), left);
    bool editable = i % 10 != 3;
    if (!editable) f.store.SetState(id, AssignmentState::kQueued, "test");
    expected.push_back({id, editable, left});
  }
  f.store.RecordServerContact("alice", kNow);
  std::stable_sort(expected.begin(), expected.end(), [](const Expected& a, const Expected& b) {
    if (a.editable != b.editable) return a.editable;
    if (a.left != b.left) return a.left < b.left;
    return a.id < b.id;
  });
  f.Start();
  auto* queue = dynamic_cast<QueueScreen*>(f.manager->top());
  REQUIRE(queue);
  // The highlighted line's id, as the worker sees it.
  auto selected_id = [&]() -> int64_t {
    std::string s = f.Screen();
    for (int r = 2; r <= 20; ++r)  // the body's rows, under the header
      if (f.canvas.AttrAt(r, 1) == kAttrReverse) return std::stoll(f.canvas.Row(r));
    return -1;
  };
  for (int i = 0; i < kCount; ++i) {
    INFO("position " << i);
    REQUIRE(selected_id() == expected[i].id);
    CHECK(queue->total() == kCount);
    CHECK(queue->rows().size() < static_cast<size_t>(kCount));  // a window, not the whole list
    f.Press(Key::Char(U'j'));
  }
  CHECK(queue->selected() == kCount - 1);     // stays on the last row
  for (int i = kCount - 1; i >= 0; i -= 7) {  // and back up, across windows
    while (queue->selected() > i) f.Press(Key::Char(U'k'));
    REQUIRE(selected_id() == expected[i].id);
  }
  f.Press(Key::Named(KeyCode::kEnter));
  REQUIRE(f.Task());
  CHECK(f.Task()->assignment_id() == expected[queue->selected()].id);
}

TEST_CASE("screens: each receipt and event state reads as itself; judged tasks show no countdown",
          "[ui][screens]") {
  Fixture f;
  const int64_t refused = f.Add("relevance", "refused");
  f.store.SetState(refused, AssignmentState::kLateRefused, "receipt late_refused",
                   "the deadline has passed and the task refuses late results");
  const int64_t revoked = f.Add("relevance", "revoked");
  f.store.SetState(revoked, AssignmentState::kRevoked, "revoked", "a duplicate of task 12");
  const int64_t accepted = f.Add("relevance", "accepted");
  f.store.SetState(accepted, AssignmentState::kAccepted, "receipt accepted");
  const int64_t open = f.Add("relevance", "open");
  f.store.RecordServerContact("alice", kNow);
  f.Start();
  std::string s = f.Screen();
  INFO(s);
  auto row = [&](int64_t id) {
    for (int r = 2; r <= 20; ++r)
      if (f.canvas.Row(r).rfind(" " + std::to_string(id) + " ", 0) == 0) return f.canvas.Row(r);
    return std::string();
  };
  CHECK(Has(row(refused), "refused"));
  CHECK_FALSE(Has(row(refused), "received"));
  CHECK_FALSE(Has(row(refused), "1h00m"));  // no time left on a judged task
  CHECK(Has(row(revoked), "revoked"));
  CHECK_FALSE(Has(row(revoked), "1h00m"));
  CHECK(Has(row(accepted), "received"));
  CHECK(Has(row(open), "1h00m"));

  // The refused task says what happened and the server's words; its keys offer no submit.
  auto* queue = dynamic_cast<QueueScreen*>(f.manager->top());
  REQUIRE(queue);
  for (int i = 0;
       i < 4 && queue->rows().at(queue->selected() - queue->first_loaded()).id != refused; ++i)
    f.Press(Key::Char(U'j'));
  REQUIRE(queue->rows().at(queue->selected() - queue->first_loaded()).id == refused);
  f.Press(Key::Named(KeyCode::kEnter));
  REQUIRE(f.Task());
  s = f.Screen();
  CheckShows(
      s, {"refused (late)", "policy refuses late work",
          "Reason given: the deadline has passed and the task refuses late results", "read only"});
  CHECK_FALSE(Has(f.canvas.Row(22), "submit"));
  CHECK(Has(f.canvas.Row(22), "back"));
  for (int r = 0; r < 24; ++r) CHECK(mano::client::DisplayWidth(f.canvas.Row(r)) <= 80);
  f.Press(Key::Named(KeyCode::kEnter));  // Enter submits nothing here
  CHECK(f.store.GetAssignment(refused)->state == AssignmentState::kLateRefused);
}
