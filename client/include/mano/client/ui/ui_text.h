// The terminal UI's translations: GNU gettext text domain "mano-ui" (po files in
// client/src/ui/po/, built to <prefix>/share/locale/<lang>/LC_MESSAGES/mano-ui.mo), set up
// on top of the command line's i18n (mano/client/i18n.h, which picks the language and the
// locale). Kept as its own domain so the UI's strings live beside the UI's code. The catalog
// is loaded like the command line's (TextDomain, text_domain.h): through gettext, or read
// directly when no UTF-8 locale exists.
// Thread safety: call InitUiText once before other threads start; T() is then safe.
#pragma once

#include <string>
#include <vector>

namespace mano::client::ui {

// `language` as InitLanguage returned it ("" = untranslated); `locale_dir` "" = the folder
// next to the program.
void InitUiText(const std::string& language, const std::string& locale_dir = {});

// The translation of `msgid` (msgid itself when there is none).
const char* T(const char* msgid);
// ngettext in the UI's domain: the form `n` takes, placeholders filled in.
std::string TFN(const char* singular, const char* plural, unsigned long n,
                const std::vector<std::string>& args);
// T(msgid) with "{}" / "{0}" placeholders filled in.
std::string TF(const char* msgid, const std::vector<std::string>& args);

}  // namespace mano::client::ui
