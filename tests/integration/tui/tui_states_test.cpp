// States tell the truth in the terminal UI (issue 11), as a worker sees it: Spanish, TERM=linux,
// 80x24 in tmux, a real manod. A result refused as late reads "rehusada" in the queue (never
// "recibida"), its task screen gives what that means and the server's words and offers no
// submit; a revoked token reads as such in the status line with the login that fixes it,
// never as "sin conexión".
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include "../client/mano_runner.h"
#include "manod_process.h"
#include "tmux_session.h"

using namespace mano::test;

namespace {

// One relevance task with a one-minute lease whose late policy refuses late results.
ManodProcess::Options OneLateRefusingTask(const std::string& dir) {
  const std::string path = dir + "/tasks.jsonl";
  std::ofstream(path)
      << R"({"id":"late-1","kind":"relevance","form":{"title":"Rate it","fields":[{"name":"score",)"
         R"("type":"scale","label":"Score","required":true,"min":0,"max":4}]},"reward":25000,)"
         R"("currency":"USD","assignments":1,"policy":{"late":"refuse","renew_on_anchor":false,)"
         R"("lease_ms":60000}})"
      << "\n";
  ManodProcess::Options options;
  options.imports = {path};
  return options;
}

std::map<std::string, std::string> Spanish(const ManoRunner& runner) {
  // A Spanish locale that may not be generated on the machine: mano falls back to C.UTF-8
  // and reads the catalogs itself.
  return {{"LANGUAGE", "es"},
          {"LANG", "es_ES.UTF-8"},
          {"TERM", "linux"},
          {"MANO_HOME", runner.data_dir()},
          {"XDG_CONFIG_HOME", runner.config_home()}};
}

void LogInAndClaim(const ManoRunner& runner, const ManodProcess& server) {
  runner.LogIn(server);
  REQUIRE(runner.Run({"claim"}).status == 0);
}

// Task 1 answered, then submitted ten minutes after its one-minute lease (not yet sent).
void SubmitLate(const ManoRunner& runner, ManodProcess& server) {
  LogInAndClaim(runner, server);
  REQUIRE(runner.Run({"answer", "1", "--set", "score=3"}).status == 0);
  server.AdvanceClock(10 * 60'000);
  REQUIRE(runner.Run({"submit", "1"}).status == 0);
}

// `mano` with no command (the UI) in pane "ui", in Spanish.
void StartUi(TmuxServer& tmux, const ManoRunner& runner) {
  tmux.Start("ui", {ManoRunner::Binary(), "--data-dir", runner.data_dir()}, Spanish(runner));
}

std::string WaitFor(const TmuxServer& tmux, const std::string& name, const std::string& text) {
  std::string screen = tmux.WaitFor(name, text);
  INFO("waiting for \"" << text << "\" on:\n" << screen);
  REQUIRE(screen.find(text) != std::string::npos);
  return screen;
}

// The screen line holding `text` ("" when none).
std::string LineWith(const std::string& screen, const std::string& text) {
  size_t at = screen.find(text);
  if (at == std::string::npos) return "";
  size_t start = screen.rfind('\n', at);
  start = start == std::string::npos ? 0 : start + 1;
  return screen.substr(start, screen.find('\n', at) - start);
}

// A worker whose one task was submitted past its lease (not yet sent), and a tmux server for
// the UI.
struct LateWorld {
  LateWorld() { SubmitLate(runner, server); }

  ManoRunner runner;
  ManodProcess server{OneLateRefusingTask(runner.dir())};
  TmuxServer tmux{runner.dir()};
};

}  // namespace

TEST_CASE_METHOD(
    LateWorld,
    "tui: a result refused as late reads refused in the queue, with the reason on the task",
    "[tui][integration]") {
  ManoResult sync = runner.Run({"sync"});
  INFO(sync.out << sync.err);
  REQUIRE(sync.out.find("refused 1") != std::string::npos);

  StartUi(tmux, runner);
  std::string queue = WaitFor(tmux, "ui", "rehusada");
  const std::string row = LineWith(queue, "rehusada");
  INFO(queue);
  CHECK(row.find("relevancia") != std::string::npos);  // the kind, in Spanish
  CHECK(queue.find("recibida") == std::string::npos);
  // A judged task has no countdown: nothing but the pay follows the state.
  CHECK(row.find("vencida") == std::string::npos);

  tmux.Keys("ui", {"Enter"});
  std::string task = WaitFor(tmux, "ui", "Motivo dado:");
  INFO(task);
  CHECK(task.find("rehusada (tarde)") != std::string::npos);
  CHECK(task.find("no acepta trabajo tard") != std::string::npos);
  CHECK(task.find("the deadline has passed and the task refuses late") != std::string::npos);
  // The keys line (second line from the bottom) offers no submit for a task that can no
  // longer change.
  std::vector<std::string> lines;
  std::istringstream in(task);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() >= 23);
  const std::string keys = lines[22];
  CHECK(keys.find("Esc") != std::string::npos);
  CHECK(keys.find("enviar") == std::string::npos);
  tmux.Keys("ui", {"Escape"});
  WaitFor(tmux, "ui", "rehusada");
  tmux.Keys("ui", {"q"});
}

TEST_CASE("tui: a revoked token shows as refused in the status line with the login, not offline",
          "[tui][integration]") {
  ManodProcess server;
  ManoRunner runner;
  TmuxServer tmux(runner.dir());
  LogInAndClaim(runner, server);
  server.NewToken("alice");  // the operator issues a new token: the stored one is revoked

  StartUi(tmux, runner);
  // The background sync meets the 401 and the status line says so, with the fix.
  std::string screen = WaitFor(tmux, "ui", "token rechazado: mano login");
  INFO(screen);
  CHECK(screen.find("sin conexión") == std::string::npos);
  // The whole command, with this server and account, is on the message line.
  screen = WaitFor(tmux, "ui", "--name alice");
  CHECK(screen.find("mano login --server " + server.url()) != std::string::npos);
  CHECK(screen.find("El servidor rechazó el token de alice") != std::string::npos);
  tmux.Keys("ui", {"q"});
}

TEST_CASE_METHOD(LateWorld, "tui: the UI's own sync pass tells what the server refused, in Spanish",
                 "[tui][integration]") {
  // No `mano sync`: the UI's background pass sends the result and gets the refusal.
  StartUi(tmux, runner);
  std::string screen = WaitFor(tmux, "ui", "Sincronización de alice:");
  INFO(screen);
  CHECK(screen.find("El servidor rechazó") != std::string::npos);
  CHECK(screen.find("late_refused") != std::string::npos);
  // Seen once: opening the task does not bring it back.
  tmux.Keys("ui", {"Enter"});
  std::string task = WaitFor(tmux, "ui", "Motivo dado:");
  CHECK(task.find("Sincronización de alice:") == std::string::npos);
  tmux.Keys("ui", {"q"});
}

// Issue 13: amounts exact and the requester report on the ledger screen, as a worker sees them
// (Spanish, TERM=linux, 80x24): a 0.025 USD task from a named requester, rejected with a reason.
TEST_CASE("tui: the queue shows 0.025 USD; the ledger screen lists the requester, in Spanish",
          "[tui][integration]") {
  ManoRunner runner;
  const std::string path = runner.dir() + "/tasks.jsonl";
  std::ofstream(path)
      << R"({"id":"acme-1","kind":"relevance","form":{"title":"Rate it","fields":[{"name":"score",)"
         R"("type":"scale","label":"Score","required":true,"min":0,"max":4}]},"reward":25000,)"
         R"("currency":"USD","requester":{"id":"A1","name":"Acme Search"}})"
      << "\n";
  ManodProcess::Options options;
  options.imports = {path};
  ManodProcess server(options);
  TmuxServer tmux(runner.dir());
  LogInAndClaim(runner, server);
  REQUIRE(runner.Run({"answer", "1", "--set", "score=3"}).status == 0);
  REQUIRE(runner.Run({"submit", "1"}).status == 0);
  REQUIRE(runner.Run({"sync"}).status == 0);
  REQUIRE(server.Run({"review", "--db", server.db(), "--reject", "1", "--reason",
                      "respuestas copiadas"}) == 0);
  REQUIRE(runner.Run({"sync"}).status == 0);

  StartUi(tmux, runner);
  const std::string queue = WaitFor(tmux, "ui", "0.025 USD");
  CHECK(queue.find("0.03") == std::string::npos);
  tmux.Keys("ui", {"l"});
  WaitFor(tmux, "ui", "(USD)");
  for (int i = 0; i < 6; ++i) tmux.Keys("ui", {"NPage"});
  const std::string ledger = WaitFor(tmux, "ui", "1 x respuestas copiadas");
  INFO(ledger);
  CHECK(ledger.find("Solicitantes, según su propio registro") != std::string::npos);
  const std::string row = LineWith(ledger, "Acme Search");
  CHECK(row.find("100.0") != std::string::npos);  // one rejection of one decided
  tmux.Keys("ui", {"Escape"});
  WaitFor(tmux, "ui", "0.025 USD");
  tmux.Keys("ui", {"q"});
}
