// "Saved" means saved, two windows never overwrite each other, and quitting never waits
// for the link (issue 11): a real manod and the real `mano`, the UI in a tmux pane at 80x24
// with TERM=linux in Spanish. The full disk is real: a small tmpfs mounted over the data
// folder (the test is skipped when it cannot mount, i.e. not root) and filled to the last
// byte. The stalled link is the real flakynet in a blackout.
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../client/mano_runner.h"
#include "flakynet_process.h"
#include "mano/storage/store.h"
#include "manod_process.h"
#include "tmux_session.h"

using namespace mano::test;

namespace {

// A tmpfs of `bytes` over `dir` for the guard's life.
class SmallDisk {
 public:
  SmallDisk(const std::string& dir, int64_t bytes) : dir_(dir) {
    std::filesystem::create_directories(dir);
    std::string opts = "size=" + std::to_string(bytes) + ",mode=0700";
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, opts.c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  // Writes a filler file until the disk refuses another byte.
  void Fill() const {
    std::FILE* f = std::fopen((dir_ + "/filler").c_str(), "wb");
    REQUIRE(f);
    std::setvbuf(f, nullptr, _IONBF, 0);
    std::string chunk(65536, 'x');
    for (size_t size = chunk.size(); size > 0; size /= 2) {
      while (std::fwrite(chunk.data(), 1, size, f) == size) {
      }
      std::clearerr(f);
    }
    std::fclose(f);
  }
  void Free() const { std::filesystem::remove(dir_ + "/filler"); }

 private:
  std::string dir_;
  bool mounted_ = false;
};

// One UI in a tmux pane.
struct Pane {
  TmuxServer& tmux;
  std::string name;

  std::string Wait(const std::string& text, int timeout_s = 30) {
    std::string screen = tmux.WaitFor(name, text, timeout_s);
    INFO("waiting for \"" << text << "\" on:\n" << screen);
    REQUIRE(screen.find(text) != std::string::npos);
    return screen;
  }
  void Keys(const std::vector<std::string>& keys) { tmux.Keys(name, keys); }
  void Type(const std::string& text) { tmux.Type(name, text); }
  // From a task: back to the queue, then q; the UI must end within 10 s.
  void QuitFromTask() {
    Keys({"Escape"});
    Wait("Cola");
    Keys({"q"});
    REQUIRE(Dead(10'000));
  }
  bool Dead(int timeout_ms) {
    for (int waited = 0; waited < timeout_ms && !tmux.PaneDead(name); waited += 20) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return tmux.PaneDead(name);
  }
};

struct World {
  ManodProcess server;
  ManoRunner runner;
  TmuxServer tmux{runner.dir()};

  std::map<std::string, std::string> Env() const {
    return {{"LANG", "es_ES.UTF-8"},
            {"TERM", "linux"},
            {"MANO_HOME", runner.data_dir()},
            {"XDG_CONFIG_HOME", runner.config_home()}};
  }
  // Logs in (through `url`, the server's by default) and claims one relevance task.
  int64_t LoginAndClaim(const std::string& url = "") {
    runner.LogIn(url.empty() ? server.url() : url, "alice", server.Token("alice"));
    ManoResult claim = runner.Run({"claim", "--kind", "relevance"});
    INFO(claim.err);
    REQUIRE(claim.status == 0);
    auto store = mano::storage::Store::Open(runner.data_dir());
    auto all = store.ListAssignments();
    REQUIRE(all.size() == 1);
    return all.front().id;
  }
  Pane Start(const std::string& name) {
    tmux.Start(name, {ManoRunner::Binary(), "--data-dir", runner.data_dir()}, Env());
    return Pane{tmux, name};
  }
  std::string LatestDraft(int64_t id) {
    auto store = mano::storage::Store::Open(runner.data_dir());
    auto latest = store.LatestCheckpoint(id);
    return latest ? latest->content : "";
  }
};

// World with a 4 MiB tmpfs over mano's data folder and one relevance task (`id`) claimed. Where
// the tmpfs cannot be mounted (not root) it says the test is skipped and mounted() is false.
struct SmallDiskWorld : World {
  SmallDiskWorld() {
    if (disk.mounted())
      id = LoginAndClaim();
    else
      WARN("skipped: cannot mount a tmpfs (needs root)");
  }
  bool mounted() const { return disk.mounted(); }

  SmallDisk disk{runner.data_dir(), 4 << 20};
  int64_t id = 0;
};

constexpr const char* kQuestion = "How well does the result answer the query?";
constexpr const char* kBanner = "NO GUARDADO: disco lleno";
constexpr const char* kSaved = "guardado hace";

}  // namespace

TEST_CASE_METHOD(SmallDiskWorld,
                 "tui: a full disk never shows saved; the banner stays until the retry lands",
                 "[tui][integration][disk_full]") {
  if (!mounted()) return;  // skipped
  Pane ui = Start("full");
  ui.Wait("en línea");
  ui.Keys({"Enter"});
  ui.Wait(kQuestion);
  ui.Keys({"3"});
  ui.Wait(kSaved);
  ui.Keys({"Tab"});

  disk.Fill();
  ui.Type("texto que no cabe");
  std::string screen = ui.Wait(kBanner);
  CHECK(screen.find(kSaved) == std::string::npos);
  CHECK(screen.find("NO GUARDADO") != std::string::npos);  // the status line too
  // Through a failed retry (every 3 s), it never claims to have saved.
  for (int i = 0; i < 40; ++i) {
    screen = tmux.Capture("full");
    INFO(screen);
    REQUIRE(screen.find(kSaved) == std::string::npos);
    REQUIRE(screen.find(kBanner) != std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Quitting asks first; any other key stays.
  ui.Keys({"C-c"});
  ui.Wait("NO ESTÁN GUARDADOS");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE_FALSE(tmux.PaneDead("full"));
  ui.Keys({"Right"});

  disk.Free();
  ui.Wait(kSaved, 15);  // the retry lands without another key
  CHECK(tmux.Capture("full").find(kBanner) == std::string::npos);
  CHECK(LatestDraft(id).find("texto que no cabe") != std::string::npos);
  ui.QuitFromTask();
}

TEST_CASE_METHOD(SmallDiskWorld,
                 "tui: a disk full at start opens read-only under the banner, until there is space",
                 "[tui][integration][disk_full]") {
  if (!mounted()) return;  // skipped
  disk.Fill();
  Pane ui = Start("ro");
  std::string screen = ui.Wait("NO GUARDADO: disco lleno — libere espacio; solo lectura");
  CHECK(screen.find("Cola") != std::string::npos);
  CHECK(screen.find("relevancia") != std::string::npos);
  ui.Keys({"Enter"});
  screen = ui.Wait(kQuestion);
  CHECK(screen.find("Tarea · solo lectura") != std::string::npos);
  ui.Keys({"3"});
  screen = ui.Wait("Solo lectura: el disco está lleno.");
  INFO(screen);
  CHECK(screen.find(kSaved) == std::string::npos);
  CHECK(screen.find("[3 Good]") == std::string::npos);
  CHECK(screen.find("No se pud") == std::string::npos);  // no error besides the banner
  // Space is back: within a few seconds the session writes again, the task too.
  disk.Free();
  ui.Wait("Hay espacio de nuevo", 20);
  CHECK(tmux.Capture("ro").find(kBanner) == std::string::npos);
  ui.Keys({"3"});
  ui.Wait(kSaved);
  CHECK(LatestDraft(id) == R"({"score":3})");
  ui.QuitFromTask();
}

TEST_CASE("tui: mano answer beside an open UI is never lost; a second UI opens read-only",
          "[tui][integration][two_windows]") {
  World w;
  int64_t id = w.LoginAndClaim();
  Pane ui = w.Start("one");
  ui.Wait("en línea");
  ui.Keys({"Enter"});
  ui.Wait(kQuestion);
  ui.Keys({"3"});
  ui.Wait(kSaved);
  REQUIRE(w.LatestDraft(id) == R"({"score":3})");

  // The second terminal.
  ManoResult answer =
      w.runner.Run({"answer", std::to_string(id), "--set", "comment=desde la terminal"});
  INFO(answer.err);
  REQUIRE(answer.status == 0);
  REQUIRE(w.LatestDraft(id) == R"({"comment":"desde la terminal","score":3})");

  // The UI's next autosave lands on an older version: the newer one is reloaded.
  ui.Keys({"4"});
  std::string screen = ui.Wait("Cambiado en otra ventana — recargado");
  ui.Wait("Comment (optional): desde la terminal");
  CHECK(w.LatestDraft(id) == R"({"comment":"desde la terminal","score":3})");
  {
    auto store = mano::storage::Store::Open(w.runner.data_dir());
    bool kept = false;
    for (const auto& c : store.CheckpointHistory(id)) kept |= c.content == R"({"score":4})";
    CHECK(kept);  // the UI's edit, one undo away
  }
  // Typing after the reload lands on top of the CLI's edit.
  ui.Keys({"2"});
  for (int i = 0; i < 100 && w.LatestDraft(id).find("\"score\":2") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(w.LatestDraft(id) == R"({"comment":"desde la terminal","score":2})");

  // A second UI resumes the same task: told, read-only.
  Pane two = w.Start("two");
  screen = two.Wait("abierta en otra ventana");
  CHECK(screen.find("Tarea · solo lectura") != std::string::npos);
  two.Keys({"5"});
  two.Wait("abierta en otra ventana");
  CHECK(w.LatestDraft(id) == R"({"comment":"desde la terminal","score":2})");
  two.QuitFromTask();
  ui.QuitFromTask();
}

TEST_CASE("tui: q during a stalled sync returns at once and echoes nothing",
          "[tui][integration][quit]") {
  World w;
  auto net = FlakynetProcess::ToPort(w.server.port());
  w.LoginAndClaim("http://" + net.address());
  // From now on nothing crosses the link: the UI's first pass hangs in its first request.
  uint64_t before = net.Stats().connections;
  REQUIRE(net.Control("blackout 600000") == "ok");
  Pane ui = w.Start("stall");
  ui.Wait("Cola");
  net.WaitForStats([&](const auto& s) { return s.connections > before; });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto start = std::chrono::steady_clock::now();
  // Keys typed while quitting are neither echoed over the screen nor lost in a hang. They go
  // in the same write as the q, so they reach mano while it quits (the quit itself takes a
  // few ms now: keys typed after it has ended are the shell's, and the tty echoes them).
  ui.Keys({"q", "z", "z", "z"});
  REQUIRE(ui.Dead(10'000));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  WARN("quit during a stalled sync took " << ms << " ms (includes tmux polling)");
  CHECK(ms < 2000);  // generous: the promise is 0.5 s; before the fix it waited for the link
  CHECK(w.tmux.Capture("stall").find("zzz") == std::string::npos);
}

TEST_CASE("tui: after a SIGKILL the next start repaints all and leaves the terminal sane",
          "[tui][integration][crash]") {
  World w;
  w.LoginAndClaim();
  // A shell runs the UI twice, then records the terminal's mode.
  std::string mano = ManoRunner::Binary() + " --data-dir " + w.runner.data_dir();
  std::string mode = w.runner.dir() + "/stty.txt";
  w.tmux.Start("crash", {"sh", "-c", mano + "; " + mano + "; stty -a > " + mode + "; sleep 60"},
               w.Env());
  Pane ui{w.tmux, "crash"};
  ui.Wait("en línea");
  ui.Keys({"Enter"});
  ui.Wait(kQuestion);
  ui.Keys({"3"});
  ui.Wait(kSaved);
  ui.Keys({"?"});  // the help screen over the task: what the next start must paint over
  ui.Wait("mano · Ayuda");
  // The first UI dies without a word: the terminal is left raw, silent, with its screen.
  pid_t shell = w.tmux.PanePid("crash");
  std::ifstream children("/proc/" + std::to_string(shell) + "/task/" + std::to_string(shell) +
                         "/children");
  pid_t first = 0;
  children >> first;
  REQUIRE(first > 0);
  REQUIRE(::kill(first, SIGKILL) == 0);
  // The second one comes back on the task, the whole screen drawn anew.
  std::string screen;
  for (int i = 0; i < 400; ++i) {
    screen = w.tmux.Capture("crash");
    if (screen.rfind(" mano · Tarea", 0) == 0 && screen.find("[3 Good]") != std::string::npos &&
        screen.find("alice: ") != std::string::npos)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  INFO(screen);
  CHECK(screen.rfind(" mano · Tarea", 0) == 0);
  CHECK(screen.find("Ayuda") == std::string::npos);
  ui.Keys({"Escape"});
  ui.Wait("Cola");
  ui.Keys({"q"});
  for (int i = 0; i < 200 && !std::filesystem::exists(mode); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::ifstream in(mode);
  std::string stty((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  INFO(stty);
  CHECK(stty.find("-icanon") == std::string::npos);
  CHECK(stty.find("-echo ") == std::string::npos);
  CHECK(stty.find(" icanon") != std::string::npos);
}
