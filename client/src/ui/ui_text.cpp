#include "mano/client/ui/ui_text.h"

#include <libintl.h>

#include <clocale>
#include <cstring>
#include <optional>

#include "mano/client/i18n.h"
#include "mano/client/mo_catalog.h"

namespace mano::client::ui {
namespace {

constexpr const char* kDomain = "mano-ui";

enum class Backend { kNone, kGettext, kOwnCatalog };
Backend g_backend = Backend::kNone;
std::optional<MoCatalog> g_catalog;

}  // namespace

void InitUiText(const std::string& language, const std::string& locale_dir) {
  g_backend = Backend::kNone;
  g_catalog.reset();
  if (language.empty()) return;
  std::string dir = locale_dir.empty() ? LocaleDirForProgram() : locale_dir;
  const char* ctype = std::setlocale(LC_MESSAGES, nullptr);
  bool plain_c =
      ctype == nullptr || std::strcmp(ctype, "C") == 0 || std::strcmp(ctype, "POSIX") == 0;
  if (!plain_c) {
    ::bindtextdomain(kDomain, dir.c_str());
    ::bind_textdomain_codeset(kDomain, "UTF-8");
    g_backend = Backend::kGettext;
    return;
  }
  std::string base = language.substr(0, language.find('_'));
  for (const std::string& name : {language, base}) {
    g_catalog = MoCatalog::Load(dir + "/" + name + "/LC_MESSAGES/" + kDomain + ".mo");
    if (g_catalog) break;
  }
  if (g_catalog) g_backend = Backend::kOwnCatalog;
}

const char* T(const char* msgid) {
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

std::string TF(const char* msgid, const std::vector<std::string>& args) {
  return Format(T(msgid), args);
}

}  // namespace mano::client::ui
