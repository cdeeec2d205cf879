#include "mano/client/i18n.h"

#include <catch2/catch.hpp>
#include <map>

using mano::client::Format;
using mano::client::PickLanguage;

namespace {
auto Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}
}  // namespace

TEST_CASE("language: --lang, then LANGUAGE, LC_ALL, LC_MESSAGES, LANG", "[i18n]") {
  CHECK(PickLanguage("es", Env({{"LANG", "fr_FR.UTF-8"}})) == "es");
  CHECK(PickLanguage("", Env({{"LANG", "es_ES.UTF-8"}})) == "es_ES");
  CHECK(PickLanguage("", Env({{"LANG", "fr_FR.UTF-8"}, {"LC_MESSAGES", "es_MX.UTF-8"}})) ==
        "es_MX");
  CHECK(PickLanguage("", Env({{"LC_ALL", "ar_EG.UTF-8@x"}, {"LC_MESSAGES", "es_MX"}})) == "ar_EG");
  CHECK(PickLanguage("", Env({{"LANG", "en_US.UTF-8"}, {"LANGUAGE", "fr:es"}})) == "fr");
  // LANGUAGE is ignored under a C locale, as GNU gettext does.
  CHECK(PickLanguage("", Env({{"LANG", "C.UTF-8"}, {"LANGUAGE", "fr"}})) == "");
  CHECK(PickLanguage("", Env({})) == "");
  CHECK(PickLanguage("", Env({{"LANG", "POSIX"}})) == "");
}

TEST_CASE("format: sequential and positional placeholders", "[i18n]") {
  CHECK(Format("{} of {}", {"3", "5"}) == "3 of 5");
  CHECK(Format("{1} de {0}", {"5", "3"}) == "3 de 5");
  CHECK(Format("{x} {0}", {"a"}) == "{x} a");
  CHECK(Format("{2}", {"a"}) == "");
}
