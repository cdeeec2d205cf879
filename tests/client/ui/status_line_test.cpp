#include "mano/client/ui/status_line.h"

#include <catch2/catch.hpp>

#include "built_language.h"
#include "mano/client/ui/ui_text.h"
#include "mano/client/utf8.h"
#include "ui_test_support.h"

using namespace mano::client::ui;
using mano::client::DisplayWidth;
using mano::client::WrapText;

TEST_CASE("status: sizes and ages", "[ui][status]") {
  CHECK(FormatBytes(0) == "0 B");
  CHECK(FormatBytes(812) == "812 B");
  CHECK(FormatBytes(1229) == "1.2 KB");
  CHECK(FormatBytes(3565158) == "3.4 MB");
  CHECK(FormatAge(300) == "0.3 s");
  CHECK(FormatAge(7'400) == "7 s");
  CHECK(FormatAge(12'400) == "10 s");
  CHECK(FormatAge(5 * 60'000 + 1) == "5 min");
  CHECK(FormatAge(7'200'000) == "2 h");
}

TEST_CASE("status: one account online, another offline, exactly the width", "[ui][status]") {
  test::UseUtf8Locale();
  AccountLine alice{"alice", true, true, 0, 1'790'000'000'000, 2, 1229};
  AccountLine bob{"bob", false, true, 1'790'000'000'000, 1'790'000'000'000, 0, 0};
  std::string line = BuildStatusLine({alice}, 300, false, 80);
  CHECK(DisplayWidth(line) == 80);
  CHECK(line.find("alice: online") != std::string::npos);
  CHECK(line.find("outbox 2 (1.2 KB)") != std::string::npos);
  CHECK(line.find("saved 0.3 s ago") != std::string::npos);
  CHECK(line.find("contact ") != std::string::npos);
  line = BuildStatusLine({alice, bob}, std::nullopt, true, 80);
  CHECK(DisplayWidth(line) == 80);
  CHECK(line.find("bob: offline") != std::string::npos);
  CHECK(line.find("syncing") != std::string::npos);
  CHECK(DisplayWidth(BuildStatusLine({alice, bob, alice, bob}, 999, true, 40)) == 40);
}

TEST_CASE("status: the saved-age wording changes each second, then each minute", "[ui][status]") {
  CHECK_FALSE(StatusLineNextChangeMs(std::nullopt));
  CHECK(*StatusLineNextChangeMs(300) == 700);
  CHECK(*StatusLineNextChangeMs(9'500) == 500);
  CHECK(*StatusLineNextChangeMs(12'000) == 8'000);
  CHECK(*StatusLineNextChangeMs(90'000) == 30'000);
}

TEST_CASE("status: a refused token is its own state with the login that fixes it, not offline",
          "[ui][status]") {
  test::UseUtf8Locale();
  AccountLine alice{"alice", false, true, 1'790'000'000'000, 1'790'000'000'000, 0, 0};
  alice.token_refused = true;
  alice.server_url = "http://127.0.0.1:8787";
  std::string line = BuildStatusLine({alice}, std::nullopt, false, 160);
  INFO(line);
  CHECK(DisplayWidth(line) == 160);
  CHECK(line.find("alice: token refused: mano login --server http://127.0.0.1:8787 --name "
                  "alice") != std::string::npos);
  CHECK(line.find("offline") == std::string::npos);
  // At 80 columns the short form still names the fix.
  line = BuildStatusLine({alice}, std::nullopt, false, 80);
  CHECK(DisplayWidth(line) == 80);
  CHECK(line.find("alice: token refused: mano login") != std::string::npos);
  CHECK(line.find("offline") == std::string::npos);
}

TEST_CASE("status: the last sync pass's problem in Spanish, cleaned and fitted to 80 columns",
          "[ui][status][i18n]") {
  test::UseUtf8Locale();
  mano::test::BuiltLanguage spanish_words("es");
  InitUiText("es", spanish_words.locale_dir());
  using mano::sync::ReportCode;
  using mano::sync::ReportNote;
  // A server's reason with an escape sequence and a newline in it, then one far too long.
  std::string refused = SyncProblemMessage(
      "alice",
      ReportNote::Of(ReportCode::kResultRefused, {"k1", "late_refused", "tarde\x1b[2J\nya"}), 80);
  std::string long_one = SyncProblemMessage(
      "alice", ReportNote::Of(ReportCode::kResultRefused, {"k1", "invalid", std::string(400, 'x')}),
      80);
  mano::sync::SyncError offline{mano::sync::SyncErrorKind::kOffline, "connect refused"};
  std::string offline_text = SyncProblemMessage("alice", ReportNote::FromError(offline), 80);
  mano::sync::SyncError http{mano::sync::SyncErrorKind::kHttp, "boom", "", 503};
  std::string http_text = SyncProblemMessage("alice", ReportNote::FromError(http), 80);
  spanish_words.Restore();
  InitUiText("");
  INFO(refused << "\n" << long_one << "\n" << http_text);
  CHECK(refused.find("Sincronización de alice: El servidor rechazó k1 (late_refused): tarde") == 0);
  CHECK(refused.find('\x1b') == std::string::npos);
  CHECK(refused.find('\n') == std::string::npos);
  CHECK(http_text.find("Sincronización de alice: ") == 0);
  CHECK(http_text.find("503") != std::string::npos);
  // Offline is already in the status line: no message for it.
  CHECK(offline_text.empty());
  // At most three rows of 78 columns (the message line's room at 80 columns).
  auto rows = WrapText(long_one, 78);
  CHECK(rows.size() <= 3);
  for (const auto& row : rows) CHECK(DisplayWidth(row) <= 78);
  CHECK(long_one.find("…") != std::string::npos);
}
