// A small RAII wrapper over the SQLite C API for manod's own store (manod may not use the
// client's mano::storage). Three classes: SqliteDb owns a connection, SqliteStatement owns a
// prepared statement, SqliteTransaction rolls back in its destructor unless Commit() ran.
//
// Errors: every failure throws SqliteError with SQLite's message. Thread safety: none; a
// SqliteDb and its statements belong to one thread at a time (SqliteServerStore holds a mutex).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace mano::manod {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

class SqliteDb {
 public:
  // Opens (and creates when `create` is true) the database file. Throws SqliteError.
  SqliteDb(const std::string& path, bool create);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements that return no rows.
  void Exec(const std::string& sql);
  int64_t LastInsertRowId() const;
  int Changes() const;
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStatement {
 public:
  SqliteStatement(SqliteDb& db, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Binds by 1-based index. Returns *this so binds chain.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& BindBlob(int index, std::string_view bytes);
  SqliteStatement& BindNull(int index);
  SqliteStatement& BindOptional(int index, const std::optional<std::string>& text);

  // Steps once: true when a row is available, false when done. Throws on error.
  bool Step();
  // Steps until done (for statements without rows).
  void Run();
  void Reset();

  int64_t Int(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteTransaction {
 public:
  // BEGIN IMMEDIATE: takes the write lock now, so two writers never deadlock on upgrade.
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  void Commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace mano::manod
