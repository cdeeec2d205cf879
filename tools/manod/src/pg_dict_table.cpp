// PgDictTable: DictRegistry's table in the PostgreSQL database (PgServerStore's migration 2).
// Publishing takes an advisory lock, so two processes publishing at once number their
// publications one after the other.
#include "dict_table.h"
#include "pg_db.h"
#include "pg_server_store.h"

namespace mano::manod {

namespace {

constexpr int64_t kPublishLock = 0x6d616e6f03;  // "mano" 3: dictionary publications

constexpr const char* kInfoColumns =
    "d.id, d.kind, length(d.bytes), d.created,"
    " (d.seq = (SELECT max(seq) FROM dicts e WHERE e.kind = d.kind))::int";

DictInfo ReadInfo(const PgResult& r, int row) {
  DictInfo info;
  info.id = static_cast<uint32_t>(r.Int(row, 0));
  info.kind = r.Text(row, 1);
  info.size = r.Int(row, 2);
  info.created = r.Int(row, 3);
  info.published = r.Int(row, 4) != 0;
  return info;
}

class PgDictTable : public DictTable {
 public:
  explicit PgDictTable(const std::string& url) : conn_(url) {}

  std::optional<std::string> Publish(uint32_t id, const std::string& kind, const std::string& bytes,
                                     int64_t now_ms) override {
    PgTransaction tx(conn_);
    conn_.Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Add(kPublishLock));
    PgResult existing =
        conn_.Exec("SELECT bytes, kind FROM dicts WHERE id=$1", PgParams().Add(int64_t{id}));
    const bool known = existing.Rows() > 0;
    if (known && (existing.Bytes(0, 0) != bytes || existing.Text(0, 1) != kind)) {
      return existing.Text(0, 1);
    }
    const int64_t seq = conn_.Exec("SELECT coalesce(max(seq), 0) + 1 FROM dicts").Int(0, 0);
    if (known) {
      conn_.Exec("UPDATE dicts SET seq=$1 WHERE id=$2", PgParams().Add(seq).Add(int64_t{id}));
    } else {
      conn_.Exec("INSERT INTO dicts(id, kind, bytes, created, seq) VALUES($1, $2, $3, $4, $5)",
                 PgParams().Add(int64_t{id}).Add(kind).AddBytes(bytes).Add(now_ms).Add(seq));
    }
    tx.Commit();
    return std::nullopt;
  }

  std::optional<std::pair<DictInfo, std::string>> Published(const std::string& kind) override {
    PgResult r = conn_.Exec(std::string("SELECT ") + kInfoColumns +
                                ", d.bytes FROM dicts d WHERE d.kind=$1 ORDER BY d.seq DESC"
                                " LIMIT 1",
                            PgParams().Add(kind));
    if (r.Rows() == 0) return std::nullopt;
    return std::make_pair(ReadInfo(r, 0), r.Bytes(0, 5));
  }

  std::optional<std::string> Bytes(uint32_t id) override {
    PgResult r = conn_.Exec("SELECT bytes FROM dicts WHERE id=$1", PgParams().Add(int64_t{id}));
    if (r.Rows() == 0) return std::nullopt;
    return r.Bytes(0, 0);
  }

  std::vector<DictInfo> List() override {
    PgResult r =
        conn_.Exec(std::string("SELECT ") + kInfoColumns + " FROM dicts d ORDER BY d.seq DESC");
    std::vector<DictInfo> out;
    for (int i = 0; i < r.Rows(); ++i) out.push_back(ReadInfo(r, i));
    return out;
  }

 private:
  PgConnection conn_;
};

}  // namespace

std::unique_ptr<DictTable> OpenPgDictTable(const std::string& url) {
  { PgServerStore migrate(url, false); }  // the schema must be there, migrated to `dicts`
  return std::make_unique<PgDictTable>(url);
}

}  // namespace mano::manod
