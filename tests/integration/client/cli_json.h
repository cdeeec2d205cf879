// Reading `mano ... --json` output in the command-line integration tests: parse (failing the
// test on bad JSON, with the text shown) and read a string member that must be there.
#pragma once

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <string>

#include "mano_runner.h"  // Json()

namespace mano::test {

inline std::string Str(const rapidjson::Value& v, const char* name) {
  REQUIRE(v.HasMember(name));
  REQUIRE(v[name].IsString());
  return v[name].GetString();
}

}  // namespace mano::test
