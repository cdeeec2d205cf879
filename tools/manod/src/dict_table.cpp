// SqliteDictTable (the table in manod's SQLite file) and OpenDictTable.
#include "dict_table.h"

#include "pg_db.h"
#include "sqlite_db.h"

namespace mano::manod {

namespace {

// `seq` orders publications: the published dictionary of a kind is its highest seq.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS dicts(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, bytes BLOB NOT NULL, created INTEGER NOT NULL,
  seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS dicts_kind ON dicts(kind, seq);
)sql";

constexpr const char* kInfoColumns =
    "d.id, d.kind, length(d.bytes), d.created,"
    " d.seq = (SELECT max(seq) FROM dicts e WHERE e.kind = d.kind)";

DictInfo ReadInfo(const SqliteStatement& s) {
  DictInfo info;
  info.id = static_cast<uint32_t>(s.Int(0));
  info.kind = s.Text(1);
  info.size = s.Int(2);
  info.created = s.Int(3);
  info.published = s.Int(4) != 0;
  return info;
}

class SqliteDictTable : public DictTable {
 public:
  explicit SqliteDictTable(const std::string& path) : db_(path, false) {
    db_.Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    db_.Exec(kSchema);
  }

  std::optional<std::string> Publish(uint32_t id, const std::string& kind, const std::string& bytes,
                                     int64_t now_ms) override {
    SqliteTransaction tx(db_);
    SqliteStatement existing(db_, "SELECT bytes, kind FROM dicts WHERE id=?");
    existing.Bind(1, static_cast<int64_t>(id));
    const bool known = existing.Step();
    if (known && (existing.Text(0) != bytes || existing.Text(1) != kind)) return existing.Text(1);
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
    return std::nullopt;
  }

  std::optional<std::pair<DictInfo, std::string>> Published(const std::string& kind) override {
    SqliteStatement s(db_, std::string("SELECT ") + kInfoColumns +
                               ", d.bytes FROM dicts d WHERE d.kind=? ORDER BY d.seq DESC LIMIT 1");
    s.Bind(1, kind);
    if (!s.Step()) return std::nullopt;
    return std::make_pair(ReadInfo(s), s.Text(5));
  }

  std::optional<std::string> Bytes(uint32_t id) override {
    SqliteStatement s(db_, "SELECT bytes FROM dicts WHERE id=?");
    s.Bind(1, static_cast<int64_t>(id));
    if (!s.Step()) return std::nullopt;
    return s.Text(0);
  }

  std::vector<DictInfo> List() override {
    SqliteStatement s(db_,
                      std::string("SELECT ") + kInfoColumns + " FROM dicts d ORDER BY d.seq DESC");
    std::vector<DictInfo> out;
    while (s.Step()) out.push_back(ReadInfo(s));
    return out;
  }

 private:
  SqliteDb db_;
};

}  // namespace

std::unique_ptr<DictTable> OpenDictTable(const std::string& db) {
  if (IsPostgresUrl(db)) return OpenPgDictTable(db);
  return std::make_unique<SqliteDictTable>(db);
}

}  // namespace mano::manod
