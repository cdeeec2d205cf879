// The Label Studio fixtures (tests/integration/manod/label_studio/: one project of each kind,
// `<kind>.json` tasks and `<kind>.xml` config, media in media/) and a helper to load them into
// a ManodProcess with `manod import --format label-studio`. Header-only; test thread only.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "manod_process.h"

namespace mano::test {

inline std::string LabelStudioFixtures() {
  const char* src = std::getenv("MANO_SOURCE_DIR");
  return std::string(src && *src ? src : ".") + "/tests/integration/manod/label_studio";
}

// Options for a manod with no tasks that does not serve yet (import, then Start()).
inline ManodProcess::Options EmptyUnstarted() {
  ManodProcess::Options options;
  options.imports.clear();
  options.start = false;
  return options;
}

// Imports fixture project `kind`; the test fails, with manod's words, when it does not.
inline void ImportLabelStudio(const ManodProcess& server, const std::string& kind) {
  std::string out, err;
  int status = server.Run(
      {"import", "--db", server.db(), LabelStudioFixtures() + "/" + kind + ".json", "--format",
       "label-studio", "--config", LabelStudioFixtures() + "/" + kind + ".xml"},
      &out, &err);
  INFO(kind << ": " << out << err);
  REQUIRE(status == 0);
}

}  // namespace mano::test
