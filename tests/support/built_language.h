// BuiltLanguage: a test speaks one language from the catalogs built into $MANO_BUILD_DIR
// (InitLanguage for the "mano" domain), and puts $LANGUAGE and the locale back when it ends,
// so the tests after it run as they would alone. BuiltLocaleDir() is where those catalogs are.
// Not thread-safe (start-up state).
#pragma once

#include <catch2/catch.hpp>
#include <clocale>
#include <cstdlib>
#include <optional>
#include <string>

#include "mano/client/i18n.h"

namespace mano::test {

// $MANO_BUILD_DIR/share/locale (the test fails without $MANO_BUILD_DIR).
inline std::string BuiltLocaleDir() {
  const char* build = std::getenv("MANO_BUILD_DIR");
  REQUIRE(build);
  return std::string(build) + "/share/locale";
}

class BuiltLanguage {
 public:
  explicit BuiltLanguage(const std::string& language) : locale_dir_(BuiltLocaleDir()) {
    if (const char* l = std::getenv("LANGUAGE")) saved_language_ = l;
    saved_locale_ = std::setlocale(LC_ALL, nullptr);
    client::InitLanguage(language, locale_dir_);
  }
  ~BuiltLanguage() { Restore(); }
  BuiltLanguage(const BuiltLanguage&) = delete;
  BuiltLanguage& operator=(const BuiltLanguage&) = delete;

  const std::string& locale_dir() const { return locale_dir_; }

  // Back to untranslated text, $LANGUAGE and the locale as they were (also on destruction).
  void Restore() {
    if (restored_) return;
    restored_ = true;
    client::InitLanguage("C", locale_dir_);
    if (saved_language_) {
      ::setenv("LANGUAGE", saved_language_->c_str(), 1);
    } else {
      ::unsetenv("LANGUAGE");
    }
    std::setlocale(LC_ALL, saved_locale_.c_str());
  }

 private:
  std::string locale_dir_;
  std::optional<std::string> saved_language_;
  std::string saved_locale_;
  bool restored_ = false;
};

}  // namespace mano::test
