// A stored JSON payload read leniently (not public API): the ledger's readers skip a foreign or
// damaged entry instead of failing the whole report.
#pragma once

#include <string>

#include "mano/sync/json_util.h"
#include "mano/sync/sync_error.h"

namespace mano::client::ledger::internal {

// Calls f(root) when `text` is a JSON object; does nothing otherwise.
template <class F>
void WithJson(const std::string& text, F&& f) {
  try {
    sync::JsonDocument doc(text);
    if (doc.Root().IsObject()) f(doc.Root());
  } catch (const sync::SyncError&) {
  }
}

}  // namespace mano::client::ledger::internal
