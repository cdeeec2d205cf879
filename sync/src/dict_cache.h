// DictCache: the zstd dictionaries of one account's server (docs/PROTOCOL.md section 13),
// per task kind, as the engine uses them for small submit batches.
//
// Kept in the client Store without a schema change: the bytes in the asset cache
// (<data_dir>/assets/<sha256>, hash-checked when loaded), and per account a cursor
// "dict:<kind>" holding "<id> <sha256> <checked local ms>", or "none <checked local ms>"
// when the server had none. A kind is asked again (If-None-Match with the id held, so an
// unchanged dictionary costs a bodiless 304) once its check is older than kRecheckMs.
//
// A dictionary is an optimisation, never a requirement: every failure (a cut, a 404, bytes
// zstd cannot load, a damaged cache file) leaves the kind without one; bytes that do not load
// are reported as one sentence in the pass report. Fetching is prefetch traffic, within the
// data budget's room. Internal to the engine; single-threaded, lives for one pass.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "mano/storage/store.h"
#include "mano/sync/server_api.h"
#include "mano/sync/sync_engine.h"
#include "mano/sync/zstd_dictionary.h"

namespace mano::sync {

class DictCache {
 public:
  static constexpr int64_t kRecheckMs = 24 * 3600 * 1000;
  // Largest dictionary fetched (the server's own cap is 112 KiB).
  static constexpr int64_t kMaxDictBytes = 128 << 10;

  DictCache(storage::Store& store, const std::string& account, ServerApi& api,
            AccountReport& report);

  // Loads the dictionary of each kind from the store, fetching it first when none is held
  // or the check is stale and `*room` (prefetch bytes left) allows; lowers `*room` by the
  // bytes moved. Never throws SyncError (a link failure just ends the fetching).
  void Prepare(const std::set<std::string>& kinds, int64_t* room);
  // The id of the dictionary held for `kind` (0: none), loaded from the store without asking
  // the server (POST /v1/sync asks for all kinds at once).
  uint32_t LoadHeld(const std::string& kind);
  // True when the server was not asked about `kind` within kRecheckMs (or never).
  bool NeedsCheck(const std::string& kind);
  // The server publishes `published` for `kind` (0: none), as a sync reply said: a kind
  // whose dictionary changed is fetched within `*room`; otherwise the check is recorded.
  // Never throws SyncError.
  void Heard(const std::string& kind, uint32_t published, int64_t* room);
  // The loaded dictionary of `kind`, or null.
  const ZstdDictionary* For(const std::string& kind) const;
  // The server does not know the dictionary of `kind` (it lost it): forget it.
  void Drop(const std::string& kind);

 private:
  void Fetch(const std::string& kind, uint32_t held_id, int64_t* room);
  bool LoadCached(const std::string& kind, uint32_t id, const std::string& sha256);
  void Remember(const std::string& kind, const std::string& value);

  storage::Store& store_;
  std::string account_;
  ServerApi& api_;
  AccountReport& report_;
  std::map<std::string, std::unique_ptr<ZstdDictionary>> loaded_;
};

}  // namespace mano::sync
