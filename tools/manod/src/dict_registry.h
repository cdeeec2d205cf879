// DictRegistry: the zstd dictionaries manod publishes, one per task kind (docs/PROTOCOL.md
// section 13). A dictionary is immutable and known by its zstd dictionary id (the id every
// frame compressed with it names). Publishing a new dictionary for a kind replaces the one
// GET /v1/dict/<kind> hands out, but every dictionary ever added stays decodable: clients may
// still hold an older one and send frames naming it.
//
// Storage (dict_table.h): a table `dicts` in manod's own SQLite file, created by the registry
// on open if absent, or in its PostgreSQL database (a schema migration there) (so databases made
// before dictionaries existed gain it on first use, with no schema change to the rest of the
// store). The same file rather than files in a data directory: manod has no data directory, a
// backup stays one `sqlite3 .backup`, and publishing is a transaction (a half-written dictionary
// can never be served). The registry uses its own connection, so the ServerStore interface is
// untouched.
//
// Errors: storage failures throw storage::StoreError or PgError; Add refuses a bad dictionary with
// std::invalid_argument (one sentence saying why). Thread safety: every method may be called
// from any thread (one mutex around the connection and the cache of loaded dictionaries).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dict_table.h"
#include "mano/sync/zstd_dictionary.h"

namespace mano::manod {

class DictRegistry {
 public:
  // Largest dictionary accepted: clients download it on mobile data.
  static constexpr size_t kMaxDictBytes = 112u << 10;

  // Opens the registry in the database `db` (a SQLite file or a postgresql:// URL; it must
  // exist: manod init).
  explicit DictRegistry(const std::string& db);
  ~DictRegistry();

  // Validates `bytes` (a zstd dictionary with a non-zero id that zstd can load, at most
  // kMaxDictBytes) and publishes it for `kind`. Adding bytes already present (same id, same
  // bytes) only publishes them again. Throws std::invalid_argument when refused, e.g. when
  // the id is already used by other bytes.
  DictInfo Add(const std::string& kind, const std::string& bytes, int64_t now_ms);

  // The dictionary published for `kind` (id and bytes), if any.
  std::optional<std::pair<DictInfo, std::string>> Published(const std::string& kind);

  // A dictionary by id, loaded once and kept (it never changes); null when unknown.
  std::shared_ptr<const sync::ZstdDictionary> ById(uint32_t id);

  // Every dictionary, newest first.
  std::vector<DictInfo> List();

 private:
  std::mutex mu_;
  std::unique_ptr<DictTable> table_;
  std::map<uint32_t, std::shared_ptr<const sync::ZstdDictionary>> loaded_;
};

}  // namespace mano::manod
