// Statement: RAII owner of one sqlite3_stmt with typed binding and column access.
// Errors throw StoreError (via Database::Check). Not thread-safe. Cached statements are
// handed out by Database::Prepare wrapped in a StatementUse that resets them on scope exit.
// Part of the one SQLite layer (database.h, statement.h, transaction.h) that the client's
// store and manod's SQLite backend share; sqlite3.h stays out of these headers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace mano::storage {

class Database;

// Marks a std::string_view to be bound as a BLOB rather than TEXT.
struct Blob {
  std::string_view bytes;
};
// Marks TEXT bound without a copy (for values of megabytes): the caller keeps it alive and
// unchanged until the statement is reset.
struct BorrowedText {
  std::string_view text;
};

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds by 1-based index; each returns *this so binds chain.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, bool value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, Blob value);
  Statement& Bind(int index, BorrowedText value);
  Statement& Bind(int index, std::optional<int64_t> value);
  Statement& BindBlob(int index, std::string_view bytes) { return Bind(index, Blob{bytes}); }
  Statement& BindNull(int index);
  // TEXT, or NULL for std::nullopt.
  Statement& BindOptional(int index, const std::optional<std::string>& text);
  // Binds column `column` of `row` (its current row) with its type unchanged.
  Statement& BindFrom(int index, const Statement& row, int column);

  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int i = 1;
    (Bind(i++, args), ...);
    return *this;
  }

  // Advances; true when a row is available. Throws StoreError on failure.
  bool Step();
  // Steps until done (for statements that return no rows).
  void Run();
  void Reset() noexcept;

  int64_t Int(int column) const;
  std::string Text(int column) const;  // exact bytes (TEXT or BLOB)
  bool IsNull(int column) const;
  std::optional<int64_t> OptInt(int column) const;

  // Reads columns 0, 1, 2... of the current row into `out...`, each by its type: one
  // row-to-struct mapping for every reader (s.Columns(a.id, a.name, a.deadline)).
  template <typename... T>
  void Columns(T&... out) const {
    int column = 0;
    (Column(column++, out), ...);
  }
  void Column(int column, int64_t& out) const { out = Int(column); }
  void Column(int column, int& out) const { out = static_cast<int>(Int(column)); }
  void Column(int column, bool& out) const { out = Int(column) != 0; }
  void Column(int column, std::string& out) const { out = Text(column); }
  void Column(int column, std::optional<int64_t>& out) const { out = OptInt(column); }
  void Column(int column, std::optional<std::string>& out) const {
    out = IsNull(column) ? std::nullopt : std::optional<std::string>(Text(column));
  }

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Borrowed cached statement: resets it (and clears bindings) when the scope ends.
class StatementUse {
 public:
  explicit StatementUse(Statement& s) : s_(s) {}
  ~StatementUse() { s_.Reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

 private:
  Statement& s_;
};

}  // namespace mano::storage
