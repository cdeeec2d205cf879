#include "mano/client/ui/media_opener.h"

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "ui_test_support.h"

using namespace mano::client::ui;

TEST_CASE("media: commands are split into words, never given to a shell", "[ui][media]") {
  CHECK(SplitCommand("mpv --no-video") == std::vector<std::string>{"mpv", "--no-video"});
  CHECK(SplitCommand("  'my player'  -x \"a b\"") ==
        std::vector<std::string>{"my player", "-x", "a b"});
  CHECK(SplitCommand("feh; rm -rf ~") == std::vector<std::string>{"feh;", "rm", "-rf", "~"});
  CHECK(SplitCommand("").empty());
}

TEST_CASE("media: player for audio and video, viewer otherwise, xdg-open by default",
          "[ui][media]") {
  mano::client::Config config;
  CHECK(MediaCommand(config, "image/png") == std::vector<std::string>{"xdg-open"});
  config.player = "mpv --really-quiet";
  config.viewer = "feh";
  CHECK(MediaCommand(config, "audio/wav") == std::vector<std::string>{"mpv", "--really-quiet"});
  CHECK(MediaCommand(config, "video/mp4").front() == "mpv");
  CHECK(MediaCommand(config, "image/png") == std::vector<std::string>{"feh"});
}

TEST_CASE("media: the path is one argument even with shell characters", "[ui][media]") {
  test::TempDir dir;
  std::string path = dir.path() + "/clip; touch pwned $(touch pwned2)";
  // `mkdir` stands in for a viewer: it makes a folder named exactly like its argument.
  REQUIRE(OpenDetached({"mkdir"}, path).empty());
  // The viewer runs detached; wait for it (generous, not a pass/fail threshold).
  for (int i = 0; i < 1000 && !std::filesystem::exists(path); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(std::filesystem::is_directory(path));
  CHECK_FALSE(std::filesystem::exists("pwned"));
  CHECK_FALSE(std::filesystem::exists("pwned2"));
}

TEST_CASE("media: a missing opener or one that gives up is said plainly", "[ui][media]") {
  // The exec failure comes back through the close-on-exec pipe (it was reported as opened).
  std::string missing = OpenDetached({"mano-no-such-viewer-xyz"}, "/tmp/x.png");
  CHECK(missing.find("mano-no-such-viewer-xyz is not installed") != std::string::npos);
  // An opener that exits with an error at once (as xdg-open does with no handler).
  std::string gave_up = OpenDetached({"false"}, "/tmp/x.png");
  CHECK(gave_up.find("false could not open it (exit status 1)") != std::string::npos);
  // One that runs, briefly or long, is fine.
  CHECK(OpenDetached({"true"}, "/tmp/x.png").empty());
  CHECK(OpenDetached({"sleep"}, "2").empty());
}

// The errno of a failed exec crosses the report pipe whole (EACCES is two digits), from the
// detached opener and from a program the UI waits for alike.
TEST_CASE("media: an opener that cannot be run says why", "[ui][media]") {
  test::TempDir dir;
  const std::string program = dir.path() + "/not-executable";
  std::ofstream(program) << "#!/bin/sh\nexit 0\n";
  std::filesystem::permissions(program, std::filesystem::perms::owner_read);
  const std::string why = program + " cannot be started: " + std::strerror(EACCES) + ".";
  CHECK(OpenDetached({program}, "/tmp/x.png") == why);
  CHECK(RunInTerminal({program}, "https://e.org") == why);
}

TEST_CASE("media: only web links are handed to the link opener", "[ui][media]") {
  mano::client::Config config;
  CHECK(LinkCommandFor(config, nullptr, true) == std::vector<std::string>{"xdg-open"});
  CHECK(IsWebLink("https://example.org/a?b=c"));
  CHECK(IsWebLink("http://example.org"));
  CHECK_FALSE(IsWebLink("--help"));
  CHECK_FALSE(IsWebLink("file:///etc/passwd"));
  CHECK_FALSE(IsWebLink("javascript:alert(1)"));
}

// Issue 16: a link goes to the configured browser, else $BROWSER, else xdg-open only where
// there is a display; with none of them nothing pretends to have opened it.
TEST_CASE("media: the link opener is browser, then $BROWSER, then xdg-open with a display",
          "[ui][media]") {
  mano::client::Config config;
  CHECK(LinkCommandFor(config, nullptr, true) == std::vector<std::string>{"xdg-open"});
  CHECK(LinkCommandFor(config, nullptr, false).empty());
  CHECK(LinkCommandFor(config, "", false).empty());
  CHECK(LinkCommandFor(config, "firefox:w3m", false) == std::vector<std::string>{"firefox"});
  CHECK(LinkCommandFor(config, "w3m -o confirm_qq=0", true) ==
        std::vector<std::string>{"w3m", "-o", "confirm_qq=0"});
  config.browser = "'my browser' --new-tab";
  CHECK(LinkCommandFor(config, "firefox", true) ==
        std::vector<std::string>{"my browser", "--new-tab"});
}

// Issue 16: with no player set, the first of pw-play, paplay, aplay, ffplay, mpv on PATH.
TEST_CASE("media: the default player is the first one installed", "[ui][media]") {
  test::TempDir a, b;
  auto fake = [](const std::string& dir, const std::string& name) {
    std::string path = dir + "/" + name;
    std::ofstream(path) << "#!/bin/sh\nexit 0\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  };
  CHECK(DefaultPlayer(a.path() + ":" + b.path()).empty());
  fake(b.path(), "mpv");
  CHECK(DefaultPlayer(a.path() + ":" + b.path()).front() == "mpv");
  fake(a.path(), "aplay");
  CHECK(DefaultPlayer(a.path() + ":" + b.path()) == std::vector<std::string>{"aplay", "-q"});
  std::ofstream(b.path() + "/pw-play") << "not executable";
  CHECK(DefaultPlayer(a.path() + ":" + b.path()).front() == "aplay");
  fake(b.path(), "paplay");
  CHECK(DefaultPlayer(":" + b.path() + "::" + a.path()).front() == "paplay");
}

// Issue 16: with no display, a text browser on PATH shows the link in the terminal itself.
TEST_CASE("media: a text browser on PATH is the link opener without a display", "[ui][media]") {
  test::TempDir a;
  mano::client::Config config;
  CHECK(LinkCommandFor(config, nullptr, false, a.path()).empty());
  for (const char* name : {"elinks", "lynx"}) {
    std::string path = a.path() + "/" + name;
    std::ofstream(path) << "#!/bin/sh\nexit 0\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  }
  CHECK(LinkCommandFor(config, nullptr, false, a.path()) == std::vector<std::string>{"lynx"});
  CHECK(LinkCommandFor(config, nullptr, true, a.path()) == std::vector<std::string>{"xdg-open"});
  for (const char* browser : {"w3m", "/usr/bin/lynx", "elinks"}) {
    CAPTURE(browser);
    CHECK(IsTextBrowser(browser));
  }
  for (const char* other : {"firefox", "xdg-open", "w3m-helper"}) {
    CAPTURE(other);
    CHECK_FALSE(IsTextBrowser(other));
  }
}

TEST_CASE("media: a browser run in the terminal is waited for and its failure said",
          "[ui][media]") {
  test::TempDir dir;
  std::string out = dir.path() + "/argv";
  CHECK(RunInTerminal({"sh", "-c", "echo \"$1\" > '" + out + "'", "sh"}, "https://e.org/?a=1 b")
            .empty());
  std::ifstream in(out);  // it has ended when RunInTerminal returns
  std::string line;
  std::getline(in, line);
  CHECK(line == "https://e.org/?a=1 b");
  CHECK(RunInTerminal({"sh", "-c", "exit 2", "sh"}, "https://e.org") ==
        "sh could not open it (exit status 2).");
  CHECK(RunInTerminal({"mano-no-such-browser-xyz"}, "https://e.org") ==
        "mano-no-such-browser-xyz is not installed; set browser in config.toml.");
}
