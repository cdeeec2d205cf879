// TextDomain: one GNU gettext text domain of mano ("mano" for the command line, "mano-ui"
// for the terminal UI) and the way its messages are translated. Load() is the one place that
// turns a chosen language into a working catalog, for any domain:
//   - when LC_MESSAGES is a real locale (InitLanguage sets C.UTF-8 when the worker's own
//     locale is not generated, and names the language in LANGUAGE), the C library's gettext
//     reads <locale_dir>/<lang>/LC_MESSAGES/<domain>.mo;
//   - when it is plain "C" (not even C.UTF-8 exists; glibc then ignores LANGUAGE), the .mo
//     file is read directly with MoCatalog, trying "es_ES" and then "es".
// Thread safety: Load() once at start-up, before other threads; Translate() only reads.
#pragma once

#include <optional>
#include <string>

#include "mano/client/mo_catalog.h"

namespace mano::client {

class TextDomain {
 public:
  // `name` must outlive the object (a string literal).
  explicit TextDomain(const char* name) : name_(name) {}

  // Sets up translation into `language` as InitLanguage returned it ("es_ES", "ar"; "" =
  // untranslated, which Translate then answers with the msgid). `locale_dir` "" = the
  // folder next to the program (LocaleDirForProgram). Replaces what an earlier Load set.
  void Load(const std::string& language, const std::string& locale_dir = {});

  // The translation of `msgid` (msgid itself when there is none).
  const char* Translate(const char* msgid) const;
  // ngettext: the form of `singular`'s translation that `n` takes in the language (`singular`
  // for n == 1 and `plural` otherwise when there is no translation).
  const char* TranslatePlural(const char* singular, const char* plural, unsigned long n) const;

  const char* name() const { return name_; }

 private:
  enum class Backend { kNone, kGettext, kOwnCatalog };

  const char* name_;
  Backend backend_ = Backend::kNone;
  std::optional<MoCatalog> catalog_;
};

}  // namespace mano::client
