// QueueAsBefore: puts a result in mano's outbox the way a mano from before a submit-time
// check did (straight into the store, no check), so a test can show what today's mano makes
// of such an item on its next pass. The answer also becomes the draft, as `mano submit` and
// the UI queue the latest draft. Header-only; test thread only; mano must not be running.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "mano/storage/store.h"
#include "mano/sync/answer.h"
#include "mano/sync/messages.h"

namespace mano::test {

inline void QueueAsBefore(const std::string& data_dir, int64_t local_id,
                          const sync::Answer& answer) {
  auto store = storage::Store::Open(data_dir);
  const auto a = store.GetAssignment(local_id);
  REQUIRE(a);
  sync::SubmitResult result;
  result.assignment_id = a->server_id;
  result.key = a->server_id + ":1";
  result.answer = answer;
  store.SaveCheckpoint(a->id, answer.ToJson(), "");
  store.EnqueueResult(a->id, result.key, sync::ToJsonString(result), answer.Hash());
}

}  // namespace mano::test
