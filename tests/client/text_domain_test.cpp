// TextDomain: the one loader of catalogs for both text domains, "mano" (command line) and
// "mano-ui" (terminal UI), with and without a usable locale. Reads the catalogs built into
// $MANO_BUILD_DIR/share/locale.
#include "mano/client/text_domain.h"

#include <libintl.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <clocale>
#include <cstdlib>
#include <optional>
#include <string>

#include "built_language.h"

using mano::client::TextDomain;
using mano::test::BuiltLocaleDir;

namespace {

// Names `language` to gettext through $LANGUAGE, as InitLanguage does, for the guard's life;
// then $LANGUAGE is as it was and the locale is C again.
class LanguageVariable {
 public:
  explicit LanguageVariable(const char* language) {
    if (const char* old = std::getenv("LANGUAGE")) saved_ = old;
    ::setenv("LANGUAGE", language, 1);
  }
  ~LanguageVariable() {
    if (saved_)
      ::setenv("LANGUAGE", saved_->c_str(), 1);
    else
      ::unsetenv("LANGUAGE");
    std::setlocale(LC_ALL, "C");
  }
  LanguageVariable(const LanguageVariable&) = delete;
  LanguageVariable& operator=(const LanguageVariable&) = delete;

 private:
  std::optional<std::string> saved_;
};

std::string Tr(const TextDomain& d, const char* msgid) { return d.Translate(msgid); }

}  // namespace

TEST_CASE("text domain: reads the .mo itself under the C locale, either domain",
          "[i18n][text_domain]") {
  std::setlocale(LC_ALL, "C");  // glibc's gettext would ignore LANGUAGE here
  TextDomain cli("mano");
  TextDomain ui("mano-ui");

  ui.Load("es_ES", BuiltLocaleDir());  // no es_ES catalog: falls back to "es"
  cli.Load("es_ES", BuiltLocaleDir());
  CHECK(Tr(ui, "Queue") == "Cola");
  CHECK(Tr(cli, "Usage") == "Uso");
  // Each domain answers from its own catalog only.
  CHECK(Tr(cli, "Queue") == "Queue");
  CHECK(Tr(ui, "Usage") == "Usage");

  ui.Load("ar", BuiltLocaleDir());
  CHECK(Tr(ui, "Queue") == "قائمة المهام");
  CHECK(Tr(ui, "saved {0} ago") == "حُفظ قبل {0}");
  ui.Load("fr", BuiltLocaleDir());
  CHECK(Tr(ui, "offline") == "hors ligne");

  // Untranslated: no language, an unknown one, or no catalogs where asked.
  ui.Load("", BuiltLocaleDir());
  CHECK(Tr(ui, "Queue") == "Queue");
  ui.Load("xx_YY", BuiltLocaleDir());
  CHECK(Tr(ui, "Queue") == "Queue");
  ui.Load("es", BuiltLocaleDir() + "/nonexistent");
  CHECK(Tr(ui, "Queue") == "Queue");
}

TEST_CASE("text domain: goes through gettext when a UTF-8 locale is set", "[i18n][text_domain]") {
  if (!std::setlocale(LC_ALL, "C.UTF-8") && !std::setlocale(LC_ALL, "C.utf8")) {
    WARN("no C.UTF-8 locale on this machine: the gettext path is not tested");
    return;
  }
  std::string queue, missing, bound;
  {
    LanguageVariable arabic("ar");
    TextDomain ui("mano-ui");
    ui.Load("ar", BuiltLocaleDir());
    queue = Tr(ui, "Queue");
    missing = Tr(ui, "no such message");
    bound = ::bindtextdomain("mano-ui", nullptr);  // where gettext was told to look
  }
  CHECK(queue == "قائمة المهام");
  CHECK(missing == "no such message");
  CHECK(bound == BuiltLocaleDir());
}

TEST_CASE("text domain: plural forms from the real catalogs, with and without a locale",
          "[i18n][text_domain]") {
  const char* one = "outbox: {0} item, {1} bytes";
  const char* many = "outbox: {0} items, {1} bytes";
  // The .mo read directly (no locale at all).
  std::setlocale(LC_ALL, "C");
  TextDomain cli("mano");
  cli.Load("es", BuiltLocaleDir());
  CHECK(std::string(cli.TranslatePlural(one, many, 1)) ==
        "bandeja de salida: {0} elemento, {1} bytes");
  CHECK(std::string(cli.TranslatePlural(one, many, 2)) ==
        "bandeja de salida: {0} elementos, {1} bytes");
  cli.Load("ar", BuiltLocaleDir());
  CHECK(std::string(cli.TranslatePlural(one, many, 2)) == "صندوق الصادر: عنصران ({0})، {1} بايت");
  CHECK(std::string(cli.TranslatePlural(one, many, 11)) == "صندوق الصادر: {0} عنصرا، {1} بايت");
  cli.Load("", BuiltLocaleDir());
  CHECK(std::string(cli.TranslatePlural(one, many, 1)) == one);
  CHECK(std::string(cli.TranslatePlural(one, many, 3)) == many);

  // Through gettext's ngettext (glibc caches per language, so one language here).
  if (!std::setlocale(LC_ALL, "C.UTF-8") && !std::setlocale(LC_ALL, "C.utf8")) return;
  std::string two, eleven;
  {
    LanguageVariable arabic("ar");
    cli.Load("ar", BuiltLocaleDir());
    two = cli.TranslatePlural(one, many, 2);
    eleven = cli.TranslatePlural(one, many, 11);
  }
  CHECK(two == "صندوق الصادر: عنصران ({0})، {1} بايت");
  CHECK(eleven == "صندوق الصادر: {0} عنصرا، {1} بايت");
}
