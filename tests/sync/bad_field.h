// BadField<M>(json): the field a SyncError names when `json` does not decode as M (M::FromJson);
// the test fails when it decodes, or when the error is not kBadMessage with a message.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "mano/sync/sync_error.h"

namespace mano::test {

template <class M>
std::string BadField(const std::string& json) {
  try {
    M::FromJson(json);
  } catch (const sync::SyncError& e) {
    CHECK(e.kind() == sync::SyncErrorKind::kBadMessage);
    CHECK_FALSE(std::string(e.what()).empty());
    return e.field();
  }
  FAIL("decoded without error: " << json);
  return "";
}

}  // namespace mano::test
