// Work time in the terminal UI (issue 13), as a worker lives it: Spanish, TERM=linux, 80x24 in
// tmux, a real manod, mano's clock driven through MANO_TEST_CLOCK_FILE (no sleeps). A task
// open 150 s with 10 s of typing counts 150 s (the rest was reading elsewhere); the queue is
// "searching"; the ledger screen shows both wages, on paid time and on all time.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "../client/clocked_world.h"
#include "tmux_session.h"

using namespace mano::test;

namespace {

// The command line's world plus a tmux server for the UI.
struct World : ClockedWorld {
  TmuxServer tmux{runner.dir()};
  std::string Wait(const std::string& text) {
    std::string screen = tmux.WaitFor("ui", text);
    INFO("waiting for \"" << text << "\" on:\n" << screen);
    REQUIRE(screen.find(text) != std::string::npos);
    return screen;
  }
};

}  // namespace

TEST_CASE("tui: a task open 150 s with 10 s of typing counts 150 s; the ledger shows both wages",
          "[tui][integration]") {
  World w;
  w.Mano({"login", "--server", w.server.url(), "--name", "alice"}, w.server.Token("alice") + "\n");
  w.Mano({"claim", "--count", "2"});
  // Task 1 through the command line: 90 s, sent, approved (0.30 USD).
  w.Mano({"show", "1"});
  w.Advance(90 * kSecond);
  w.Mano({"answer", "1", "--set", "score=3"});
  w.Mano({"submit", "1"});
  w.Mano({"sync"});
  w.Review({"--approve", w.ServerIdOf("1")});
  w.Mano({"sync"});

  // Task 2 in the UI, in Spanish.
  w.tmux.Start("ui", {ManoRunner::Binary(), "--data-dir", w.runner.data_dir()},
               {{"LANGUAGE", "es"},
                {"LANG", "es_ES.UTF-8"},
                {"TERM", "linux"},
                {"MANO_HOME", w.runner.data_dir()},
                {"XDG_CONFIG_HOME", w.runner.config_home()},
                {"MANO_TEST_CLOCK_FILE", w.clock_file}});
  w.Wait("mano · Cola");
  w.Advance(5 * kSecond);  // 5 s looking at the queue
  const std::string queue = w.Wait("mano · Cola");
  {
    INFO(queue);
    // The open task (task 2, "nueva") is listed first: Enter opens it.
    REQUIRE(queue.find("nueva") != std::string::npos);
    CHECK(queue.find("nueva") < queue.find("aprobada"));
  }
  w.tmux.Keys("ui", {"Enter"});
  w.Wait("Rate it");
  w.Advance(140 * kSecond);       // reading the page in a browser: no key
  for (int i = 0; i < 10; ++i) {  // 10 s of typing
    w.tmux.Keys("ui", {i % 2 ? "Left" : "Right"});
    w.Advance(kSecond);
  }
  w.tmux.Keys("ui", {"Escape"});  // back to the queue at 150 s
  w.Wait("mano · Cola");
  w.Advance(20 * kSecond);
  w.tmux.Keys("ui", {"l"});
  std::string ledger = w.Wait("mano · Ganancias");
  ledger = w.Wait("Salario real por hora");
  INFO(ledger);
  // 0.30 USD over 90 paid seconds = 12.00 USD/h; over all time so far (90 s paid, 150 s on
  // task 2 pending, 5 s on the queue) = 0.30 * 3600 / 245 = 4.408.. = 4.41 USD/h.
  CHECK(ledger.find("Salario por hora solo sobre el tiempo pagado (USD por hora)") !=
        std::string::npos);
  CHECK(ledger.find("12.00") != std::string::npos);
  CHECK(ledger.find("4.41") != std::string::npos);
  CHECK(ledger.find("Horas (") != std::string::npos);
  w.tmux.Keys("ui", {"Escape"});
  w.Wait("mano · Cola");
  w.tmux.Keys("ui", {"q"});
  for (int i = 0; i < 200 && !w.tmux.PaneDead("ui"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(w.tmux.PaneDead("ui"));

  auto json = Json(w.Mano({"ledger", "--json"}).out);
  const auto& row = mano::test::Total(json);
  CHECK(row["paid_ms"].GetInt64() == 90 * kSecond);
  CHECK(row["pending_ms"].GetInt64() == 150 * kSecond);  // task 2: open 150 s, 10 s typed
  CHECK(row["searching_ms"].GetInt64() == 25 * kSecond);
  CHECK(row["idle_ms"].GetInt64() == 0);
}
