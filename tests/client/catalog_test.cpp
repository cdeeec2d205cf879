// The translation catalogs in po/ (command line) and client/src/ui/po/ (terminal UI):
// complete (every message translated) and safe (each translation carries exactly the
// placeholders of its message, so Format never drops or invents a value).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

namespace {

std::string Unquote(const std::string& line) {
  auto first = line.find('"'), last = line.rfind('"');
  return first == std::string::npos || last <= first ? ""
                                                     : line.substr(first + 1, last - first - 1);
}

// msgid -> its translations of a .po file (continuation lines joined; the header entry
// skipped): one string, or every msgstr[N] of a plural entry.
std::map<std::string, std::vector<std::string>> ReadPo(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::map<std::string, std::vector<std::string>> entries;
  std::string id;
  std::vector<std::string> forms;
  std::string* current = nullptr;
  auto flush = [&] {
    if (!id.empty()) entries[id] = forms;
    id.clear();
    forms.clear();
    current = nullptr;
  };
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("msgid ", 0) == 0) {
      flush();
      id = Unquote(line);
      current = &id;
    } else if (line.rfind("msgid_plural ", 0) == 0) {
      current = nullptr;
    } else if (line.rfind("msgstr", 0) == 0) {
      forms.push_back(Unquote(line));
      current = &forms.back();
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

// Every catalog of `po_dir` has the messages of its Spanish one (at least `min_size`), each
// translated, with the placeholders of its msgid.
void CheckCatalogs(const std::string& po_dir, size_t min_size) {
  auto es = ReadPo(po_dir + "/es.po");
  REQUIRE(es.size() > min_size);
  for (const char* lang : {"es", "fr", "ar"}) {
    auto catalog = ReadPo(po_dir + "/" + lang + ".po");
    CHECK(catalog.size() == es.size());
    for (const auto& [id, forms] : catalog) {
      INFO(po_dir << "/" << lang << ".po: " << id);
      CHECK(es.count(id) == 1);
      REQUIRE_FALSE(forms.empty());
      for (const auto& str : forms) {
        CHECK_FALSE(str.empty());
        CHECK(Placeholders(str) == Placeholders(id));
      }
    }
  }
}

std::string SourceDir() {
  const char* source = std::getenv("MANO_SOURCE_DIR");
  REQUIRE(source);
  return source;
}

}  // namespace

TEST_CASE("catalogs: es, fr and ar translate every message with the same placeholders", "[i18n]") {
  CheckCatalogs(SourceDir() + "/po", 100);
}

TEST_CASE("catalogs: the UI's es, fr and ar translate every message alike", "[i18n][ui]") {
  CheckCatalogs(SourceDir() + "/client/src/ui/po", 50);
}
