#include "dict_registry.h"

#include <zdict.h>

#include <stdexcept>

#include "mano/sync/json_util.h"
#include "mano/sync/sync_error.h"

namespace mano::manod {

namespace {

// `seq` orders publications: the published dictionary of a kind is its highest seq.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS dicts(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, bytes BLOB NOT NULL, created INTEGER NOT NULL,
  seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS dicts_kind ON dicts(kind, seq);
)sql";

DictInfo ReadInfo(const SqliteStatement& s) {
  DictInfo info;
  info.id = static_cast<uint32_t>(s.Int(0));
  info.kind = s.Text(1);
  info.size = s.Int(2);
  info.created = s.Int(3);
  info.published = s.Int(4) != 0;
  return info;
}

constexpr const char* kInfoColumns =
    "d.id, d.kind, length(d.bytes), d.created,"
    " d.seq = (SELECT max(seq) FROM dicts e WHERE e.kind = d.kind)";

}  // namespace

DictRegistry::DictRegistry(const std::string& db_path) : db_(db_path, false) {
  db_.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  db_.Exec(kSchema);
}

DictInfo DictRegistry::Add(const std::string& kind, const std::string& bytes, int64_t now_ms) {
  if (!sync::IsValidId(kind)) {
    throw std::invalid_argument("the kind must be 1 to 64 of A-Z a-z 0-9 . _ : -");
  }
  if (bytes.size() > kMaxDictBytes) {
    throw std::invalid_argument("the dictionary is " + std::to_string(bytes.size()) +
                                " bytes; at most " + std::to_string(kMaxDictBytes) +
                                " are allowed (clients download it)");
  }
  const uint32_t id = ZDICT_getDictID(bytes.data(), bytes.size());
  if (id == 0) {
    throw std::invalid_argument(
        "not a zstd dictionary with an id (make one with `manod dict train` or `zstd --train`)");
  }
  try {
    sync::ZstdDictionary probe(bytes);
  } catch (const sync::SyncError& e) {
    throw std::invalid_argument(std::string("zstd cannot load this dictionary: ") + e.what());
  }
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction tx(db_);
  SqliteStatement existing(db_, "SELECT bytes, kind FROM dicts WHERE id=?");
  existing.Bind(1, static_cast<int64_t>(id));
  const bool known = existing.Step();
  if (known && (existing.Text(0) != bytes || existing.Text(1) != kind)) {
    throw std::invalid_argument("dictionary id " + std::to_string(id) +
                                " is already used by another dictionary (kind " + existing.Text(1) +
                                "); ids are immutable");
  }
  SqliteStatement next(db_, "SELECT coalesce(max(seq), 0) + 1 FROM dicts");
  next.Step();
  const int64_t seq = next.Int(0);
  if (known) {
    SqliteStatement s(db_, "UPDATE dicts SET seq=? WHERE id=?");
    s.Bind(1, seq).Bind(2, static_cast<int64_t>(id)).Run();
  } else {
    SqliteStatement s(db_, "INSERT INTO dicts(id, kind, bytes, created, seq) VALUES(?,?,?,?,?)");
    s.Bind(1, static_cast<int64_t>(id)).Bind(2, kind).BindBlob(3, bytes).Bind(4, now_ms);
    s.Bind(5, seq).Run();
  }
  tx.Commit();
  DictInfo info;
  info.id = id;
  info.kind = kind;
  info.size = static_cast<int64_t>(bytes.size());
  info.created = now_ms;
  info.published = true;
  return info;
}

std::optional<std::pair<DictInfo, std::string>> DictRegistry::Published(const std::string& kind) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_, std::string("SELECT ") + kInfoColumns +
                             ", d.bytes FROM dicts d WHERE d.kind=? ORDER BY d.seq DESC LIMIT 1");
  s.Bind(1, kind);
  if (!s.Step()) return std::nullopt;
  return std::make_pair(ReadInfo(s), s.Text(5));
}

std::shared_ptr<const sync::ZstdDictionary> DictRegistry::ById(uint32_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = loaded_.find(id);
  if (it != loaded_.end()) return it->second;
  SqliteStatement s(db_, "SELECT bytes FROM dicts WHERE id=?");
  s.Bind(1, static_cast<int64_t>(id));
  if (!s.Step()) return nullptr;
  auto dict = std::make_shared<const sync::ZstdDictionary>(s.Text(0));
  loaded_.emplace(id, dict);
  return dict;
}

std::vector<DictInfo> DictRegistry::List() {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteStatement s(db_,
                    std::string("SELECT ") + kInfoColumns + " FROM dicts d ORDER BY d.seq DESC");
  std::vector<DictInfo> out;
  while (s.Step()) out.push_back(ReadInfo(s));
  return out;
}

}  // namespace mano::manod
