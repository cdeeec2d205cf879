// PassContext: what every step of one account's sync pass shares (the store, the account,
// the server, the options, the report it fills and its progress), so each step's class
// takes one argument. Internal to the engine; single-threaded, lives for one pass.
#pragma once

#include <cstdint>

#include "mano/storage/store.h"
#include "mano/sync/server_api.h"
#include "mano/sync/sync_engine.h"
#include "pass_progress.h"

namespace mano::sync {

struct PassContext {
  storage::Store& store;
  const storage::Account& account;
  ServerApi& api;
  const EngineOptions& options;
  AccountReport& report;
  PassProgress& progress;

  // Every reply's server time keeps the account's clock offset current.
  void Contact(int64_t server_time_ms) const {
    if (server_time_ms > 0) store.RecordServerContact(account.name, server_time_ms);
  }
  // This account's rows in `states`, by id, without titles (the lean listing).
  storage::ListingQuery LeanListing(std::vector<storage::AssignmentState> states) const {
    storage::ListingQuery query;
    query.account = account.name;
    query.states = std::move(states);
    query.with_title = false;
    return query;
  }
};

}  // namespace mano::sync
