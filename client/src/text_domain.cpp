#include "mano/client/text_domain.h"

#include <libintl.h>

#include <clocale>
#include <cstring>

#include "mano/client/i18n.h"

namespace mano::client {
namespace {

bool IsPlainC(const char* locale) {
  return locale == nullptr || std::strcmp(locale, "C") == 0 || std::strcmp(locale, "POSIX") == 0;
}

}  // namespace

void TextDomain::Load(const std::string& language, const std::string& locale_dir) {
  backend_ = Backend::kNone;
  catalog_.reset();
  if (language.empty()) return;
  std::string dir = locale_dir.empty() ? LocaleDirForProgram() : locale_dir;
  if (!IsPlainC(std::setlocale(LC_MESSAGES, nullptr))) {
    ::bindtextdomain(name_, dir.c_str());
    ::bind_textdomain_codeset(name_, "UTF-8");
    backend_ = Backend::kGettext;
    return;
  }
  // No UTF-8 locale at all: glibc ignores LANGUAGE in "C"; read the catalog ourselves,
  // "es_ES" first, then the bare language "es".
  std::string base = language.substr(0, language.find('_'));
  for (const std::string& name : {language, base}) {
    catalog_ = MoCatalog::Load(dir + "/" + name + "/LC_MESSAGES/" + name_ + ".mo");
    if (catalog_) break;
  }
  if (catalog_) backend_ = Backend::kOwnCatalog;
}

const char* TextDomain::Translate(const char* msgid) const {
  switch (backend_) {
    case Backend::kGettext:
      return ::dgettext(name_, msgid);
    case Backend::kOwnCatalog:
      if (const char* t = catalog_->Lookup(msgid)) return t;
      return msgid;
    case Backend::kNone:
      break;
  }
  return msgid;
}

const char* TextDomain::TranslatePlural(const char* singular, const char* plural,
                                        unsigned long n) const {
  switch (backend_) {
    case Backend::kGettext:
      return ::dngettext(name_, singular, plural, n);
    case Backend::kOwnCatalog:
      if (const char* t = catalog_->LookupPlural(singular, n)) return t;
      break;
    case Backend::kNone:
      break;
  }
  return n == 1 ? singular : plural;
}

}  // namespace mano::client
