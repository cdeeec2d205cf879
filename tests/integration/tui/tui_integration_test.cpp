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
#include <span>
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

// One task kind as a person answers it in the six-kinds test: the task's title, then each
// step (tmux key names pressed, then text typed, then what the screen must show), and the
// answer `manod export` then holds (compact JSON).
struct Step {
  std::vector<std::string> keys;
  std::string text;
  std::string shows;
};
struct KindScript {
  std::string kind, title;
  std::vector<Step> steps;
  std::string answer;
};

// The words of the review's send button and of the status line once sent.
struct SendWords {
  std::string button, sent;
};
const SendWords kEnglish{"[ Send ]", "Submitted."};
const SendWords kSpanish{"[ Enviar ]", "Enviado."};

// The UI in tmux pane `name`: what a person presses and types, and what the screen shows.
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
  // Presses `keys`, then waits for `shows`; returns the screen.
  std::string Press(const std::vector<std::string>& keys, const std::string& shows) {
    Keys(keys);
    return Wait(shows);
  }
  // Enter on the queue opens its first task; waits for `shows` (its title, its draft...).
  std::string Open(const std::string& shows) { return Press({"Enter"}, shows); }
  // `review` (Ctrl-R, or F10 on a console) opens the review, Tab goes to the send button and
  // Enter presses it.
  void Submit(const SendWords& words = kEnglish, const std::string& review = "C-r") {
    Press({review}, words.button);
    Press({"Tab", "Enter"}, words.sent);
  }
  void Answer(const KindScript& script) {
    Open(script.title);
    for (const Step& step : script.steps) {
      if (!step.keys.empty()) Keys(step.keys);
      if (!step.text.empty()) Type(step.text);
      Wait(step.shows);
    }
    Submit();
  }
  // Escape from a task: back on the queue, which shows `queue`.
  void Leave(const std::string& queue = "mano · Cola") { Press({"Escape"}, queue); }
  void Quit() {
    Keys({"q"});
    REQUIRE(WaitDead(tmux, name));
  }
};

// `mano` (the UI) started in a new pane `name` with the environment `env`.
Ui StartUi(TmuxServer& tmux, const std::string& name, const ManoRunner& runner,
           const std::map<std::string, std::string>& env) {
  tmux.Start(name, Mano(runner), env);
  return Ui{tmux, name};
}

// The environment of a worker on a Linux console, in the language of `lang`.
std::map<std::string, std::string> LinuxConsole(const ManoRunner& runner, const std::string& lang) {
  return {{"LANG", lang},
          {"TERM", "linux"},
          {"MANO_HOME", runner.data_dir()},
          {"XDG_CONFIG_HOME", runner.config_home()}};
}
std::map<std::string, std::string> SpanishLinux(const ManoRunner& runner) {
  return LinuxConsole(runner, "es_ES.UTF-8");
}

// The answers the server holds (manod export), as compact JSON by task kind.
std::map<std::string, std::string> ExportedAnswers(const ManodProcess& server) {
  std::string exported;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &exported) == 0);
  INFO(exported);
  std::map<std::string, std::string> answers;
  std::stringstream rows(exported);
  for (std::string line; std::getline(rows, line);) {
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    REQUIRE_FALSE(doc.HasParseError());
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    doc["answer"].Accept(w);
    answers[doc["kind"].GetString()] = buf.GetString();
  }
  return answers;
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

// A manod, a mano with its own folders with alice logged in, and a tmux server; Claim takes a
// task of a kind for alice.
struct World {
  ManodProcess server;
  ManoRunner runner;
  TmuxServer tmux{runner.dir()};
  World() { runner.LogIn(server); }
  void Claim(const std::string& kind) {
    ManoResult r = runner.Run({"claim", "--account", "alice", "--kind", kind});
    INFO(r.err);
    REQUIRE(r.status == 0);
  }
};

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

// A World with fake programs first on PATH.
struct WorldWithFakes : World {
  FakePrograms fakes{runner};
};

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

// The six kinds in the order they are claimed (the queue's order).
const std::vector<KindScript> kKinds = {
    // relevance: a digit for the scale, Tab, a comment with accents.
    {"relevance",
     "How well does the result answer the query?",
     {{{"3", "Tab"}, "útil ñandú", "|útil ñandú"}},
     R"({"comment":"útil ñandú","score":3})"},
    // classification: the media key plays the clip with the configured player inside the UI
    // (issue 16), which says when it has ended; a digit picks the option.
    {"classification",
     "Which emotion does the speaker express?",
     {{{}, "", "cached:"},
      {{"o"}, "", "The clip has been played to the end."},
      {{"2"}, "", "2 (*) Joy"}},
     R"({"label":"joy"})"},
    // audio_quality: scale digit, Tab, tick a problem.
    {"audio_quality",
     "Rate the audio quality",
     {{{"4", "Tab", "1"}, "", "1 [x] Background noise"}},
     R"({"problems":["noise"],"quality":4})"},
    // transcription: typed, killed with SIGKILL while typing, finished in the next UI (below).
    {"transcription", "Transcribe the clip", {}, R"({"text":"hola mundo fin"})"},
    // entity_update: option digit, then a text field with an accent.
    {"entity_update",
     "Check this business listing",
     {{{"1", "Tab"}, "Panadería La Esquina", "[Panadería La Esquina"}},
     R"({"name":"Panadería La Esquina","status":"open"})"},
    // bounding_boxes: a new box, moved one pixel, label changed.
    {"bounding_boxes",
     "Draw a box around every car",
     {{{"n", "Right", "l"}, "", "1/1 person x=25 y=18 w=16 h=12"}},
     R"({"boxes":[{"h":12,"l":"person","w":16,"x":25,"y":18}]})"},
};

}  // namespace

TEST_CASE_METHOD(World, "tui: answer all six kinds with keys, survive kill -9, sync, export",
                 "[tui][integration]") {
  for (const KindScript& k : kKinds) Claim(k.kind);
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

  const auto env = LinuxConsole(runner, "C.UTF-8");
  Ui ui = StartUi(tmux, "ui1", runner, env);
  ui.Wait("bounding_boxes");
  ui.Wait("alice: online");
  ui.WaitGone("syncing");  // the status line is shorter while a pass runs
  CompareWithExpected("queue_linux.txt", ui.Wait("alice: online"));

  // The kinds before the transcription, each as its script says.
  for (const KindScript& k : std::span(kKinds).first(3)) ui.Answer(k);
  for (int i = 0; i < 600 && !std::filesystem::exists(marker); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(std::filesystem::exists(marker));

  // transcription: type, let it save, keep typing and kill -9 in the middle.
  const KindScript& transcription = kKinds.at(3);
  ui.Open(transcription.title);
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
  Ui ui2 = StartUi(tmux, "ui2", runner, env2);
  std::string screen = ui2.Wait("|hola mundo");
  CHECK(screen.find(transcription.title) != std::string::npos);
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

  // The kinds after it, in the new UI.
  for (const KindScript& k : std::span(kKinds).subspan(4)) ui2.Answer(k);
  ui2.Quit();

  ManoResult synced = runner.Run({"sync"});
  INFO(synced.out << synced.err);
  REQUIRE(synced.status == 0);

  // The Spanish UI, on a machine where es_ES.UTF-8 may not exist.
  Ui ui3 = StartUi(tmux, "ui3", runner, SpanishLinux(runner));
  ui3.Wait("mano · Cola");
  ui3.Wait("en línea");
  ui3.WaitGone("sincronizando");
  CompareWithExpected("queue_es_linux.txt", ui3.Wait("en línea"));
  ui3.Quit();

  auto answers = ExportedAnswers(server);
  REQUIRE(answers.size() == kKinds.size());
  for (const KindScript& k : kKinds) {
    INFO(k.kind);
    CHECK(answers[k.kind] == k.answer);
  }
}

TEST_CASE("tui in Spanish: the empty queue names the command; o says the player is missing",
          "[tui][integration][i18n]") {
  ManodProcess server;
  ManoRunner runner;
  TmuxServer tmux(runner.dir());
  std::filesystem::create_directories(runner.config_home() + "/mano");
  std::ofstream(runner.config_home() + "/mano/config.toml") << "player = \"mano-no-such-player\"\n";
  const auto env = SpanishLinux(runner);

  // Nobody has logged in: the queue says so, with the command that fixes it.
  Ui nobody = StartUi(tmux, "nobody", runner, env);
  nobody.Wait("Aún no hay cuenta.");
  nobody.Wait("mano login --server URL --name NAME");
  CHECK(tmux.Capture("nobody").find("mano claim") == std::string::npos);
  nobody.Quit();

  // Logged in, nothing claimed: the other command.
  runner.LogIn(server);
  Ui empty = StartUi(tmux, "empty", runner, env);
  empty.Wait("No hay tareas.");
  empty.Wait("  mano claim");
  CHECK(tmux.Capture("empty").find("mano login") == std::string::npos);
  empty.Quit();

  // A clip to play with a player that is not installed: said plainly, not "opened".
  REQUIRE(runner.Run({"claim", "--kind", "transcription"}).status == 0);
  Ui task = StartUi(tmux, "task", runner, env);
  task.Wait("transcripción");  // the kind, in Spanish
  task.Open("Transcribe the clip");
  // o itself types into the text field.
  std::string screen = task.Press({"C-o"}, "mano-no-such-player no está instalado");
  CHECK(screen.find("Abierto con") == std::string::npos);
  task.Leave("alice");
  task.Quit();
}

// Submitting is a deliberate act (issue 11), in Spanish with TERM=linux: a transcript typed
// with Enter and then "y me dijo que ..." and more text with a "q" in it stays a draft with
// its line breaks, and the UI stays open (the old confirm took "y" as yes, sent the
// unfinished text, and "q" then quit). The review screen then sends it only with Tab to
// "Enviar" and Enter, and the server gets the text with its line breaks.
TEST_CASE_METHOD(
    World, "tui: Enter then 'y me dijo que' in a transcript submits nothing; the review sends",
    "[tui][integration]") {
  Claim("transcription");
  int64_t id = 0;
  {
    auto store = mano::storage::Store::Open(runner.data_dir());
    id = store.ListAssignments().at(0).id;
  }
  std::filesystem::create_directories(runner.config_home() + "/mano");
  const auto env = SpanishLinux(runner);
  Ui ui = StartUi(tmux, "ui1", runner, env);
  ui.Wait("mano · Cola");
  ui.Wait("en línea");
  ui.Open("Transcribe the clip");
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
  screen = ui.Press({"C-r"}, "Revisar antes de enviar: Transcribe the clip");
  CHECK(screen.find("mano · Revisión") != std::string::npos);
  CHECK(screen.find("    ella llegó tarde") != std::string::npos);
  CHECK(screen.find("    y me dijo que se quedaba en casa") != std::string::npos);
  CHECK(screen.find("No se encontró ningún problema.") != std::string::npos);
  CHECK(screen.find("[ Volver al formulario ]") != std::string::npos);
  CHECK(screen.find("[ Enviar ]") != std::string::npos);
  CHECK(screen.find("Tab elegir botón") != std::string::npos);
  ui.Type("sí yo");
  ui.Press({"Enter"}, "Ctrl-R enviar…");
  CHECK_FALSE(tmux.PaneDead("ui1"));

  // Back to the queue and out: nothing was queued, nothing reached the server.
  ui.Leave();
  ui.Quit();
  tmux.KillSession("ui1");
  {
    auto store = mano::storage::Store::Open(runner.data_dir());
    CHECK(store.OutboxStats("alice").items == 0);
    CHECK(store.GetAssignment(id)->state == mano::storage::AssignmentState::kInProgress);
    CHECK(store.LatestCheckpoint(id)->content ==
          R"({"text":"ella llegó tarde\ny me dijo que se quedaba en casa\no que quizá sí"})");
  }
  REQUIRE(runner.Run({"sync"}).status == 0);
  CHECK(ExportedAnswers(server).empty());

  // Again, offline (the server down): send with F10 (TERM=linux has it), Tab to "Enviar",
  // Enter; the result waits in the outbox. Opened again it is read only and `r` takes it back
  // to a draft with the same text; then it is sent for good.
  server.Kill();
  Ui ui2 = StartUi(tmux, "ui2", runner, env);
  ui2.Wait("mano · Cola");  // it was left on the queue
  ui2.Open("|o que quizá sí");
  ui2.Submit(kSpanish, "F10");
  ui2.Wait("por enviar 1");
  screen = ui2.Open("r recuperar como borrador");
  CHECK(screen.find("solo lectura") != std::string::npos);
  screen = ui2.Press({"r"}, "Recuperado: vuelve a ser un borrador");
  CHECK(screen.find("|y me dijo que se quedaba en casa") != std::string::npos);
  CHECK(screen.find("solo lectura") == std::string::npos);
  ui2.Type(" y ya");
  ui2.Wait("|o que quizá sí y ya");
  ui2.Submit(kSpanish);
  ui2.Quit();
  server.Start();
  REQUIRE(runner.Run({"sync"}).status == 0);
  CHECK(
      ExportedAnswers(server) ==
      std::map<std::string, std::string>{
          {"transcription",
           R"({"text":"ella llegó tarde\ny me dijo que se quedaba en casa\no que quizá sí y ya"})"}});
}

// After the deadline the review says, before anything is sent, what the task's late policy
// will do: audio_quality refuses late results, so the button says "Send anyway" (es).
TEST_CASE_METHOD(World,
                 "tui: a late result is announced on the review with what its policy will do",
                 "[tui][integration]") {
  Claim("audio_quality");
  server.AdvanceClock(31 * 60 * 1000);  // the lease is 30 minutes
  runner.Run({"sync"});                 // the client learns the server's time
  Ui ui = StartUi(tmux, "late", runner, SpanishLinux(runner));
  ui.Wait("mano · Cola");
  ui.Open("Rate the audio quality");
  std::string screen = ui.Press({"4", "C-r"}, "[ Enviar de todos modos ]");
  CHECK(screen.find("El plazo ha vencido y esta tarea rechaza los resultados") !=
        std::string::npos);
  ui.Keys({"Escape"});  // the review, then the task
  ui.Leave();
  ui.Quit();
  CHECK(ExportedAnswers(server).empty());
}

// Issue 16: a box at an exact pixel position by keys, in Spanish on a Linux console. The
// default box starts at y=18; six Down presses reach y=24 (the old editor stepped 4 px
// there and could not). A typed count, the resize mode in words, a typing mistake in the
// coordinate line (refused with a sentence, Escape closes only that line), then the review,
// sync, and `manod export` holds exactly those integers.
TEST_CASE_METHOD(World,
                 "tui: a box drawn by keys at exact pixels reaches the server as those integers",
                 "[tui][integration][boxes]") {
  Claim("bounding_boxes");
  std::filesystem::create_directories(runner.config_home() + "/mano");
  Ui ui = StartUi(tmux, "ui", runner, SpanishLinux(runner));
  ui.Wait("mano · Cola");
  ui.Open("Draw a box around every car");
  ui.Press({"n"}, "1/1 car x=24 y=18 w=16 h=12  64x48 px");
  ui.Wait("Modo: mover la caja entera · paso 1 px");
  for (int i = 0; i < 6; ++i) ui.Keys({"Down"});
  ui.Wait("1/1 car x=24 y=24 w=16 h=12");
  // A mistake: a box that does not fit, said in one sentence; Escape closes just the line.
  ui.Type("=");
  ui.Wait("Escriba x y w h y luego Enter:");
  ui.Type("70 0 10 10");
  ui.Press({"Enter"}, "Esa caja no cabe en la imagen de 64x48 píxeles");
  ui.Keys({"Escape"});
  ui.WaitGone("Escriba x y w h");
  ui.Wait("1/1 car x=24 y=24 w=16 h=12");
  ui.Type("13");
  ui.Wait("próxima flecha: 13 px");
  ui.Press({"Right"}, "1/1 car x=37 y=24 w=16 h=12");
  ui.Press({"m"}, "Modo: redimensionar, bordes derecho e inferior · paso 1 px");
  ui.Keys({"Left", "Left", "Left", "Down", "Down", "l"});
  // The picture (street.png through chafa) with the box over it, then zoomed with z.
  CompareWithExpected("boxes_picture_es_linux.txt",
                      Section(ui.Wait("1/1 person x=37 y=24 w=13 h=14"), "> Objects", "Modo:"));
  CompareWithExpected("boxes_zoom_es_linux.txt", Section(ui.Press({"z"}, "z volver al formulario"),
                                                         "mano · Tarea", "z volver"));
  ui.Keys({"z"});
  ui.WaitGone("z volver al formulario");
  ui.Submit(kSpanish);
  ui.Quit();

  ManoResult synced = runner.Run({"sync"});
  INFO(synced.out << synced.err);
  REQUIRE(synced.status == 0);

  // The same picture on a 256-colour terminal window: the same symbols, no colour needed.
  auto xterm = SpanishLinux(runner);
  xterm["TERM"] = "xterm-256color";
  Ui ui2 = StartUi(tmux, "xterm", runner, xterm);
  ui2.Wait("mano · Cola");
  CompareWithExpected("boxes_picture_es_xterm.txt",
                      Section(ui2.Open("1/1 person x=37 y=24 w=13 h=14"), "> Objects", "px"));
  ui2.Leave();
  ui2.Quit();

  CHECK(ExportedAnswers(server) ==
        std::map<std::string, std::string>{
            {"bounding_boxes", R"({"boxes":[{"h":14,"l":"person","w":13,"x":37,"y":24}]})"}});
}

TEST_CASE_METHOD(WorldWithFakes,
                 "tui: p plays the clip in the UI with its duration; s, Esc and Ctrl-C stop it",
                 "[tui][integration][audio]") {
  Claim("audio_quality");
  // The default player is the first of pw-play, paplay... on PATH: a fake one that records
  // its arguments and pid and "plays" through a child of its own (a process group to end).
  const std::string& rec = fakes.rec;
  fakes.Write("pw-play", "echo \"$@\" > '" + rec + "/argv'\necho $$ > '" + rec +
                             "/pid'\nsleep 60 &\necho $! > '" + rec + "/child'\nwait\n");
  Ui ui = StartUi(tmux, "ui", runner, fakes.Env(runner));
  ui.Wait("mano · Cola");
  ui.Open("Rate the audio quality");
  // tone.wav: 8000 bytes at 16000 bytes a second.
  ui.Wait("Duración 0:00.5 · p lo reproduce");
  // p, then wait until the fake player's shell and its child both run.
  auto play = [&] {
    std::filesystem::remove(rec + "/pid");
    std::filesystem::remove(rec + "/child");
    ui.Press({"p"}, "Reproduciendo con pw-play");
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
  ui.Press({"s"}, "Detenido.");
  ui.Wait("Duración 0:00.5 · p lo reproduce");
  CHECK(PlayerGone(rec));

  // Leaving the task stops it; so does quitting from the task.
  play();
  ui.Leave();
  CHECK(PlayerGone(rec));
  ui.Open("Duración 0:00.5 · p lo reproduce");
  play();
  ui.Keys({"C-c"});
  REQUIRE(WaitDead(tmux, "ui"));
  CHECK(PlayerGone(rec));
}

TEST_CASE_METHOD(WorldWithFakes,
                 "tui: with no display o shows the link in a text browser, then the UI comes back",
                 "[tui][integration][links]") {
  Claim("relevance");
  // A fake w3m on PATH: it says what it shows, reads a line from the terminal, and records it.
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
  Ui ui = StartUi(tmux, "ui", runner, env);
  ui.Wait("mano · Cola");
  ui.Open("How well does the result answer the query?");
  std::string shown = ui.Press({"o"}, "FAKE W3M https://example.");
  CHECK(shown.find("mano · Tarea") == std::string::npos);  // curses has handed the screen over
  ui.Type("hola");
  ui.Press({"Enter"}, "Enlace abierto con w3m.");
  ui.Wait("How well does the result answer the query?");  // the screen is painted again
  CHECK(ReadLine(rec + "/typed") == "hola");              // the browser had the keyboard
  CHECK(ReadLine(rec + "/argv").rfind("https://example.", 0) == 0);

  // A browser that fails is said, not "opened".
  fake(4);
  ui.Press({"o"}, "FAKE W3M");
  std::string failed =
      ui.Press({"Enter"}, "No se pudo abrir el enlace: w3m no pudo abrirlo (estado de");
  CHECK(failed.find("Enlace abierto") == std::string::npos);
  ui.Leave();
  ui.Quit();
}

TEST_CASE_METHOD(
    World, "tui: a terminal that draws pixels gets the picture as sixel or kitty; linux symbols",
    "[tui][integration][boxes][pixels]") {
  Claim("bounding_boxes");
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
    Ui ui = StartUi(tmux, c.name, runner, env);
    ui.Wait("mano · Cola");
    RecordOutput(tmux, c.name, out);
    ui.Open("Draw a box around every car");
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
      ui.Press({"n"}, "1/1 car x=24 y=18 w=16 h=12");
      ui.Press({"Down"}, "1/1 car x=24 y=19 w=16 h=12");
      CHECK(WaitForBytes(out, "\x1b_Ga=d\x1b\\").find("\x1b_Ga=d\x1b\\") != std::string::npos);
    } else {
      // TERM=linux: symbols as before (the capture), and no pixel sequence at all.
      std::string screen = ui.Wait("1/1 car x=24 y=19 w=16 h=12");
      std::string bytes = WaitForBytes(out, "");  // what was written up to this screen
      CHECK(bytes.find("\x1bP") == std::string::npos);
      CHECK(bytes.find("\x1b_G") == std::string::npos);
      CompareWithExpected("boxes_pixels_es_linux.txt", Section(screen, "> Objects", "px"));
    }
    ui.Leave();
    ui.Quit();
  }
}
