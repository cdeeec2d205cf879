// TextDomain: the one loader of catalogs for both text domains, "mano" (command line) and
// "mano-ui" (terminal UI), with and without a usable locale. Reads the catalogs built into
// $MANO_BUILD_DIR/share/locale.
#include "mano/client/text_domain.h"

#include <libintl.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <clocale>
#include <cstdlib>
#include <string>

using mano::client::TextDomain;

namespace {

std::string LocaleDir() {
  const char* build = std::getenv("MANO_BUILD_DIR");
  REQUIRE(build);
  return std::string(build) + "/share/locale";
}

std::string Tr(const TextDomain& d, const char* msgid) { return d.Translate(msgid); }

}  // namespace

TEST_CASE("text domain: reads the .mo itself under the C locale, either domain",
          "[i18n][text_domain]") {
  std::setlocale(LC_ALL, "C");  // glibc's gettext would ignore LANGUAGE here
  TextDomain cli("mano");
  TextDomain ui("mano-ui");

  ui.Load("es_ES", LocaleDir());  // no es_ES catalog: falls back to "es"
  cli.Load("es_ES", LocaleDir());
  CHECK(Tr(ui, "Queue") == "Cola");
  CHECK(Tr(cli, "Usage") == "Uso");
  // Each domain answers from its own catalog only.
  CHECK(Tr(cli, "Queue") == "Queue");
  CHECK(Tr(ui, "Usage") == "Usage");

  ui.Load("ar", LocaleDir());
  CHECK(Tr(ui, "Queue") == "قائمة المهام");
  CHECK(Tr(ui, "saved {0} ago") == "حُفظ قبل {0}");
  ui.Load("fr", LocaleDir());
  CHECK(Tr(ui, "offline") == "hors ligne");

  // Untranslated: no language, an unknown one, or no catalogs where asked.
  ui.Load("", LocaleDir());
  CHECK(Tr(ui, "Queue") == "Queue");
  ui.Load("xx_YY", LocaleDir());
  CHECK(Tr(ui, "Queue") == "Queue");
  ui.Load("es", LocaleDir() + "/nonexistent");
  CHECK(Tr(ui, "Queue") == "Queue");
}

TEST_CASE("text domain: goes through gettext when a UTF-8 locale is set", "[i18n][text_domain]") {
  if (!std::setlocale(LC_ALL, "C.UTF-8") && !std::setlocale(LC_ALL, "C.utf8")) {
    WARN("no C.UTF-8 locale on this machine: the gettext path is not tested");
    return;
  }
  // As InitLanguage does: the language is named to gettext through LANGUAGE.
  const char* old = std::getenv("LANGUAGE");
  std::string saved = old ? old : "";
  ::setenv("LANGUAGE", "ar", 1);
  TextDomain ui("mano-ui");
  ui.Load("ar", LocaleDir());
  std::string queue = Tr(ui, "Queue");
  std::string missing = Tr(ui, "no such message");
  std::string bound = ::bindtextdomain("mano-ui", nullptr);  // where gettext was told to look
  if (old)
    ::setenv("LANGUAGE", saved.c_str(), 1);
  else
    ::unsetenv("LANGUAGE");
  std::setlocale(LC_ALL, "C");
  CHECK(queue == "قائمة المهام");
  CHECK(missing == "no such message");
  CHECK(bound == LocaleDir());
}

TEST_CASE("text domain: plural forms from the real catalogs, with and without a locale",
          "[i18n][text_domain]") {
  const char* one = "outbox: {0} item, {1} bytes";
  const char* many = "outbox: {0} items, {1} bytes";
  // The .mo read directly (no locale at all).
  std::setlocale(LC_ALL, "C");
  TextDomain cli("mano");
  cli.Load("es", LocaleDir());
  CHECK(std::string(cli.TranslatePlural(one, many, 1)) ==
        "bandeja de salida: {0} elemento, {1} bytes");
  CHECK(std::string(cli.TranslatePlural(one, many, 2)) ==
        "bandeja de salida: {0} elementos, {1} bytes");
  cli.Load("ar", LocaleDir());
  CHECK(std::string(cli.TranslatePlural(one, many, 2)) == "صندوق الصادر: عنصران ({0})، {1} بايت");
  CHECK(std::string(cli.TranslatePlural(one, many, 11)) == "صندوق الصادر: {0} عنصرا، {1} بايت");
  cli.Load("", LocaleDir());
  CHECK(std::string(cli.TranslatePlural(one, many, 1)) == one);
  CHECK(std::string(cli.TranslatePlural(one, many, 3)) == many);

  // Through gettext's ngettext (glibc caches per language, so one language here).
  if (!std::setlocale(LC_ALL, "C.UTF-8") && !std::setlocale(LC_ALL, "C.utf8")) return;
  const char* old = std::getenv("LANGUAGE");
  std::string saved = old ? old : "";
  ::setenv("LANGUAGE", "ar", 1);
  cli.Load("ar", LocaleDir());
  std::string two = cli.TranslatePlural(one, many, 2);
  std::string eleven = cli.TranslatePlural(one, many, 11);
  if (old)
    ::setenv("LANGUAGE", saved.c_str(), 1);
  else
    ::unsetenv("LANGUAGE");
  std::setlocale(LC_ALL, "C");
  CHECK(two == "صندوق الصادر: عنصران ({0})، {1} بايت");
  CHECK(eleven == "صندوق الصادر: {0} عنصرا، {1} بايت");
}
