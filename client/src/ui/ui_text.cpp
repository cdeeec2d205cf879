#include "mano/client/ui/ui_text.h"

#include "mano/client/i18n.h"
#include "mano/client/text_domain.h"

namespace mano::client::ui {
namespace {

TextDomain g_domain("mano-ui");

}  // namespace

void InitUiText(const std::string& language, const std::string& locale_dir) {
  g_domain.Load(language, locale_dir);
}

const char* T(const char* msgid) { return g_domain.Translate(msgid); }

std::string TF(const char* msgid, const std::vector<std::string>& args) {
  return Format(T(msgid), args);
}

std::string TFN(const char* singular, const char* plural, unsigned long n,
                const std::vector<std::string>& args) {
  return Format(g_domain.TranslatePlural(singular, plural, n), args);
}

}  // namespace mano::client::ui
