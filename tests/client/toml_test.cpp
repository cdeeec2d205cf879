#include "mano/client/toml.h"

#include <catch2/catch.hpp>

#include "config_refusal.h"

using mano::client::ConfigError;
using mano::client::ParseToml;

TEST_CASE("toml: strings, numbers, booleans, arrays and sections", "[toml]") {
  auto doc = ParseToml(R"(# a comment
language = "es"   # trailing comment
viewer = 'feh --scale'
keep_claimed = 1_000
ratio = 2.5
neg = -3
allow = true
kinds = ["relevance", "classification",]
empty = []

[net]
ca_file = "/etc/ssl/ca \"x\" \u00e9"
)",
                       "cfg");
  CHECK(std::get<std::string>(doc.at("language").value.v) == "es");
  CHECK(doc.at("language").line == 2);
  CHECK(std::get<std::string>(doc.at("viewer").value.v) == "feh --scale");
  CHECK(std::get<int64_t>(doc.at("keep_claimed").value.v) == 1000);
  CHECK(std::get<double>(doc.at("ratio").value.v) == 2.5);
  CHECK(std::get<int64_t>(doc.at("neg").value.v) == -3);
  CHECK(std::get<bool>(doc.at("allow").value.v));
  const auto& kinds = std::get<mano::client::TomlArray>(doc.at("kinds").value.v);
  REQUIRE(kinds.size() == 2);
  CHECK(std::get<std::string>(kinds[1].v) == "classification");
  CHECK(std::get<mano::client::TomlArray>(doc.at("empty").value.v).empty());
  CHECK(std::get<std::string>(doc.at("net.ca_file").value.v) == "/etc/ssl/ca \"x\" \xc3\xa9");
}

TEST_CASE("toml: CRLF line ends and an empty file", "[toml]") {
  CHECK(ParseToml("", "cfg").empty());
  auto doc = ParseToml("a = 1\r\nb = \"x\"\r\n", "cfg");
  CHECK(std::get<int64_t>(doc.at("a").value.v) == 1);
  CHECK(std::get<std::string>(doc.at("b").value.v) == "x");
}

namespace {
// The error for `text`, which must be refused.
ConfigError ErrorFor(const std::string& text) {
  return mano::test::ConfigRefusal(
      [](const std::string& t) { return ParseToml(t, "/home/w/.config/mano/config.toml"); }, text);
}
}  // namespace

TEST_CASE("toml: each bad line is refused with its file and line number", "[toml]") {
  struct Case {
    const char* text;
    int line;
    const char* words;
  };
  const Case cases[] = {
      {"a = 1\nb 2\n", 2, "not valid TOML"},
      {"a = \n", 1, "not valid TOML"},
      {"\n\na = \"open\n", 3, "not valid TOML"},
      {"a = yes\n", 1, "not valid TOML"},
      {"a = 1 2\n", 1, "not valid TOML"},
      {"[sec\n", 1, "not valid TOML"},
      {"a = 1\na = 2\n", 2, "not valid TOML"},
      {"a = [1, 2\n", 1, "not valid TOML"},
      {"a = \"\\q\"\n", 1, "not valid TOML"},
      {"a = 12abc\n", 1, "not valid TOML"},
      {"= 3\n", 1, "not valid TOML"},
      // What the old hand-written subset accepted and TOML does not: a leading zero.
      {"keep_claimed = 01\n", 1, "not valid TOML"},
      {"x = 1\nwhen = 1979-05-27\n", 2, "dates and times"},
      {"\n[[servers]]\nname = \"a\"\n", 2, "tables inside arrays"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    ConfigError e = ErrorFor(c.text);
    CHECK(e.line() == c.line);
    std::string what = e.what();
    INFO(what);
    CHECK_THAT(what, Catch::Contains("/home/w/.config/mano/config.toml, line " +
                                     std::to_string(c.line) + ": "));
    CHECK_THAT(what, Catch::Contains(c.words));
  }
}

TEST_CASE("toml: what the old subset refused and TOML allows", "[toml]") {
  // Multi-line arrays, inline tables, dotted keys, multi-line strings.
  auto doc = ParseToml(R"(kinds = [
  "relevance",   # the first
  "classification",
]
ledger = { local_currency = "VES", rate.USD = 36.5 }
net.ca_file = """
/etc/ssl/a.pem"""
)",
                       "cfg");
  const auto& kinds = std::get<mano::client::TomlArray>(doc.at("kinds").value.v);
  REQUIRE(kinds.size() == 2);
  CHECK(std::get<std::string>(kinds[0].v) == "relevance");
  CHECK(doc.at("kinds").line == 1);
  CHECK(std::get<std::string>(doc.at("ledger.local_currency").value.v) == "VES");
  CHECK(std::get<double>(doc.at("ledger.rate.USD").value.v) == 36.5);
  CHECK(doc.at("ledger.rate.USD").line == 5);
  CHECK(std::get<std::string>(doc.at("net.ca_file").value.v) == "/etc/ssl/a.pem");
}
