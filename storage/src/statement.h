// Statement: RAII owner of one sqlite3_stmt with typed binding and column access.
// Errors throw StoreError (via Database::Check). Not thread-safe. Cached statements are
// handed out by Database::Prepare wrapped in a StatementUse that resets them on scope exit.
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

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void Bind(int index, int64_t value);
  void Bind(int index, int value) { Bind(index, static_cast<int64_t>(value)); }
  void Bind(int index, bool value) { Bind(index, static_cast<int64_t>(value)); }
  void Bind(int index, std::string_view value);
  void Bind(int index, const std::string& value) { Bind(index, std::string_view(value)); }
  void Bind(int index, const char* value) { Bind(index, std::string_view(value)); }
  void Bind(int index, Blob value);
  void Bind(int index, std::optional<int64_t> value);
  // Binds column `column` of `row` (its current row) with its type unchanged.
  void BindFrom(int index, const Statement& row, int column);

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
