// DictTable: where DictRegistry keeps its dictionaries, one implementation per backend: a
// table `dicts` in the SQLite file (created on open when absent) or in the PostgreSQL
// database (schema migration 2 of PgServerStore). OpenDictTable picks by the --db argument.
// DictRegistry validates and caches; the table only stores.
//
// Errors: storage::StoreError / PgError. Thread safety: none; DictRegistry holds a mutex around it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mano::manod {

struct DictInfo {
  uint32_t id = 0;
  std::string kind;
  int64_t size = 0;
  int64_t created = 0;     // ms since the epoch
  bool published = false;  // the one GET /v1/dict/<kind> serves now
};

class DictTable {
 public:
  virtual ~DictTable() = default;
  // In one transaction: stores the dictionary, or publishes it again when the same bytes are
  // stored under `id` already. When `id` holds other bytes or another kind, changes nothing
  // and returns that kind.
  virtual std::optional<std::string> Publish(uint32_t id, const std::string& kind,
                                             const std::string& bytes, int64_t now_ms) = 0;
  virtual std::optional<std::pair<DictInfo, std::string>> Published(const std::string& kind) = 0;
  virtual std::optional<std::string> Bytes(uint32_t id) = 0;
  virtual std::vector<DictInfo> List() = 0;  // newest first
};

// The table of the store at `db` (a SQLite file that must exist, or a postgresql:// URL of a
// database `manod init` prepared).
std::unique_ptr<DictTable> OpenDictTable(const std::string& db);

// PostgreSQL's (pg_dict_table.cpp).
std::unique_ptr<DictTable> OpenPgDictTable(const std::string& url);

}  // namespace mano::manod
