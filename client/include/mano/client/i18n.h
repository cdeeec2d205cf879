// Translations of everything mano says to the worker (GNU gettext, text domain "mano").
//
// InitLanguage() chooses the language from --lang, else LANGUAGE, LC_ALL, LC_MESSAGES, LANG
// (first non-empty, as POSIX orders them), and makes it work even when that locale was never
// generated on the machine: glibc's gettext ignores catalogs while the locale is plain "C",
// so it falls back to C.UTF-8 and names the language in LANGUAGE (which gettext honours in
// any locale but "C"); if even C.UTF-8 is missing, mano reads the .mo file itself
// (TextDomain, text_domain.h, which also serves the UI's domain "mano-ui").
// Catalogs live in <prefix>/share/locale/<lang>/LC_MESSAGES/mano.mo beside <prefix>/bin/mano.
// Thread safety: call InitLanguage once at start-up, before other threads; Tr() is then safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace mano::client {

// The language asked for: `forced` if non-empty, else the first non-empty of LANGUAGE
// (its first entry), LC_ALL, LC_MESSAGES, LANG read through `getenv`. Returns a gettext
// language name without codeset or modifier ("es_ES", "fr", "ar"); "" for C/POSIX/unset.
std::string PickLanguage(const std::string& forced,
                         const std::function<const char*(const char*)>& getenv_fn);

// Sets up the process: locale, text domain and catalogs. `locale_dir` empty = the folder
// next to the running program (LocaleDirForProgram). Returns the language in use ("" = C).
std::string InitLanguage(const std::string& forced, const std::string& locale_dir = {});

// <dir of /proc/self/exe>/../share/locale
std::string LocaleDirForProgram();

// The translation of `msgid` in the chosen language (msgid itself when none).
const char* Tr(const char* msgid);

// Marks `msgid` for xgettext where it is written, in a table, and translated later
// (Tr(row.text)); returns it unchanged. Both text domains' extraction knows the keyword.
constexpr const char* N_(const char* msgid) { return msgid; }

// Replaces "{}" placeholders in order (or "{0}", "{1}"... by position) with `args`.
std::string Format(const std::string& pattern, const std::vector<std::string>& args);

// ngettext: the translation of `singular`/`plural` in the form `n` takes ("1 elemento",
// "2 elementos"; Arabic has six forms).
const char* TrN(const char* singular, const char* plural, unsigned long n);

// Shorthand: Format(TrN(singular, plural, n), args).
std::string TrFormatN(const char* singular, const char* plural, unsigned long n,
                      const std::vector<std::string>& args);

// Shorthand: Format(Tr(msgid), args).
inline std::string TrFormat(const char* msgid, const std::vector<std::string>& args) {
  return Format(Tr(msgid), args);
}

}  // namespace mano::client
