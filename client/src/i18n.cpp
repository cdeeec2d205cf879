#include "mano/client/i18n.h"

#include <clocale>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "mano/client/text_domain.h"

namespace mano::client {
namespace {

TextDomain g_domain("mano");

// "es_ES.UTF-8@euro" -> "es_ES"; "C", "POSIX", "C.UTF-8" -> "".
std::string Normalize(std::string name) {
  if (auto at = name.find('@'); at != std::string::npos) name.resize(at);
  if (auto dot = name.find('.'); dot != std::string::npos) name.resize(dot);
  if (name == "C" || name == "POSIX") return "";
  return name;
}

bool IsPlainC(const char* locale) {
  return locale == nullptr || std::strcmp(locale, "C") == 0 || std::strcmp(locale, "POSIX") == 0;
}

}  // namespace

std::string PickLanguage(const std::string& forced,
                         const std::function<const char*(const char*)>& getenv_fn) {
  if (!forced.empty()) return Normalize(forced);
  // POSIX: LC_ALL overrides LC_MESSAGES overrides LANG; GNU's LANGUAGE comes first of all
  // but only when the locale is not C (a C locale means "untranslated").
  std::string locale;
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = getenv_fn(var);
    if (v && *v) {
      locale = v;
      break;
    }
  }
  std::string from_locale = Normalize(locale);
  const char* language = getenv_fn("LANGUAGE");
  if (language && *language && !from_locale.empty()) {
    std::string first = language;
    if (auto colon = first.find(':'); colon != std::string::npos) first.resize(colon);
    std::string normalized = Normalize(first);
    if (!normalized.empty()) return normalized;
  }
  return from_locale;
}

std::string LocaleDirForProgram() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "/usr/local/share/locale";
  return (exe.parent_path().parent_path() / "share" / "locale").string();
}

std::string InitLanguage(const std::string& forced, const std::string& locale_dir) {
  std::string language = PickLanguage(forced, [](const char* n) { return std::getenv(n); });

  const char* locale = std::setlocale(LC_ALL, "");
  if (locale == nullptr || IsPlainC(locale) || !forced.empty()) {
    // The worker's locale is not generated here (or is C, or --lang overrides it): use
    // C.UTF-8 for character handling and name the language to gettext through LANGUAGE.
    if (!std::setlocale(LC_ALL, "C.UTF-8") && !std::setlocale(LC_ALL, "C.utf8"))
      std::setlocale(LC_ALL, "C");
  }
  if (!language.empty()) {
    // "es_ES" -> "es_ES:es" so a catalog for the bare language is found too.
    std::string chain = language;
    if (auto us = language.find('_'); us != std::string::npos)
      chain += ":" + language.substr(0, us);
    ::setenv("LANGUAGE", chain.c_str(), 1);
  }
  // gettext when a locale is set, else the .mo read directly (TextDomain::Load).
  g_domain.Load(language, locale_dir);
  return language;
}

const char* Tr(const char* msgid) { return g_domain.Translate(msgid); }

const char* TrN(const char* singular, const char* plural, unsigned long n) {
  return g_domain.TranslatePlural(singular, plural, n);
}

std::string TrFormatN(const char* singular, const char* plural, unsigned long n,
                      const std::vector<std::string>& args) {
  return Format(TrN(singular, plural, n), args);
}

std::string Format(const std::string& pattern, const std::vector<std::string>& args) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      if (close != std::string::npos) {
        std::string inside = pattern.substr(i + 1, close - i - 1);
        bool digits =
            !inside.empty() && inside.find_first_not_of("0123456789") == std::string::npos;
        if (inside.empty() || digits) {
          size_t index = inside.empty() ? next++ : std::stoul(inside);
          if (index < args.size()) out += args[index];
          i = close;
          continue;
        }
      }
    }
    out += pattern[i];
  }
  return out;
}

}  // namespace mano::client
