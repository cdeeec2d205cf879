#include "mano/client/config.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "config_refusal.h"
#include "temp_dir.h"

using mano::client::Config;
using mano::client::ConfigError;
using mano::client::ParseConfig;

namespace {

// The error ParseConfig gives for `text` read as file "c.toml".
ConfigError RefusalOf(const std::string& text) {
  return mano::test::ConfigRefusal([](const std::string& t) { return ParseConfig(t, "c.toml"); },
                                   text);
}

}  // namespace

TEST_CASE("config: every documented key is read", "[config]") {
  Config c = ParseConfig(R"(language = "fr"
viewer = "feh"
player = "mpv --no-video"
keep_claimed = 5
kinds = ["relevance", "transcription"]
budget_daily_mb = 20
budget_monthly_mb = 300
ca_file = "/etc/ca.pem"
allow_insecure_http = true
asset_task_max_mb = 50
asset_folder_max_mb = 500
disk_reserve_mb = 0
)",
                         "c.toml");
  CHECK(c.language == "fr");
  CHECK(c.viewer == "feh");
  CHECK(c.player == "mpv --no-video");
  CHECK(c.keep_claimed == 5);
  CHECK(c.kinds == std::vector<std::string>{"relevance", "transcription"});
  CHECK(c.budget_daily_mb == 20);
  CHECK(c.budget_monthly_mb == 300);
  CHECK(c.ca_file == "/etc/ca.pem");
  CHECK(c.allow_insecure_http);
  CHECK(c.asset_task_max_mb == 50);
  CHECK(c.asset_folder_max_mb == 500);
  CHECK(c.disk_reserve_mb == 0);
  CHECK(c.warnings.empty());
  // Without the keys: the documented defaults.
  const Config none = ParseConfig("", "empty.toml");
  CHECK(none.asset_task_max_mb == 256);
  CHECK(none.asset_folder_max_mb == 2048);
  CHECK(none.disk_reserve_mb == 100);
}

TEST_CASE("config: kinds as a comma-separated string; unknown keys warn", "[config]") {
  Config c = ParseConfig(
      "kinds = \"relevance, audio_quality\"\ncolour = \"red\"\n[ledger]\nlocal_currency = "
      "\"VES\"\n",
      "c.toml");
  CHECK(c.kinds == std::vector<std::string>{"relevance", "audio_quality"});
  REQUIRE(c.warnings.size() == 1);
  CHECK_THAT(c.warnings[0], Catch::Contains("line 2") && Catch::Contains("colour"));
}

TEST_CASE("config: a value of the wrong type names the key and line", "[config]") {
  const ConfigError e = RefusalOf("language = \"es\"\nkeep_claimed = \"five\"\n");
  CHECK(e.line() == 2);
  CHECK_THAT(e.what(), Catch::Contains("c.toml, line 2") && Catch::Contains("keep_claimed"));
  CHECK_THROWS_AS(ParseConfig("allow_insecure_http = 1\n", "c"), ConfigError);
  CHECK_THROWS_AS(ParseConfig("keep_claimed = -1\n", "c"), ConfigError);
  CHECK_THROWS_AS(ParseConfig("kinds = [1]\n", "c"), ConfigError);
}

TEST_CASE("config: file location follows XDG_CONFIG_HOME; a missing file is empty", "[config]") {
  mano::test::TempDir tmp("mano-config");
  const std::string& dir = tmp.path();
  ::setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
  CHECK(mano::client::DefaultConfigPath() == dir + "/mano/config.toml");
  Config empty = mano::client::LoadConfig();
  CHECK(empty.path.empty());
  CHECK(empty.keep_claimed == 0);
  std::string sub = dir + "/mano";
  REQUIRE(::mkdir(sub.c_str(), 0700) == 0);
  std::ofstream(sub + "/config.toml") << "keep_claimed = 3\n";
  Config c = mano::client::LoadConfig();
  CHECK(c.keep_claimed == 3);
  CHECK(c.path == dir + "/mano/config.toml");
  ::unsetenv("XDG_CONFIG_HOME");
}

TEST_CASE("config: [ledger] idle_minutes sets the idle limit, 10 by default, 1 or more",
          "[config]") {
  CHECK(ParseConfig("", "c").idle_minutes == 10);
  auto config = ParseConfig("[ledger]\nidle_minutes = 25\n", "c");
  CHECK(config.idle_minutes == 25);
  CHECK(config.warnings.empty());
  CHECK_THROWS_AS(ParseConfig("[ledger]\nidle_minutes = 0\n", "c"), ConfigError);
  CHECK_THROWS_AS(ParseConfig("[ledger]\nidle_minutes = \"ten\"\n", "c"), ConfigError);
}

// Issue 16: how pictures are drawn, auto by default; a mode that is not one of the four is
// refused with the line.
TEST_CASE("config: pictures is auto, symbols, sixel or kitty", "[config]") {
  CHECK(ParseConfig("", "c").pictures == "auto");
  CHECK(ParseConfig("pictures = \"kitty\"\n", "c").pictures == "kitty");
  CHECK(ParseConfig("pictures = \"symbols\"\n", "c").pictures == "symbols");
  const ConfigError e = RefusalOf("\npictures = \"iterm\"\n");
  CHECK(e.line() == 2);
  CHECK_THAT(e.what(), Catch::Contains("pictures") && Catch::Contains("\"sixel\""));
}
