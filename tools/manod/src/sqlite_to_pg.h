// `manod migrate --from FILE.sqlite --to postgresql://...`: copies a whole SQLite store into
// a fresh PostgreSQL database, so an operator can move without losing anything: workers (and
// their token hashes, so tokens keep working), tasks, assets, claims, assignments with their
// ids (ids on the wire stay valid), anchors, receipts, results, events (with their sequence
// numbers, so clients' event cursors stay valid), uploads, zstd dictionaries, and the meta
// rows, receipt key included (old receipts still verify). One PostgreSQL transaction: all or
// nothing.
//
// The target must not hold a manod schema yet (migrate never writes into a database manod
// uses); the source is opened as the SQLite store (so its own migrations apply first) and
// only read.
// Errors: storage::StoreError / PgError / std::runtime_error with one sentence.
#pragma once

#include <cstdint>
#include <string>

namespace mano::manod {

struct MigrateReport {
  int64_t workers = 0;
  int64_t tasks = 0;
  int64_t assignments = 0;
  int64_t results = 0;
  int64_t dictionaries = 0;
};

MigrateReport MigrateSqliteToPostgres(const std::string& sqlite_path, const std::string& pg_url);

}  // namespace mano::manod
