// The screens' test fixture: a store with a ManualClock, an autosave writer and a
// ScreenManager drawn on an 80x24 MemoryCanvas, driven with keys.
#pragma once

#include <catch2/catch.hpp>
#include <initializer_list>
#include <memory>
#include <string>

#include "mano/client/ui/autosave.h"
#include "mano/client/ui/queue_screen.h"
#include "mano/client/ui/screen_manager.h"
#include "mano/client/ui/task_screen.h"
#include "mano/client/utf8.h"
#include "ui_test_support.h"

namespace mano::client::ui::test {

using mano::storage::ManualClock;
using mano::storage::Store;

constexpr int64_t kNow = 1'790'000'000'000;

struct Fixture {
  TempDir dir;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kNow);
  Store store = Store::Open(dir.path(), Options());
  AutosaveWriter writer{dir.path()};
  UiContext ctx;
  mano::storage::OpenOptions Options() {
    mano::storage::OpenOptions o;
    o.clock = clock;
    return o;
  }
  ScreenManager* manager = nullptr;
  std::unique_ptr<ScreenManager> owned;
  MemoryCanvas canvas{24, 80};

  Fixture() {
    UseUtf8Locale();
    ctx.data_dir = dir.path();
    ctx.store = &store;
    ctx.writer = &writer;
    ctx.clock = clock.get();
  }
  int64_t Add(const std::string& kind, const std::string& server_id, int64_t left_ms = 3'600'000) {
    int64_t id = AddPresetAssignment(store, kind, server_id, kNow + left_ms);
    return id;
  }
  void Start() {
    owned = std::make_unique<ScreenManager>(ctx);
    manager = owned.get();
    manager->Push(std::make_unique<QueueScreen>(ctx));
  }
  std::string Screen() {
    manager->Render(canvas);
    return canvas.Text();
  }
  void Press(Key k) { manager->DispatchKey(k); }
  void Type(const char* utf8) {
    for (char32_t c : DecodeUtf8(utf8)) Press(Key::Char(c));
  }
  void Tick() {
    auto next = manager->NextTickMs();
    REQUIRE(next);
    clock->Advance(std::max<int64_t>(0, *next - clock->MonotonicMs()));
    manager->RunTicks(clock->MonotonicMs());
    writer.Flush();
  }
  TaskScreen* Task() { return dynamic_cast<TaskScreen*>(manager->top()); }
  // Starts on the queue and opens its first task with Enter (the test stops if none opened).
  void StartOnFirstTask() {
    Start();
    Press(Key::Named(KeyCode::kEnter));
    REQUIRE(Task());
  }
};

inline bool Has(const std::string& screen, const std::string& text) {
  return screen.find(text) != std::string::npos;
}

// Checks that `screen` shows each of `texts`; a failure names the missing text and shows the
// whole screen.
inline void CheckShows(const std::string& screen, std::initializer_list<const char*> texts) {
  INFO(screen);
  for (const char* text : texts) {
    INFO("looked for: " << text);
    CHECK(Has(screen, text));
  }
}

// The screen's rows joined with single spaces (leading/trailing blanks dropped), so a
// sentence wrapped over several rows can be looked for as one.
inline std::string Flat(const std::string& screen) {
  std::string out;
  size_t start = 0;
  while (start <= screen.size()) {
    size_t end = screen.find('\n', start);
    if (end == std::string::npos) end = screen.size();
    std::string row = screen.substr(start, end - start);
    size_t a = row.find_first_not_of(' '), b = row.find_last_not_of(' ');
    if (a != std::string::npos) out += (out.empty() ? "" : " ") + row.substr(a, b - a + 1);
    start = end + 1;
  }
  return out;
}

}  // namespace mano::client::ui::test
