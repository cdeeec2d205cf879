#include "sqlite_to_pg.h"

#include <stdexcept>
#include <utility>
#include <vector>

#include "pg_db.h"
#include "pg_server_store.h"
#include "sqlite_db.h"
#include "sqlite_server_store.h"

namespace mano::manod {

namespace {

// One table: the SQLite expressions read, the PostgreSQL columns written, and which of them
// are bytes (bytea).
struct TableCopy {
  const char* table;
  std::vector<std::pair<const char*, const char*>> columns;  // {sqlite expr, pg column}
  std::vector<bool> bytes = {};
};

const std::vector<TableCopy> kTables = {
    {"meta", {{"key", "key"}, {"CAST(value AS TEXT)", "value"}}},
    {"workers",
     {{"id", "id"},
      {"name", "name"},
      {"token_hash", "token_hash"},
      {"revoked", "revoked"},
      {"created", "created"}}},
    {"tasks",
     {{"seq", "seq"},
      {"id", "id"},
      {"kind", "kind"},
      {"task_json", "task_json"},
      {"input_json", "input_json"},
      {"max_assignments", "max_assignments"},
      {"lease_ms", "lease_ms"},
      {"renew_on_anchor", "renew_on_anchor"},
      {"reward", "reward"},
      {"currency", "currency"},
      {"withdrawn", "withdrawn"},
      {"created", "created"}}},
    {"task_assets", {{"task_id", "task_id"}, {"hash", "hash"}}},
    {"assets", {{"hash", "hash"}, {"type", "type"}, {"length(data)", "size"}}},
    {"claims", {{"worker_id", "worker_id"}, {"key", "key"}, {"t", "t"}}},
    {"assignments",
     {{"id", "id"},
      {"task_id", "task_id"},
      {"worker_id", "worker_id"},
      {"claim_key", "claim_key"},
      {"state", "state"},
      {"leased_at", "leased_at"},
      {"deadline", "deadline"},
      {"submitted_at", "submitted_at"}}},
    {"anchors", {{"assignment_id", "assignment_id"}, {"hash", "hash"}, {"t", "t"}}},
    {"receipts",
     {{"worker_id", "worker_id"},
      {"key", "key"},
      {"assignment_id", "assignment_id"},
      {"hash", "hash"},
      {"receipt", "receipt"}}},
    {"results",
     {{"assignment_id", "assignment_id"},
      {"worker_id", "worker_id"},
      {"key", "key"},
      {"answer", "answer"},
      {"hash", "hash"},
      {"status", "status"},
      {"upload_id", "upload_id"},
      {"t", "t"}}},
    {"events",
     {{"seq", "seq"},
      {"worker_id", "worker_id"},
      {"type", "type"},
      {"assignment_id", "assignment_id"},
      {"reason", "reason"},
      {"amount", "amount"},
      {"currency", "currency"},
      {"t", "t"}}},
    {"uploads",
     {{"id", "id"},
      {"worker_id", "worker_id"},
      {"length", "length"},
      {"offset", "off"},
      {"created", "created"}}},
    {"upload_chunks",
     {{"upload_id", "upload_id"}, {"offset", "off"}, {"data", "data"}},
     {false, false, true}},
};

// The serial columns whose sequences must continue after the copied ids.
const std::vector<std::pair<const char*, const char*>> kSerials = {
    {"workers", "id"}, {"tasks", "seq"}, {"assignments", "id"}, {"events", "seq"}};

int64_t CopyTable(SqliteDb& from, PgConnection& to, const TableCopy& t) {
  std::string select = "SELECT ", insert = std::string("INSERT INTO ") + t.table + "(",
              values = ") VALUES(";
  for (size_t i = 0; i < t.columns.size(); ++i) {
    select += std::string(i ? ", " : "") + t.columns[i].first;
    insert += std::string(i ? ", " : "") + t.columns[i].second;
    values += std::string(i ? ", $" : "$") + std::to_string(i + 1);
  }
  select += std::string(" FROM ") + t.table;
  SqliteStatement s(from, select);
  const std::string sql = insert + values + ")";
  int64_t rows = 0;
  while (s.Step()) {
    PgParams params;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      const int col = static_cast<int>(i);
      if (s.IsNull(col)) {
        params.AddNull();
      } else if (i < t.bytes.size() && t.bytes[i]) {
        params.AddBytes(s.Text(col));
      } else {
        params.Add(s.Text(col));
      }
    }
    to.Exec(sql, params);
    ++rows;
  }
  return rows;
}

// Each asset's bytes, a chunk at a time (never a whole asset in memory).
void CopyAssetBytes(SqliteDb& from, PgConnection& to) {
  SqliteStatement assets(from, "SELECT hash, length(data) FROM assets");
  const int64_t chunk = static_cast<int64_t>(PgServerStore::kChunkBytes);
  while (assets.Step()) {
    const std::string hash = assets.Text(0);
    const int64_t size = assets.Int(1);
    for (int64_t off = 0; off < size; off += chunk) {
      SqliteStatement piece(from, "SELECT substr(data, ?, ?) FROM assets WHERE hash=?");
      piece.Bind(1, off + 1).Bind(2, chunk).Bind(3, hash);
      if (!piece.Step()) throw std::runtime_error("asset " + hash + " vanished while copied");
      to.Exec("INSERT INTO asset_chunks(hash, off, data) VALUES($1, $2, $3)",
              PgParams().Add(hash).Add(off).AddBytes(piece.Text(0)));
    }
  }
}

int64_t SqliteCount(SqliteDb& db, const std::string& sql) {
  SqliteStatement s(db, sql);
  return s.Step() ? s.Int(0) : 0;
}

}  // namespace

MigrateReport MigrateSqliteToPostgres(const std::string& sqlite_path, const std::string& pg_url) {
  if (!IsPostgresUrl(pg_url)) throw std::runtime_error("--to must be a postgresql:// URL");
  if (PgServerStore::HasSchema(pg_url)) {
    throw std::runtime_error(
        "the target database holds a manod store already; migrate copies into a new one only");
  }
  { SqliteServerStore upgrade(sqlite_path, false); }  // the SQLite store's own migrations
  { PgServerStore schema(pg_url, /*create=*/true); }
  SqliteDb from(sqlite_path, false);
  from.Exec("BEGIN");  // one snapshot of the source, even beside a running manod
  PgConnection to(pg_url);
  PgTransaction tx(to);
  MigrateReport report;
  for (const auto& table : kTables) {
    const int64_t n = CopyTable(from, to, table);
    const std::string name = table.table;
    if (name == "workers") report.workers = n;
    if (name == "tasks") report.tasks = n;
    if (name == "assignments") report.assignments = n;
    if (name == "results") report.results = n;
  }
  CopyAssetBytes(from, to);
  // The claim's hint (PgServerStore migration 3), from the copied assignments.
  to.Exec(
      "UPDATE tasks SET taken=(SELECT count(*) FROM assignments a WHERE a.task_id=tasks.id"
      " AND a.state IN ('leased','submitted','approved','rejected'))");
  for (const auto& [table, column] : kSerials) {
    to.Exec(std::string("SELECT setval(pg_get_serial_sequence('") + table + "', '" + column +
            "'), coalesce(max(" + column + "), 1), max(" + column + ") IS NOT NULL) FROM " + table);
  }
  // Older files have no dictionaries table (DictRegistry creates it on first use).
  if (SqliteCount(from, "SELECT count(*) FROM sqlite_master WHERE name='dicts'") > 0) {
    report.dictionaries = CopyTable(from, to,
                                    {"dicts",
                                     {{"id", "id"},
                                      {"kind", "kind"},
                                      {"bytes", "bytes"},
                                      {"created", "created"},
                                      {"seq", "seq"}},
                                     {false, false, true, false, false}});
  }
  tx.Commit();
  from.Exec("COMMIT");
  return report;
}

}  // namespace mano::manod
