// The terminal UI end to end: a real manod, `mano login` + `mano claim` for each of the six
// kinds, then the UI in a tmux pane at 80x24 answering every task with keys; the UI is
// killed with SIGKILL in the middle of typing and started again (the draft and the cursor
// come back); then `mano sync` and `manod export`. Screens are compared with
// expected/*.txt after masking times (set MANO_UPDATE_EXPECTED=1 to rewrite them).
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "../client/mano_runner.h"
#include "mano/storage/store.h"
#include "mano/sync/json_util.h"
#include "manod_process.h"
#include "tmux_session.h"

using namespace mano::test;

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// `mano` with no command opens the terminal UI.
std::vector<std::string> Mano(const ManoRunner& runner) {
  return {ManoRunner::Binary(), "--data-dir", runner.data_dir()};
}

void CompareWithExpected(const std::string& name, const std::string& screen) {
  std::string masked = MaskVolatile(screen);
  std::string path = Env("MANO_SOURCE_DIR") + "/tests/integration/tui/expected/" + name;
  if (Env("MANO_UPDATE_EXPECTED") == "1") std::ofstream(path) << masked;
  std::ifstream in(path);
  std::stringstream expected;
  expected << in.rdbuf();
  INFO("screen " << name << ":\n" << masked);
  CHECK(masked == expected.str());
}

bool WaitDead(const TmuxServer& tmux, const std::string& name) {
  for (int i = 0; i < 600 && !tmux.PaneDead(name); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return tmux.PaneDead(name);
}

// Row (0-based) of the first screen line containing `text`, -1 when none.
int RowOf(const std::string& screen, const std::string& text) {
  std::stringstream in(screen);
  int row = 0;
  for (std::string line; std::getline(in, line); ++row) {
    if (line.find(text) != std::string::npos) return row;
  }
  return -1;
}

struct Ui {
  TmuxServer& tmux;
  std::string name;
  std::string Wait(const std::string& text) {
    std::string screen = tmux.WaitFor(name, text);
    INFO("waiting for \"" << text << "\" on:\n" << screen);
    REQUIRE(screen.find(text) != std::string::npos);
    return screen;
  }
  void WaitGone(const std::string& text) {
    std::string screen;
    for (int i = 0; i < 600; ++i) {
      screen = tmux.Capture(name);
      if (screen.find(text) == std::string::npos) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    INFO(screen);
    FAIL("\"" << text << "\" stayed on the screen");
  }
  void Keys(const std::vector<std::string>& keys) { tmux.Keys(name, keys); }
  void Type(const std::string& text) { tmux.Type(name, text); }
  void Submit() {  // Ctrl-R: the review, then Tab to "Send" and Enter
    Keys({"C-r"});
    Wait("[ Send ]");
    Keys({"Tab", "Enter"});
    Wait("Submitted.");
  }
};

// The environment of a Spanish worker on a Linux console.
std::map<std::string, std::string> SpanishLinux(const ManoRunner& runner) {
  return {{"LANG", "es_ES.UTF-8"},
          {"TERM", "linux"},
          {"MANO_HOME", runner.data_dir()},
          {"XDG_CONFIG_HOME", runner.config_home()}};
}

// The transcription results the server holds (manod export), by text.
std::vector<std::string> ExportedTexts(const ManodProcess& server) {
  std::string exported;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &exported) == 0);
  std::vector<std::string> texts;
  std::stringstream rows(exported);
  for (std::string line; std::getline(rows, line);) {
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    REQUIRE_FALSE(doc.HasParseError());
    if (std::string(doc["kind"].GetString()) == "transcription") {
      texts.push_back(doc["answer"]["text"].GetString());
    }
  }
  return texts;
}

// The screen's lines from the first holding `from` to the next holding `to` (both kept): a
// part of the screen without the status line, whose save state moves with time.
std::string Section(const std::string& screen, const std::string& from, const std::string& to) {
  std::stringstream in(screen);
  std::string out;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (!inside && line.find(from) != std::string::npos) inside = true;
    if (!inside) continue;
    out += line + "\n";
    if (line.find(to) != std::string::npos) break;
  }
  return out;
}

}  // namespace

TEST_CASE("tui: answer all six kinds with keys, survive kill -9, sync, export",
          "[tui][integration]") {
  ManodProcess server;
  ManoRunner runner;
  TmuxServer tmux(runner.dir());
  runner.LogIn(server);
  const std::vector<std::string> kinds = {"relevance",     "classification", "audio_quality",
                                          "transcription", "entity_update",  "bounding_boxes"};
  for (const auto& kind : kinds) {
    ManoResult r = runner.Run({"claim", "--account", "alice", "--kind", kind});
    INFO(r.err);
    REQUIRE(r.status == 0);
  }
  int64_t transcription_id = 0;
  // Looked up before the UI runs: a second process opening the store while the UI has it
  // open is what storage must survive, but it is not what this test is about.
  {
    auto store = mano::storage::Store::Open(runner.data_dir());
    for (const auto& a : store.ListAssignments()) {
      if (a.kind == "transcription") transcription_id = a.id;
    }
  }
  REQUIRE(transcription_id > 0);
  // The player is a harmless command that leaves a mark: proof the media key ran it. (It must
  // succeed: a player that exits with an error at once is reported, not "opened".)
  std::string marker = runner.dir() + "/player-ran";
  std::filesystem::create_directories(runner.config_home() + "/mano");
  std::ofstream(runner.config_home() + "/mano/config.toml")
      << "player = \"touch " << marker << "\"\n";

  std::map<std::string, std::string> env = {{"LANG", "C.UTF-8"},
                                            {"TERM", "linux"},
                                            {"MANO_HOME", runner.data_dir()},
                                            {"XDG_CONFIG_HOME", runner.config_home()}};
  tmux.Start("ui1", Mano(runner), env);
  Ui ui{tmux, "ui1"};
  ui.Wait("bounding_boxes");
  ui.Wait("alice: online");
  ui.WaitGone("syncing");  // the status line is shorter while a pass runs
  CompareWithExpected("queue_linux.txt", ui.Wait("alice: online"));

  // relevance: a digit for the scale, Tab, a comment with accents.
  ui.Keys({"Enter"});
  ui.Wait("How well does the result answer the query?");
  ui.Keys({"3", "Tab"});
  ui.Type("útil ñandú");
  ui.Wait("|útil ñandú");
  ui.Submit();

  // classification: a digit picks the option; the media key plays the clip with the
  // configured player inside the UI (issue 16), which says when it has ended.
  ui.Keys({"Enter"});
  ui.Wait("Which emotion does the speaker express?");
  ui.Wait("cached:");
  ui.Keys({"o"});
  ui.Wait("The clip has been played to the end.");
  ui.Keys({"2"});
  ui.Wait("2 (*) Joy");
  ui.Submit();
  for (int i = 0; i < 600 && !std::filesystem::exists(marker); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(std::filesystem::exists(marker));

  // audio_quality: scale digit, Tab, tick a problem.
  ui.Keys({"Enter"});
  ui.Wait("Rate the audio quality");
  ui.Keys({"4", "Tab", "1"});
  ui.Wait("1 [x] Background noise");
  ui.Submit();

  // transcription: type, let it save, keep typing and kill -9 in the middle.
  ui.Keys({"Enter"});
  ui.Wait("Transcribe the clip");
  // The status line says "saved 0.x s ago" for a second after each save: wait until the last
  // task's save is older, type, and wait for the new save.
  ui.WaitGone("saved 0.");
  ui.Type("hola mundo");
  ui.Wait("saved 0.");
  ui.Type(" más");
  pid_t pid = tmux.PanePid("ui1");
  REQUIRE(pid > 0);
  REQUIRE(::kill(pid, SIGKILL) == 0);
  REQUIRE(WaitDead(tmux, "ui1"));
  tmux.KillSession("ui1");

  // Start again without colour on a vt100: back on the same task, draft and cursor kept.
  auto env2 = env;
  env2["TERM"] = "vt100";
  env2["NO_COLOR"] = "1";
  tmux.Start("ui2", Mano(runner), env2);
  Ui ui2{tmux, "ui2"};
  std::string screen = ui2.Wait("|hola mundo");
  CHECK(screen.find("Transcribe the clip") != std::string::npos);
  std::string draft;
  {
    auto store = mano::storage::Store::Open(runner.data_dir());
    draft = store.LatestCheckpoint(transcription_id)->content;
  }
  std::string restored = draft.find(" más") != std::string::npos ? "hola mundo más" : "hola mundo";
  screen = ui2.Wait("|" + restored + " ");
  auto [x, y] = tmux.Cursor("ui2");
  CHECK(y == RowOf(screen, "|" + restored));
  CHECK(x == 5 + static_cast<int>(mano::sync::CodePointCount(restored)));
  // Replace the text (Ctrl-U clears the field) so the screen is the same on every run.
  ui2.Keys({"C-u"});
  ui2.Type("hola mundo fin");
  ui2.Wait("saved");
  ui2.WaitGone("syncing");
  CompareWithExpected("task_transcription_vt100_nocolor.txt", ui2.Wait("14/5000"));
  ui2.Submit();

  // entity_update: option digit, then a text field with an accent.
  ui2.Keys({"Enter"});
  ui2.Wait("Check this business listing");
  ui2.Keys({"1", "Tab"});
  ui2.Type("Panadería La Esquina");
  ui2.Wait("[Panadería La Esquina");
  ui2.Submit();

  // bounding_boxes: a new box, moved one pixel, label changed.
  ui2.Keys({"Enter"});
  ui2.Wait("Draw a box around every car");
  ui2.Keys({"n", "Right", "l"});
  ui2.Wait("1/1 person x=25 y=18 w=16 h=12");
  ui2.Submit();
  ui2.Keys({"q"});
  REQUIRE(WaitDead(tmux, "ui2"));

  ManoResult synced = runner.Run({"sync"});
  INFO(synced.out << synced.err);
  REQUIRE(synced.status == 0);

  // The Spanish UI, on a machine where es_ES.UTF-8 may not exist.
  auto env3 = env;
  env3["LANG"] = "es_ES.UTF-8";
  tmux.Start("ui3", Mano(runner), env3);
  Ui ui3{tmux, "ui3"};
  ui3.Wait("mano · Cola");
  ui3.Wait("en línea");
  ui3.WaitGone("sincronizando");
  CompareWithExpected("queue_es_linux.txt", ui3.Wait("en línea"));
  ui3.Keys({"q"});
  REQUIRE(WaitDead(tmux, "ui3"));

  std::string exported;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &exported) == 0);
  std::map<std::string, std::string> answers;
  std::stringstream rows(exported);
  for (std::string line; std::getline(rows, line);) {
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    REQUIRE_FALSE(doc.HasParseError());
    std::string kind = doc["kind"].GetString();
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    doc["answer"].Accept(w);
    answers[kind] = buf.GetString();
  }
  INFO(exported);
  REQUIRE(answers.size() == kinds.size());
  CHECK(answers["relevance"] == R"({"comment":"útil ñandú","score":3})");
  CHECK(answers["classification"] == R"({"label":"joy"})");
  CHECK(answers["audio_quality"] == R"({"problems":["noise"],"quality":4})");
  CHECK(answers["transcription"] == R"({"text":"hola mundo fin"})");
  CHECK(answers["entity_update"] == R"({"name":"Panadería La Esquina","status":"open"})");
  CHECK(answers["bounding_boxes"] == R"({"boxes":[{"h":12,"l":"person","w":16,"x":25,"y":18}]})");
}

TEST_CASE("tui in Spanish: the empty queue names the command; o says the player is missing",
          "[tui][integration][i18n]") {
  ManodProcess server;
  ManoRunner runner;
  TmuxServer tmux(runner.dir());
  std::filesystem::create_directories(runner.config_home() + "/mano");
  std::ofstream(runner.config_home() + "/mano/config.toml") << "player = \"mano-no-such-player\"\n";
  const std::map<std::string, std::string> env = {{"LANG", "es_ES.UTF-8"},
                                                  {"TERM", "linux"},
                                                  {"MANO_HOME", runner.data_dir()},
                                                  {"XDG_CONFIG_HOME", runner.config_home()}};

  // Nobody has logged in: the queue says so, with the command that fixes it.
  tmux.Start("nobody", Mano(runner), env);
  Ui nobody{tmux, "nobody"};
  nobody.Wait("Aún no hay cuenta.");
  nobody.Wait("mano login --server URL --name NAME");
  CHECK(tmux.Capture("nobody").find("mano claim") == std::string::npos);
  nobody.Keys({"q"});
  REQUIRE(WaitDead(tmux, "nobody"));

  // Logged in, nothing claimed: the other command.
  runner.LogIn(server);
  tmux.Start("empty", Mano(runner), env);
  Ui empty{tmux, "empty"};
  empty.Wait("No hay tareas.");
  empty.Wait("  mano claim");
  CHECK(tmux.Capture("empty").find("mano login") == std::string::npos);
  empty.Keys({"q"});
  REQUIRE(WaitDead(tmux, "empty"));

  // A clip to play with a player that is not installed: said plainly, not "opened".
  REQUIRE(runner.Run({"claim", "--kind", "transcription"}).status == 0);
  tmux.Start("task", Mano(runner), env);
  Ui task{tmux, "task"};
  task.Wait("transcripción");  // the kind, in Spanish
  task.Keys({"Enter"});
  task.Wait("Transcribe the clip");
  task.Keys({"C-o"});  // o itself types into the text field
  std::string screen = task.Wait("mano-no-such-player no está instalado");
  CHECK(screen.find("Abierto con") == std::string::npos);
  task.Keys({"Escape"});
  task.Wait("alice");
  task.Keys({"q"});
  REQUIRE(WaitDead(tmux, "task"));
}

// Submitting is a deliberate act (issue 11), in Spanish with TERM=linux: a transcript typed
// with Enter and then "y me dijo que ..." and more text with a "q" in it stays a draft with
// its line breaks, and the UI stays open (the old confirm took "y" as yes, sent the
// unfinished text, and "q" then quit). The review screen then sends it only with Tab to
// "Enviar" and Enter, and the server gets the text with its line breaks.
TEST_CASE("tui: Enter then 'y me dijo que' in a transcript submits nothing; the review sends",
          "[tui][integration]") {
  ManodProcess server;
  ManoRunner runner;
  TmuxServer tmux(runner.dir());
  runner.LogIn(server);
  REQUIRE(runner.Run({"claim", "--account", "alice", "--kind", "transcription"}).status == 0);
  int64_t id = 0;
  {
    auto store = mano::storage::Store::Open(runner.data_dir());
    id = store.ListAssignments().at(0).id;
  }
  std::filesystem::create_directories(runner.config_home() + "/mano");
  std::map<std::string, std::string> env = SpanishLinux(runner);
  tmux.Start("ui1", {ManoRunner::Binary(), "--data-dir", runner.data_dir()}, env);
  Ui ui{tmux, "ui1"};
  ui.Wait("mano · Cola");
  ui.Wait("en línea");
  ui.Keys({"Enter"});
  ui.Wait("Transcribe the clip");
  std::string keys = ui.Wait("Ctrl-R enviar…");
  CHECK(keys.find("Enter") == std::string::npos);  // Enter sends nothing: not in the keys line

  // What a person types: a line, Enter, and the next words (y, s, o all said "yes" before;
  // q quit the UI afterwards), then more text.
  ui.Type("ella llegó tarde");
  ui.Keys({"Enter"});
  ui.Type("y me dijo que se quedaba en casa");
  ui.Keys({"Enter"});
  ui.Type("o que quizá sí");
  std::string screen = ui.Wait("|o que quizá sí");
  INFO(screen);
  CHECK(screen.find("|ella llegó tarde") != std::string::npos);
  CHECK(screen.find("|y me dijo que se quedaba en casa") != std::string::npos);
  CHECK(screen.find("¿Enviar") == std::string::npos);
  CHECK(screen.find("Enviado") == std::string::npos);
  CHECK_FALSE(tmux.PaneDead("ui1"));
  ui.Wait("guardado");

  // The review lists the answer with its lines; Enter alone ("Volver al formulario" has the
  // focus) goes back without sending; letters do nothing there.
  ui.Keys({"C-r"});
  screen = ui.Wait("Revisar antes de enviar: Transcribe the clip");
  CHECK(screen.find("mano · Revisión") != std::string::npos);
  CHECK(screen.find("    ella llegó tarde") != std::string::npos);
  CHECK(screen.find("    y me dijo que se quedaba en casa") != std::string::npos);
  CHECK(screen.find("No se encontró ningún problema.") != std::string::npos);
  CHECK(screen.find("[ Volver al formulario ]") != std::string::npos);
  CHECK(screen.find("[ Enviar ]") != std::string::npos);
  CHECK(screen.find("Tab elegir botón") != std::string::npos);
  ui.Type("sí yo");
  ui.Keys({"Enter"});
  ui.Wait("Ctrl-R enviar…");
  CHECK_FALSE(tmux.PaneDead("ui1"));

  // Back to the queue and out: nothing was queued, nothing reached the server.
  ui.Keys({"Escape"});
  ui.Wait("mano · Cola");
  ui.Keys({"q"});
  REQUIRE(WaitDead(tmux, "ui1"));
  tmux.KillSession("ui1");
  {
    auto store = mano::storage::Store::Open(runner.data_dir());
    CHECK(store.OutboxStats("alice").items == 0);
    CHECK(store.GetAssignment(id)->state == mano::storage::AssignmentState::kInProgress);
    CHECK(store.LatestCheckpoint(id)->content ==
          R"({"text":"ella llegó tarde\ny me dijo que se quedaba en casa\no que quizá sí"})");
  }
  REQUIRE(runner.Run({"sync"}).status == 0);
  CHECK(ExportedTexts(server).empty());

  // Again, offline (the server down): send with F10 (TERM=linux has it), Tab to "Enviar",
  // Enter; the result waits in the outbox. Opened again it is read only and `r` takes it back
  // to a draft with the same text; then it is sent for good.
  server.Kill();
  tmux.Start("ui2", {ManoRunner::Binary(), "--data-dir", runner.data_dir()}, env);
  Ui ui2{tmux, "ui2"};
  ui2.Wait("mano · Cola");  // it was left on the queue
  ui2.Keys({"Enter"});
  ui2.Wait("|o que quizá sí");
  ui2.Keys({"F10"});
  ui2.Wait("[ Enviar ]");
  ui2.Keys({"Tab", "Enter"});
  ui2.Wait("Enviado.");
  ui2.Wait("por enviar 1");
  ui2.Keys({"Enter"});
  screen = ui2.Wait("r recuperar como borrador");
  CHECK(screen.find("solo lectura") != std::string::npos);
  ui2.Keys({"r"});
  screen = ui2.Wait("Recuperado: vuelve a ser un borrador");
  CHECK(screen.find("|y me dijo que se quedaba en casa") != std::string::npos);
  CHECK(screen.find("solo lectura") == std::string::npos);
  ui2.Type(" y ya");
  ui2.Wait("|o que quizá sí y ya");
  ui2.Keys({"C-r"});
  ui2.Wait("[ Enviar ]");
  ui2.Keys({"Tab", "Enter"});
  ui2.Wait("Enviado.");
  ui2.Keys({"q"});
  REQUIRE(WaitDead(tmux, "ui2"));
  server.Start();
  REQUIRE(runner.Run({"sync"}).status == 0);
  auto texts = ExportedTexts(server);
  REQUIRE(texts.size() == 1);
  CHECK(texts[0] == "ella llegó tarde\ny me dijo que se quedaba en casa\no que quizá sí y ya");
}

// After the deadline the review says, before anything is sent, what the task's late policy
// will do: audio_quality refuses late results, so the button says "Send anyway" (es).
TEST_CASE("tui: a late result is announced on the review with what its policy will do",
          "[tui][integration]") {
  ManodProcess server;
  ManoRunner runner;
  TmuxServer tmux(runner.dir());
  runner.LogIn(server);
  REQUIRE(runner.Run({"claim", "--account", "alice", "--kind", "audio_quality"}).status == 0);
  server.AdvanceClock(31 * 60 * 1000);  // the lease is 30 minutes
  runner.Run({"sync"});                 // the client learns the server's time
  std::map<std::string, std::string> env = SpanishLinux(runner);
  tmux.Start("late", {ManoRunner::Binary(), "--data-dir", runner.data_dir()}, env);
  Ui ui{tmux, "late"};
  ui.Wait("mano · Cola");
  ui.Keys({"Enter"});
  ui.Wait("Rate the audio quality");
  ui.Keys({"4", "C-r"});
  std::string screen = ui.Wait("[ Enviar de todos modos ]");
  CHECK(screen.find("El plazo ha vencido y esta tarea rechaza los resultados") !=
        std::string::npos);
  ui.Keys({"Escape", "Escape"});
  ui.Wait("mano · Cola");
  ui.Keys({"q"});
  REQUIRE(WaitDead(tmux, "late"));
  std::string exported;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &exported) == 0);
  CHECK(exported.empty());
}

// Issue 16: a box at an exact pixel position by keys, in Spanish on a Linux console. The
// default box starts at y=18; six Down presses reach y=24 (the old editor stepped 4 px
// there and could not). A typed count, the resize mode in words, a typing mistake in the
// coordinate line (refused with a sentence, Escape closes only that line), then the review,
// sync, and `manod export` holds exactly those integers.
TEST_CASE("tui: a box drawn by keys at exact pixels reaches the server as those integers",
          "[tui][integration][boxes]") {
  ManodProcess server;
  ManoRunner runner;
  TmuxServer tmux(runner.dir());
  runner.LogIn(server);
  REQUIRE(runner.Run({"claim", "--account", "alice", "--kind", "bounding_boxes"}).status == 0);
  std::filesystem::create_directories(runner.config_home() + "/mano");
  tmux.Start("ui", Mano(runner), SpanishLinux(runner));
  Ui ui{tmux, "ui"};
  ui.Wait("mano · Cola");
  ui.Keys({"Enter"});
  ui.Wait("Draw a box around every car");
  ui.Keys({"n"});
  ui.Wait("1/1 car x=24 y=18 w=16 h=12  64x48 px");
  ui.Wait("Modo: mover la caja entera · paso 1 px");
  for (int i = 0; i < 6; ++i) ui.Keys({"Down"});
  ui.Wait("1/1 car x=24 y=24 w=16 h=12");
  // A mistake: a box that does not fit, said in one sentence; Escape closes just the line.
  ui.Type("=");
  ui.Wait("Escriba x y w h y luego Enter:");
  ui.Type("70 0 10 10");
  ui.Keys({"Enter"});
  ui.Wait("Esa caja no cabe en la imagen de 64x48 píxeles");
  ui.Keys({"Escape"});
  ui.WaitGone("Escriba x y w h");
  ui.Wait("1/1 car x=24 y=24 w=16 h=12");
  ui.Type("13");
  ui.Wait("próxima flecha: 13 px");
  ui.Keys({"Right"});
  ui.Wait("1/1 car x=37 y=24 w=16 h=12");
  ui.Keys({"m"});
  ui.Wait("Modo: redimensionar, bordes derecho e inferior · paso 1 px");
  ui.Keys({"Left", "Left", "Left", "Down", "Down", "l"});
  // The picture (street.png through chafa) with the box over it, then zoomed with z.
  CompareWithExpected("boxes_picture_es_linux.txt",
                      Section(ui.Wait("1/1 person x=37 y=24 w=13 h=14"), "> Objects", "Modo:"));
  ui.Keys({"z"});
  CompareWithExpected("boxes_zoom_es_linux.txt",
                      Section(ui.Wait("z volver al formulario"), "mano · Tarea", "z volver"));
  ui.Keys({"z"});
  ui.WaitGone("z volver al formulario");
  ui.Keys({"C-r"});
  ui.Wait("[ Enviar ]");
  ui.Keys({"Tab", "Enter"});
  ui.Wait("Enviado.");
  ui.Keys({"q"});
  REQUIRE(WaitDead(tmux, "ui"));

  ManoResult synced = runner.Run({"sync"});
  INFO(synced.out << synced.err);
  REQUIRE(synced.status == 0);

  // The same picture on a 256-colour terminal window: the same symbols, no colour needed.
  auto xterm = SpanishLinux(runner);
  xterm["TERM"] = "xterm-256color";
  tmux.Start("xterm", Mano(runner), xterm);
  Ui ui2{tmux, "xterm"};
  ui2.Wait("mano · Cola");
  ui2.Keys({"Enter"});
  CompareWithExpected("boxes_picture_es_xterm.txt",
                      Section(ui2.Wait("1/1 person x=37 y=24 w=13 h=14"), "> Objects", "px"));
  ui2.Keys({"Escape"});
  ui2.Wait("mano · Cola");
  ui2.Keys({"q"});
  REQUIRE(WaitDead(tmux, "xterm"));

  std::string exported;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &exported) == 0);
  rapidjson::Document doc;
  doc.Parse(exported.c_str(), exported.find('\n'));
  REQUIRE_FALSE(doc.HasParseError());
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  doc["answer"].Accept(w);
  CHECK(std::string(buf.GetString()) ==
        R"({"boxes":[{"h":14,"l":"person","w":13,"x":37,"y":24}]})");
}

namespace {

// A process that is no longer running (gone, or a zombie waiting for init to reap it).
bool Gone(const std::string& pid_text) {
  std::ifstream stat("/proc/" + std::to_string(std::atoi(pid_text.c_str())) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  size_t close = line.rfind(')');
  return close != std::string::npos && line.compare(close + 2, 1, "Z") == 0;
}

std::string ReadLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Waits (generously) until the fake player's shell and its child have both ended.
bool PlayerGone(const std::string& dir) {
  for (int i = 0; i < 600; ++i) {
    if (Gone(ReadLine(dir + "/pid")) && Gone(ReadLine(dir + "/child"))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A manod, alice logged in with one task of `kind` claimed, and a tmux server.
struct Claimed {
  ManodProcess server;
  ManoRunner runner;
  TmuxServer tmux{runner.dir()};
  explicit Claimed(const std::string& kind) {
    runner.LogIn(server);
    REQUIRE(runner.Run({"claim", "--account", "alice", "--kind", kind}).status == 0);
  }
};

// A folder of fake programs first on PATH, and a folder where they record what they saw.
struct FakePrograms {
  std::string bin, rec;
  explicit FakePrograms(const ManoRunner& runner)
      : bin(runner.dir() + "/bin"), rec(runner.dir() + "/recorded") {
    std::filesystem::create_directories(bin);
    std::filesystem::create_directories(rec);
  }
  // Writes `program` as a shell script (`body` after the #! line).
  void Write(const std::string& program, const std::string& body) const {
    std::ofstream(bin + "/" + program) << "#!/bin/sh\n" << body;
    std::filesystem::permissions(bin + "/" + program, std::filesystem::perms::owner_all);
  }
  // The Spanish Linux console, with these programs found first.
  std::map<std::string, std::string> Env(const ManoRunner& runner) const {
    auto env = SpanishLinux(runner);
    env["PATH"] = bin + ":" + ::Env("PATH");
    return env;
  }
};

}  // namespace

TEST_CASE("tui: p plays the clip in the UI with its duration; s, Esc and Ctrl-C stop it",
          "[tui][integration][audio]") {
  Claimed world("audio_quality");
  ManoRunner& runner = world.runner;
  TmuxServer& tmux = world.tmux;
  // The default player is the first of pw-play, paplay... on PATH: a fake one that records
  // its arguments and pid and "plays" through a child of its own (a process group to end).
  FakePrograms fakes(runner);
  const std::string& rec = fakes.rec;
  fakes.Write("pw-play", "echo \"$@\" > '" + rec + "/argv'\necho $$ > '" + rec +
                             "/pid'\nsleep 60 &\necho $! > '" + rec + "/child'\nwait\n");
  tmux.Start("ui", Mano(runner), fakes.Env(runner));
  Ui ui{tmux, "ui"};
  ui.Wait("mano · Cola");
  ui.Keys({"Enter"});
  ui.Wait("Rate the audio quality");
  // tone.wav: 8000 bytes at 16000 bytes a second.
  ui.Wait("Duración 0:00.5 · p lo reproduce");
  // p, then wait until the fake player's shell and its child both run.
  auto play = [&] {
    std::filesystem::remove(rec + "/pid");
    std::filesystem::remove(rec + "/child");
    ui.Keys({"p"});
    ui.Wait("Reproduciendo con pw-play");
    for (int i = 0; i < 600 && ReadLine(rec + "/child").empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  play();
  ui.Wait("Reproduciendo con pw-play: 0:0");
  ui.Wait("de 0:00.5 · s detiene");
  ui.Wait("Reproduciendo con pw-play: 0:02 de 0:00.5");  // the time played moves on
  std::string argv = ReadLine(rec + "/argv");
  CHECK(argv.rfind(runner.data_dir(), 0) == 0);  // the cached file, one argument
  CHECK(argv.find(' ') == std::string::npos);
  ui.Keys({"s"});
  ui.Wait("Detenido.");
  ui.Wait("Duración 0:00.5 · p lo reproduce");
  CHECK(PlayerGone(rec));

  // Leaving the task stops it; so does quitting from the task.
  play();
  ui.Keys({"Escape"});
  ui.Wait("mano · Cola");
  CHECK(PlayerGone(rec));
  ui.Keys({"Enter"});
  ui.Wait("Duración 0:00.5 · p lo reproduce");
  play();
  ui.Keys({"C-c"});
  REQUIRE(WaitDead(tmux, "ui"));
  CHECK(PlayerGone(rec));
}

TEST_CASE("tui: with no display o shows the link in a text browser, then the UI comes back",
          "[tui][integration][links]") {
  Claimed world("relevance");
  ManoRunner& runner = world.runner;
  TmuxServer& tmux = world.tmux;
  // A fake w3m on PATH: it says what it shows, reads a line from the terminal, and records it.
  FakePrograms fakes(runner);
  const std::string& rec = fakes.rec;
  auto fake = [&](int status) {
    fakes.Write("w3m", "echo \"$@\" > '" + rec + "/argv'\nprintf 'FAKE W3M %s\\n' \"$1\"\n" +
                           "read line\necho \"$line\" > '" + rec + "/typed'\nexit " +
                           std::to_string(status) + "\n");
  };
  fake(0);
  auto env = fakes.Env(runner);
  env["DISPLAY"] = "";  // no graphical display, no $BROWSER
  env["WAYLAND_DISPLAY"] = "";
  env["BROWSER"] = "";
  tmux.Start("ui", Mano(runner), env);
  Ui ui{tmux, "ui"};
  ui.Wait("mano · Cola");
  ui.Keys({"Enter"});
  ui.Wait("How well does the result answer the query?");
  ui.Keys({"o"});
  std::string shown = ui.Wait("FAKE W3M https://example.");
  CHECK(shown.find("mano · Tarea") == std::string::npos);  // curses has handed the screen over
  ui.Type("hola");
  ui.Keys({"Enter"});
  ui.Wait("Enlace abierto con w3m.");
  ui.Wait("How well does the result answer the query?");  // the screen is painted again
  CHECK(ReadLine(rec + "/typed") == "hola");              // the browser had the keyboard
  CHECK(ReadLine(rec + "/argv").rfind("https://example.", 0) == 0);

  // A browser that fails is said, not "opened".
  fake(4);
  ui.Keys({"o"});
  ui.Wait("FAKE W3M");
  ui.Keys({"Enter"});
  std::string failed = ui.Wait("No se pudo abrir el enlace: w3m no pudo abrirlo (estado de");
  CHECK(failed.find("Enlace abierto") == std::string::npos);
  ui.Keys({"Escape"});
  ui.Wait("mano · Cola");
  ui.Keys({"q"});
  REQUIRE(WaitDead(tmux, "ui"));
}

namespace {

// Everything the program in pane `name` writes to its terminal from now on, into `file`.
void RecordOutput(const TmuxServer& tmux, const std::string& name, const std::string& file) {
  tmux.Run({"pipe-pane", "-o", "-t", name, "cat >> " + TmuxServer::Quote(file)});
}

// Waits (generously) until `file` holds `bytes`; returns what it holds.
std::string WaitForBytes(const std::string& file, const std::string& bytes) {
  std::string text;
  for (int i = 0; i < 600; ++i) {
    std::ifstream in(file, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (text.find(bytes) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return text;
}

}  // namespace

TEST_CASE("tui: a terminal that draws pixels gets the picture as sixel or kitty; linux symbols",
          "[tui][integration][boxes][pixels]") {
  Claimed world("bounding_boxes");
  ManoRunner& runner = world.runner;
  TmuxServer& tmux = world.tmux;
  std::filesystem::create_directories(runner.config_home() + "/mano");
  struct Case {
    std::string name, term, program, pictures, expect;
  };
  // WezTerm draws sixels (chafa's terminal database says so from TERM_PROGRAM); the config
  // forces kitty on a terminal chafa does not know for it; TERM=linux keeps the symbols.
  const std::vector<Case> cases = {
      {"sixel", "xterm-256color", "WezTerm", "auto", "\x1bP0;1;0q"},
      {"kitty", "xterm-256color", "", "kitty", "\x1b_Ga=T,f=32,"},
      {"linux", "linux", "WezTerm", "auto", ""},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    std::ofstream(runner.config_home() + "/mano/config.toml")
        << "pictures = \"" << c.pictures << "\"\n";
    auto env = SpanishLinux(runner);
    env["TERM"] = c.term;
    env["TERM_PROGRAM"] = c.program;
    std::string out = runner.dir() + "/" + c.name + ".out";
    tmux.Start(c.name, Mano(runner), env);
    Ui ui{tmux, c.name};
    ui.Wait("mano · Cola");
    RecordOutput(tmux, c.name, out);
    ui.Keys({"Enter"});
    ui.Wait("Draw a box around every car");
    if (c.name == "sixel") {
      std::string bytes = WaitForBytes(out, c.expect);
      CHECK(bytes.find(c.expect) != std::string::npos);
      // The picture goes where the symbols are: the cursor is saved, moved, restored.
      CHECK(bytes.find("\x1b"
                       "7\x1b[") != std::string::npos);
      CHECK(bytes.find("\x1b"
                       "8") != std::string::npos);
    } else if (c.name == "kitty") {
      CHECK(WaitForBytes(out, c.expect).find(c.expect) != std::string::npos);
      // A new box, then a moved one: drawn again each time, the old placement deleted first.
      ui.Keys({"n"});
      ui.Wait("1/1 car x=24 y=18 w=16 h=12");
      ui.Keys({"Down"});
      ui.Wait("1/1 car x=24 y=19 w=16 h=12");
      CHECK(WaitForBytes(out, "\x1b_Ga=d\x1b\\").find("\x1b_Ga=d\x1b\\") != std::string::npos);
    } else {
      // TERM=linux: symbols as before (the capture), and no pixel sequence at all.
      std::string screen = ui.Wait("1/1 car x=24 y=19 w=16 h=12");
      std::string bytes = WaitForBytes(out, "");  // what was written up to this screen
      CHECK(bytes.find("\x1bP") == std::string::npos);
      CHECK(bytes.find("\x1b_G") == std::string::npos);
      CompareWithExpected("boxes_pixels_es_linux.txt", Section(screen, "> Objects", "px"));
    }
    ui.Keys({"Escape"});
    ui.Wait("mano · Cola");
    ui.Keys({"q"});
    REQUIRE(WaitDead(tmux, c.name));
  }
}
