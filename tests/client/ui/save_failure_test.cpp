// A failing save seen through the ScreenManager, on an 80x24 MemoryCanvas: the disk fills
// up (FaultVfs: writes fail with SQLITE_FULL after a byte budget) under the autosave
// writer. "Saved" is never shown for it, a banner is, quitting asks first, and the retry
// lands once space is back.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "fault_vfs.h"
#include "mano/client/ui/autosave.h"
#include "mano/client/ui/queue_screen.h"
#include "mano/client/ui/screen_manager.h"
#include "mano/client/ui/task_screen.h"
#include "mano/client/utf8.h"
#include "ui_test_support.h"

using namespace mano::client::ui;
using mano::client::DecodeUtf8;
using mano::storage::ManualClock;
using mano::storage::Store;
using mano::storage::test::FaultVfs;

namespace {

bool Has(const std::string& screen, const std::string& text) {
  return screen.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("save failure: a banner instead of saved; quit asks; the retry lands",
          "[ui][autosave][fault]") {
  test::UseUtf8Locale();
  FaultVfs& vfs = FaultVfs::Instance();
  vfs.Reset();
  vfs.SetRealSync(false);
  test::TempDir dir;
  ManualClock clock;
  mano::storage::OpenOptions faulty;
  faulty.TEST_vfs = FaultVfs::kName;
  Store store = Store::Open(dir.path(), faulty);
  int64_t id = test::AddPresetAssignment(store, "transcription", "t1", 1'790'000'000'000);
  AutosaveWriter writer(dir.path(), faulty);
  UiContext ctx;
  ctx.store = &store;
  ctx.writer = &writer;
  ctx.clock = &clock;
  ScreenManager manager(ctx);
  manager.Push(std::make_unique<QueueScreen>(ctx));
  manager.Push(std::make_unique<TaskScreen>(ctx, *store.GetAssignment(id), ""));
  MemoryCanvas canvas{24, 80};
  auto screen = [&] {
    manager.Render(canvas);
    return canvas.Text();
  };
  auto type_and_save = [&](const char* text) {
    for (char32_t c : DecodeUtf8(text)) manager.DispatchKey(Key::Char(c));
    clock.Advance(SaveDebounce::kDelayMs);
    manager.RunTicks(clock.MonotonicMs());
    writer.Flush();
    manager.NoteSaved();
  };

  type_and_save("hola");
  CHECK(Has(screen(), "saved 0.0 s ago"));

  vfs.SetWriteBudget(0);  // the disk is full
  clock.Advance(5000);
  type_and_save(" mundo");
  std::string s = screen();
  INFO(s);
  CHECK(writer.failing());
  CHECK(Has(s, "NOT SAVED: disk full — free space; your typing is kept in memory and retried"));
  CHECK_FALSE(Has(s, "saved "));
  CHECK(store.LatestCheckpoint(id)->content == R"({"text":"hola"})");

  // Quitting asks first; any other key stays; Ctrl-C twice quits.
  manager.DispatchKey(Key::Ctrl('c'));
  CHECK_FALSE(manager.quit());
  CHECK(Has(screen(), "NOT SAVED. Ctrl-C again quits"));
  manager.DispatchKey(Key::Named(KeyCode::kRight));
  manager.DispatchKey(Key::Ctrl('c'));
  CHECK_FALSE(manager.quit());

  // Space is back: the writer's own retry (every kRetryMs, real time) lands it.
  vfs.SetWriteBudget(-1);
  for (int i = 0; i < 200 && writer.failing(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK_FALSE(writer.failing());
  manager.NoteSaved();
  manager.DispatchKey(Key::Named(KeyCode::kRight));  // stays: the question goes away
  s = screen();
  CHECK_FALSE(Has(s, "NOT SAVED"));
  CHECK(Has(s, "saved 0.0 s ago"));
  CHECK(store.LatestCheckpoint(id)->content == R"({"text":"hola mundo"})");
  manager.DispatchKey(Key::Ctrl('c'));
  CHECK(manager.quit());
  vfs.Reset();
}
