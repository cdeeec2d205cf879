// Database: RAII owner of one sqlite3 connection, with a cache of prepared statements and
// the single place where SQLite result codes become StoreError (kind + path). Not
// thread-safe. Transaction (transaction.h) gives BEGIN IMMEDIATE / COMMIT / ROLLBACK.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "mano/storage/statement.h"
#include "mano/storage/store_error.h"

struct sqlite3;
struct sqlite3_vfs;

namespace mano::storage {

class Database {
 public:
  // flags: SQLITE_OPEN_* ; vfs may be empty for the default. uri_query (e.g. "mode=ro"):
  // open path as a file: URI with that query; path() stays the plain path.
  Database(const std::string& path, int flags, const std::string& vfs,
           const char* uri_query = nullptr);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return nothing.
  void Exec(std::string_view sql);
  // Runs a query returning one integer (0 when no row).
  int64_t QueryInt(std::string_view sql);
  // Cached prepared statement, reset when the returned object goes out of scope.
  StatementUse Prepare(const char* sql);

  // Throws StoreError for a failed SQLite call (rc != OK/ROW/DONE); `what` starts the message.
  void Check(int rc, std::string_view what) const;
  [[noreturn]] void Fail(int rc, std::string_view what) const;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  bool InTransaction() const;
  int64_t Changes() const;
  int64_t LastInsertId() const;

 private:
  int SystemErrno(int rc) const;

  std::string path_;
  sqlite3_vfs* vfs_ = nullptr;
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> cache_;
};

// Maps an SQLite result code (plus the OS errno SQLite saw) to a StoreError kind.
StoreError::Kind StoreErrorKindFor(int rc, int system_errno);

}  // namespace mano::storage
