#include "mano/storage/statement.h"

#include <sqlite3.h>

#include "mano/storage/database.h"

namespace mano::storage {

Statement::Statement(Database& db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  db_.Check(rc, "cannot prepare statement");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, int64_t value) {
  db_.Check(sqlite3_bind_int64(stmt_, index, value), "bind failed");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  db_.Check(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      "bind failed");
  return *this;
}

Statement& Statement::Bind(int index, Blob value) {
  db_.Check(
      sqlite3_bind_blob64(stmt_, index, value.bytes.data(), value.bytes.size(), SQLITE_TRANSIENT),
      "bind failed");
  return *this;
}

Statement& Statement::Bind(int index, BorrowedText value) {
  db_.Check(sqlite3_bind_text64(stmt_, index, value.text.data(), value.text.size(), SQLITE_STATIC,
                                SQLITE_UTF8),
            "bind failed");
  return *this;
}

Statement& Statement::Bind(int index, std::optional<int64_t> value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  db_.Check(sqlite3_bind_null(stmt_, index), "bind failed");
  return *this;
}

Statement& Statement::BindOptional(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Statement& Statement::BindFrom(int index, const Statement& row, int column) {
  db_.Check(sqlite3_bind_value(stmt_, index, sqlite3_column_value(row.stmt_, column)),
            "bind failed");
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.Fail(rc, "database statement failed");
}

void Statement::Run() {
  while (Step()) {
  }
}

void Statement::Reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(static_cast<const char*>(p), n) : std::string();
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<int64_t> Statement::OptInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

}  // namespace mano::storage
