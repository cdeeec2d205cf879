// The translation catalogs in po/: complete (every message translated) and safe (each
// translation carries exactly the placeholders of its message, so Format never drops or
// invents a value).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace {

std::string Unquote(const std::string& line) {
  auto first = line.find('"'), last = line.rfind('"');
  return first == std::string::npos || last <= first ? ""
                                                     : line.substr(first + 1, last - first - 1);
}

// msgid -> msgstr of a .po file (continuation lines joined; the header entry skipped).
std::map<std::string, std::string> ReadPo(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::map<std::string, std::string> entries;
  std::string id, str, *current = nullptr;
  auto flush = [&] {
    if (!id.empty()) entries[id] = str;
    id.clear();
    str.clear();
  };
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("msgid ", 0) == 0) {
      flush();
      id = Unquote(line);
      current = &id;
    } else if (line.rfind("msgstr ", 0) == 0) {
      str = Unquote(line);
      current = &str;
    } else if (!line.empty() && line[0] == '"' && current) {
      *current += Unquote(line);
    }
  }
  flush();
  return entries;
}

std::multiset<std::string> Placeholders(const std::string& s) {
  static const std::regex kPlaceholder(R"(\{[0-9]*\})");
  std::multiset<std::string> out;
  for (std::sregex_iterator it(s.begin(), s.end(), kPlaceholder), end; it != end; ++it)
    out.insert(it->str());
  return out;
}

}  // namespace

TEST_CASE("catalogs: es, fr and ar translate every message with the same placeholders", "[i18n]") {
  const char* source = std::getenv("MANO_SOURCE_DIR");
  REQUIRE(source);
  auto es = ReadPo(std::string(source) + "/po/es.po");
  REQUIRE(es.size() > 100);
  for (const char* lang : {"es", "fr", "ar"}) {
    auto catalog = ReadPo(std::string(source) + "/po/" + lang + ".po");
    CHECK(catalog.size() == es.size());
    for (const auto& [id, str] : catalog) {
      INFO(lang << ": " << id);
      CHECK_FALSE(str.empty());
      CHECK(Placeholders(str) == Placeholders(id));
    }
  }
}
