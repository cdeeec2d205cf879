#include "mano/client/toml.h"

#include <catch2/catch.hpp>

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
  try {
    ParseToml(text, "/home/w/.config/mano/config.toml");
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("accepted: " << text);
  return ConfigError("", 0);
}
}  // namespace

TEST_CASE("toml: each bad line is refused with its file and line number", "[toml]") {
  struct Case {
    const char* text;
    int line;
    const char* words;
  };
  const Case cases[] = {
      {"a = 1\nb 2\n", 2, "expected '=' after the key"},
      {"a = \n", 1, "value is missing"},
      {"\n\na = \"open\n", 3, "not closed"},
      {"a = yes\n", 1, "a value must be"},
      {"a = 1 2\n", 1, "unexpected text after the value"},
      {"[sec\n", 1, "expected ']'"},
      {"a = 1\na = 2\n", 2, "defined twice"},
      {"a = [1, [2]]\n", 1, "nested arrays"},
      {"a = [1, 2\n", 1, "expected ',' or ']'"},
      {"a = \"\\q\"\n", 1, "unknown escape"},
      {"a = 12abc\n", 1, "not a valid number"},
      {"= 3\n", 1, "expected a key"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    ConfigError e = ErrorFor(c.text);
    CHECK(e.line() == c.line);
    std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("/home/w/.config/mano/config.toml, line " +
                                     std::to_string(c.line) + ": "));
    CHECK_THAT(what, Catch::Contains(c.words));
  }
}
