// ConfigRefusal(parse, text): the ConfigError that `parse(text)` throws for a config text it
// must refuse; the test stops if `parse` accepts it.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "mano/client/toml.h"

namespace mano::test {

template <class Parse>
client::ConfigError ConfigRefusal(const Parse& parse, const std::string& text) {
  try {
    parse(text);
  } catch (const client::ConfigError& e) {
    return e;
  }
  FAIL("accepted: " << text);
  return client::ConfigError("", 0);  // not reached: FAIL stops the test
}

}  // namespace mano::test
