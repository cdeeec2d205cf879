#include "mano/client/i18n.h"

#include <libintl.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include "mano/client/mo_catalog.h"

namespace mano::client {
namespace {

constexpr const char* kDomain = "mano";

enum class Backend { kNone, kGettext, kOwnCatalog };
Backend g_backend = Backend::kNone;
std::optional<MoCatalog> g_catalog;

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
  std::string dir = locale_dir.empty() ? LocaleDirForProgram() : locale_dir;
  std::string language = PickLanguage(forced, [](const char* n) { return std::getenv(n); });

  const char* locale = std::setlocale(LC_ALL, "");
  if (locale == nullptr || IsPlainC(locale) || !forced.empty()) {
    // The worker's locale is not generated here (or is C, or --lang overrides it): use
    // C.UTF-8 for character handling and name the language to gettext through LANGUAGE.
    const char* utf8 = std::setlocale(LC_ALL, "C.UTF-8");
    if (utf8 == nullptr) utf8 = std::setlocale(LC_ALL, "C.utf8");
    if (utf8 == nullptr)
      locale = std::setlocale(LC_ALL, "C");
    else
      locale = utf8;
  }
  if (language.empty()) {
    g_backend = Backend::kNone;
    return language;
  }
  // "es_ES" -> "es_ES:es" so a catalog for the bare language is found too.
  std::string chain = language;
  if (auto us = language.find('_'); us != std::string::npos) chain += ":" + language.substr(0, us);
  ::setenv("LANGUAGE", chain.c_str(), 1);

  if (!IsPlainC(locale)) {
    ::bindtextdomain(kDomain, dir.c_str());
    ::bind_textdomain_codeset(kDomain, "UTF-8");
    ::textdomain(kDomain);
    g_backend = Backend::kGettext;
    return language;
  }
  // No UTF-8 locale at all: glibc ignores LANGUAGE in "C"; read the catalog ourselves.
  for (std::string name : {language, language.substr(0, language.find('_'))}) {
    g_catalog = MoCatalog::Load(dir + "/" + name + "/LC_MESSAGES/" + kDomain + ".mo");
    if (g_catalog) break;
  }
  g_backend = g_catalog ? Backend::kOwnCatalog : Backend::kNone;
  return language;
}

const char* Tr(const char* msgid) {
  switch (g_backend) {
    case Backend::kGettext:
      return ::dgettext(kDomain, msgid);
    case Backend::kOwnCatalog:
      if (const char* t = g_catalog->Lookup(msgid)) return t;
      return msgid;
    case Backend::kNone:
      break;
  }
  return msgid;
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
