#include "mano/client/mo_catalog.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>

using mano::client::MoCatalog;

namespace {
// Builds a little-endian .mo file from sorted (msgid, msgstr) pairs, as msgfmt would.
std::string BuildMo(const std::vector<std::pair<std::string, std::string>>& entries) {
  auto put = [](std::string& s, size_t at, uint32_t v) { std::memcpy(&s[at], &v, 4); };
  uint32_t n = static_cast<uint32_t>(entries.size());
  uint32_t orig = 28, trans = 28 + 8 * n, data = 28 + 16 * n;
  std::string out(data, '\0');
  put(out, 0, 0x950412de);
  put(out, 8, n);
  put(out, 12, orig);
  put(out, 16, trans);
  for (uint32_t i = 0; i < n; ++i) {
    put(out, orig + 8 * i, static_cast<uint32_t>(entries[i].first.size()));
    put(out, orig + 8 * i + 4, static_cast<uint32_t>(out.size()));
    out += entries[i].first + '\0';
  }
  for (uint32_t i = 0; i < n; ++i) {
    put(out, trans + 8 * i, static_cast<uint32_t>(entries[i].second.size()));
    put(out, trans + 8 * i + 4, static_cast<uint32_t>(out.size()));
    out += entries[i].second + '\0';
  }
  return out;
}
}  // namespace

TEST_CASE("mo catalog: reads translations, skips the header, plural first form", "[i18n]") {
  std::string plural_id = std::string("one file") + '\0' + "{0} files";
  std::string plural_tr = std::string("un fichier") + '\0' + "{0} fichiers";
  auto mo = MoCatalog::Parse(BuildMo({{"", "Content-Type: text/plain; charset=UTF-8\n"},
                                      {"Hello", "Bonjour"},
                                      {plural_id, plural_tr}}));
  REQUIRE(mo);
  CHECK(mo->size() == 2);
  CHECK(std::string(mo->Lookup("Hello")) == "Bonjour");
  CHECK(std::string(mo->Lookup("one file")) == "un fichier");
  CHECK(mo->Lookup("Missing") == nullptr);
}

TEST_CASE("mo catalog: refuses garbage and truncated files", "[i18n]") {
  CHECK_FALSE(MoCatalog::Parse("not a catalog at all, no magic here"));
  std::string good = BuildMo({{"a", "b"}});
  CHECK_FALSE(MoCatalog::Parse(good.substr(0, good.size() - 4)));
  CHECK_FALSE(MoCatalog::Load("/nonexistent/mano.mo"));
}

TEST_CASE("mo catalog: plural forms follow the catalog's Plural-Forms rule", "[i18n]") {
  const std::string arabic_rule =
      "Content-Type: text/plain; charset=UTF-8\n"
      "Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
      "n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\n";
  std::string id = std::string("{0} item") + '\0' + "{0} items";
  std::string forms;
  for (int i = 0; i < 6; ++i) forms += (i ? std::string(1, '\0') : "") + "form" + std::to_string(i);
  auto ar = MoCatalog::Parse(BuildMo({{"", arabic_rule}, {id, forms}}));
  REQUIRE(ar);
  const std::pair<unsigned long, const char*> cases[] = {
      {0, "form0"},  {1, "form1"},   {2, "form2"},   {3, "form3"},   {10, "form3"}, {11, "form4"},
      {99, "form4"}, {100, "form5"}, {102, "form5"}, {103, "form3"}, {111, "form4"}};
  for (const auto& [n, want] : cases) {
    INFO(n);
    REQUIRE(ar->LookupPlural("{0} item", n));
    CHECK(std::string(ar->LookupPlural("{0} item", n)) == want);
  }
  CHECK(std::string(ar->Lookup("{0} item")) == "form0");

  auto es = MoCatalog::Parse(BuildMo({{"", "Plural-Forms: nplurals=2; plural=(n != 1);\n"},
                                      {id, std::string("{0} elemento") + '\0' + "{0} elementos"}}));
  REQUIRE(es);
  CHECK(std::string(es->LookupPlural("{0} item", 1)) == "{0} elemento");
  CHECK(std::string(es->LookupPlural("{0} item", 0)) == "{0} elementos");
  CHECK(std::string(es->LookupPlural("{0} item", 7)) == "{0} elementos");
  CHECK(es->LookupPlural("{0} missing", 7) == nullptr);

  auto fr = MoCatalog::Parse(BuildMo({{"", "Plural-Forms: nplurals=2; plural=(n > 1);\n"},
                                      {id, std::string("{0} élément") + '\0' + "{0} éléments"}}));
  REQUIRE(fr);
  CHECK(std::string(fr->LookupPlural("{0} item", 0)) == "{0} élément");
  CHECK(std::string(fr->LookupPlural("{0} item", 2)) == "{0} éléments");
}

TEST_CASE("mo catalog: a Plural-Forms rule is C with its precedence; a broken one gives 0",
          "[i18n]") {
  auto index = [](const std::string& rule, unsigned long n) {
    auto catalog =
        MoCatalog::Parse(BuildMo({{"", "Plural-Forms: nplurals=9; plural=" + rule + ";\n"}}));
    REQUIRE(catalog);
    return catalog->PluralIndex(n);
  };
  // Russian: && binds tighter than ||, comparisons tighter than &&, % tighter than ==.
  const std::string russian =
      "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)";
  const std::pair<unsigned long, unsigned long> russian_cases[] = {
      {1, 0}, {21, 0}, {11, 2}, {2, 1}, {24, 1}, {12, 2}, {5, 2}, {0, 2}, {111, 2}, {122, 1}};
  for (const auto& [n, want] : russian_cases) {
    INFO(n);
    CHECK(index(russian, n) == want);
  }
  CHECK(index("1 + 2 * 3 - 4 / 2", 0) == 5);  // * and / before + and -
  CHECK(index("10 - 3 - 2", 0) == 5);         // left to right
  CHECK(index("n / 3 % 2", 9) == 1);          // (9 / 3) % 2
  CHECK(index("!n + 1", 0) == 2);             // ! binds tightest
  CHECK(index("n != 1 == 0", 1) == 1);        // (1 != 1) == 0
  CHECK(index("n < 2 > 0", 5) == 0);          // (5 < 2) > 0
  CHECK(index("0 || n && 0", 1) == 0);        // && before ||
  CHECK(index("n ? 3 : 4", 0) == 4);
  CHECK(index("n >= 2 <= 1", 3) == 1);  // (3 >= 2) <= 1
  CHECK(index("7 / (n - 1)", 1) == 0);  // division by zero: broken
  CHECK(index("n % 0 + 5", 4) == 0);    // modulo by zero: broken
  CHECK(index("(n + 1", 1) == 0);       // unbalanced
  CHECK(index("n ? 1", 1) == 0);        // a ? without its :
}
