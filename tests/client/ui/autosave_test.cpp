#include "mano/client/ui/autosave.h"

#include <catch2/catch.hpp>

#include "mano/client/ui/task_screen.h"
#include "mano/client/utf8.h"
#include "mano/sync/answer.h"
#include "ui_test_support.h"

using namespace mano::client::ui;
using mano::client::DecodeUtf8;
using mano::storage::ManualClock;
using mano::storage::Store;

TEST_CASE("autosave: the first change is saved within 500 ms of test time", "[ui][autosave]") {
  ManualClock clock;
  SaveDebounce d;
  int64_t t0 = clock.MonotonicMs();
  CHECK_FALSE(d.dirty());
  d.Changed(t0);
  // Typing keeps going: later changes do not push the save back.
  for (int i = 1; i <= 10; ++i) {
    clock.Advance(25);
    d.Changed(clock.MonotonicMs());
  }
  REQUIRE(d.deadline());
  CHECK(*d.deadline() - t0 <= 500);
  CHECK_FALSE(d.Due(*d.deadline() - 1));
  CHECK(d.Due(*d.deadline()));
  d.Saved();
  CHECK_FALSE(d.dirty());
  CHECK_FALSE(d.Due(t0 + 10'000));
}

TEST_CASE("autosave: the writer thread makes drafts durable, newest snapshot wins",
          "[ui][autosave]") {
  test::TempDir dir;
  int64_t id;
  {
    Store store = Store::Open(dir.path());
    id = test::AddPresetAssignment(store, "relevance", "a1", 1'790'000'000'000 + 3'600'000);
  }
  {
    AutosaveWriter writer(dir.path());
    writer.Post(id, R"({"score":1})", R"({"field":"score"})");
    writer.Post(id, R"({"score":2})", R"({"field":"score"})");
    writer.Flush();
    auto last = writer.last();
    REQUIRE(last);
    CHECK(last->error.empty());
    CHECK(last->assignment_id == id);
  }
  Store store = Store::Open(dir.path());
  auto latest = store.LatestCheckpoint(id);
  REQUIRE(latest);
  CHECK(latest->content == R"({"score":2})");
  CHECK(latest->ui_position == R"({"field":"score"})");
  CHECK(store.GetAssignment(id)->state == mano::storage::AssignmentState::kInProgress);
}

TEST_CASE("autosave: the writer's destructor writes what is still pending", "[ui][autosave]") {
  test::TempDir dir;
  int64_t id;
  {
    Store store = Store::Open(dir.path());
    id = test::AddPresetAssignment(store, "transcription", "a2", 1'790'000'000'000);
  }
  {
    AutosaveWriter writer(dir.path());
    writer.Post(id, R"({"text":"hola"})", "{}");
  }
  Store store = Store::Open(dir.path());
  REQUIRE(store.LatestCheckpoint(id));
  CHECK(store.LatestCheckpoint(id)->content == R"({"text":"hola"})");
}

namespace {

// A task screen on a transcription draft, with its own writer, driven by a manual clock.
struct TaskRig {
  test::TempDir dir;
  ManualClock clock;
  Store store = Store::Open(dir.path());
  int64_t id = test::AddPresetAssignment(store, "transcription", "a3", 1'790'000'000'000);
  AutosaveWriter writer{dir.path()};
  UiContext ctx = [this] {
    UiContext c;
    c.store = &store;
    c.writer = &writer;
    c.clock = &clock;
    return c;
  }();
  TaskScreen screen{ctx, *store.GetAssignment(id), ""};
};

}  // namespace

TEST_CASE("autosave: task screen typing is saved at the debounce tick, not per key",
          "[ui][autosave]") {
  test::UseUtf8Locale();
  TaskRig rig;
  auto& [dir, clock, store, id, writer, ctx, screen] = rig;
  int64_t t0 = clock.MonotonicMs();
  for (char c : std::string("hola")) {
    screen.HandleKey(Key::Char(static_cast<char32_t>(c)));
    clock.Advance(20);
  }
  writer.Flush();
  CHECK_FALSE(store.LatestCheckpoint(id));  // nothing written on the input path
  REQUIRE(screen.NextTickMs());
  int64_t due = *screen.NextTickMs();
  CHECK(due - t0 <= 500);
  clock.Advance(due - clock.MonotonicMs());
  screen.Tick(clock.MonotonicMs());
  writer.Flush();
  auto latest = store.LatestCheckpoint(id);
  REQUIRE(latest);
  CHECK(latest->content == R"({"text":"hola"})");
  CHECK(latest->ui_position == R"({"field":"text","cursor":4})");
  CHECK_FALSE(screen.dirty());
}

TEST_CASE("autosave: a version another writer saved is never overwritten", "[ui][autosave]") {
  test::TempDir dir;
  Store store = Store::Open(dir.path());
  int64_t id = test::AddPresetAssignment(store, "relevance", "a4", 1'790'000'000'000);
  AutosaveWriter writer(dir.path());
  writer.SetBase(id, 0);  // the screen loaded no draft
  writer.Post(id, R"({"score":3})", "{}");
  writer.Flush();
  REQUIRE(store.LatestCheckpoint(id)->version == 1);
  // `mano answer` in another terminal, on top of version 1.
  auto cli = store.SaveCheckpoint(id, R"({"comment":"cli","score":3})", "", 1,
                                  mano::storage::OnConflict::kRefuse);
  REQUIRE(cli.written);
  // The UI's next snapshot was made from version 1: kept one undo under the CLI's.
  writer.Post(id, R"({"score":4})", "{}");
  writer.Flush();
  CHECK(writer.last()->conflict);
  CHECK(store.LatestCheckpoint(id)->content == R"({"comment":"cli","score":3})");
  CHECK(writer.TakeConflicts() == std::set<int64_t>{id});
  CHECK(writer.TakeConflicts().empty());
  // Until the screen reloads, later snapshots are just as stale.
  writer.Post(id, R"({"score":1})", "{}");
  writer.Flush();
  CHECK(store.LatestCheckpoint(id)->content == R"({"comment":"cli","score":3})");
  auto history = store.CheckpointHistory(id);
  bool kept4 = false, kept1 = false;
  for (const auto& c : history) {
    kept4 |= c.content == R"({"score":4})";
    kept1 |= c.content == R"({"score":1})";
  }
  CHECK(kept4);
  CHECK(kept1);
  // Reloaded: saves land on top again.
  writer.SetBase(id, store.LatestCheckpoint(id)->version);
  writer.Post(id, R"({"comment":"cli","score":2})", "{}");
  writer.Flush();
  CHECK_FALSE(writer.last()->conflict);
  CHECK(store.LatestCheckpoint(id)->content == R"({"comment":"cli","score":2})");
  CHECK_FALSE(writer.failing());
}

TEST_CASE("two writers: submit after another window's edit reloads instead of sending",
          "[ui][autosave]") {
  test::UseUtf8Locale();
  TaskRig rig;
  auto& [dir, clock, store, id, writer, ctx, screen] = rig;
  for (char32_t c : DecodeUtf8("hola")) screen.HandleKey(Key::Char(c));
  clock.Advance(SaveDebounce::kDelayMs);
  screen.Tick(clock.MonotonicMs());
  writer.Flush();
  REQUIRE(store.LatestCheckpoint(id)->content == R"({"text":"hola"})");

  // Another terminal: `mano answer` on top of that version.
  auto other = store.SaveCheckpoint(id, R"({"text":"hola desde la terminal"})", "", 1,
                                    mano::storage::OnConflict::kRefuse);
  REQUIRE(other.written);

  // Ctrl-R (review and send): the screen has not shown that edit yet, so it reloads, opens
  // no review and sends nothing.
  ctx.message.clear();
  screen.HandleKey(Key::Ctrl('r'));
  CHECK_FALSE(screen.reviewing());
  CHECK(ctx.message == "Changed in another window — reloaded; your last edit is in undo.");
  CHECK(screen.model().ToAnswer().ToJson() == R"({"text":"hola desde la terminal"})");
  CHECK(store.PendingResults("alice").empty());
  CHECK(store.LatestCheckpoint(id)->content == R"({"text":"hola desde la terminal"})");
  // Typing goes on from the other window's text.
  for (char32_t c : DecodeUtf8("!")) screen.HandleKey(Key::Char(c));
  clock.Advance(SaveDebounce::kDelayMs);
  screen.Tick(clock.MonotonicMs());
  writer.Flush();
  std::string latest = store.LatestCheckpoint(id)->content;
  CHECK(latest.find("desde la terminal") != std::string::npos);
  CHECK(latest.find('!') != std::string::npos);
}
