// OutboxBatch: results on their way in one request: the outbox rows (marked sending), the
// request's results as JSON, and what batch receipts leave out of each (its key, assignment
// and answer hashes). Plain value type, internal to the engine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mano/storage/store.h"
#include "mano/sync/messages.h"

namespace mano::sync {

struct OutboxBatch {
  std::vector<storage::OutboxItem> items;  // as read before they were marked sending
  std::vector<ReceiptDefaults> sent;       // one per item, in order
  std::string json;                        // comma-separated SubmitResult objects
  std::string kind;                        // the task kind most represented
  bool empty() const { return items.empty(); }
};

}  // namespace mano::sync
