#include "mano/storage/database.h"

#include <sqlite3.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "mano/storage/store_error.h"
#include "mano/storage/transaction.h"

namespace mano::storage {

StoreError::Kind StoreErrorKindFor(int rc, int system_errno) {
  using K = StoreError::Kind;
  const int primary = rc & 0xff;
  if (system_errno == ENOSPC || system_errno == EDQUOT) return K::kFull;
  if ((system_errno == EROFS || system_errno == EACCES || system_errno == EPERM) &&
      (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY))
    return K::kReadOnly;
  // The primary result codes that name a kind (0, SQLITE_OK, fills a row); any other is kIo.
  static constexpr std::pair<K, std::array<int, 3>> kKinds[] = {
      {K::kFull, {SQLITE_FULL}},
      {K::kReadOnly, {SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH}},
      {K::kCorrupt, {SQLITE_CORRUPT, SQLITE_NOTADB}},
      {K::kConstraint, {SQLITE_CONSTRAINT}},
      {K::kBusy, {SQLITE_BUSY, SQLITE_LOCKED}},
      {K::kInvalidArgument, {SQLITE_MISUSE, SQLITE_RANGE, SQLITE_TOOBIG}},
  };
  for (const auto& [kind, codes] : kKinds)
    if (primary != SQLITE_OK && std::find(codes.begin(), codes.end(), primary) != codes.end())
      return kind;
  return K::kIo;
}

namespace {

// A file: URI for `path` with `query`: '%', '?' and '#' escaped.
std::string FileUri(const std::string& path, const char* query) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      uri += buf;
    } else {
      uri += c;
    }
  }
  return uri + "?" + query;
}

}  // namespace

Database::Database(const std::string& path, int flags, const std::string& vfs,
                   const char* uri_query)
    : path_(path), vfs_(sqlite3_vfs_find(vfs.empty() ? nullptr : vfs.c_str())) {
  std::string name = uri_query ? FileUri(path, uri_query) : path;
  if (uri_query) flags |= SQLITE_OPEN_URI;
  int rc = sqlite3_open_v2(name.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX,
                           vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    // Report before closing: the handle carries the message and errno.
    try {
      Fail(rc, "cannot open database");
    } catch (...) {
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw;
    }
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  cache_.clear();  // finalize statements before closing
  if (db_) sqlite3_close_v2(db_);
}

void Database::Check(int rc, std::string_view what) const {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  Fail(rc, what);
}

// SQLite records the OS error only on some paths (not for a failed COMMIT); ask the VFS
// as SQLite itself would, and check whether the file system has gone read-only or full.
int Database::SystemErrno(int rc) const {
  int sys = db_ ? sqlite3_system_errno(db_) : 0;
  int primary = rc & 0xff;
  if (sys != 0 || (primary != SQLITE_IOERR && primary != SQLITE_CANTOPEN)) return sys;
  if (vfs_ && vfs_->xGetLastError) sys = vfs_->xGetLastError(vfs_, 0, nullptr);
  if (sys == EROFS || sys == ENOSPC || sys == EDQUOT || sys == EACCES) return sys;
  std::string folder = std::filesystem::path(path_).parent_path().string();
  struct statvfs fsinfo;
  if (::statvfs(folder.empty() ? "." : folder.c_str(), &fsinfo) == 0) {
    if (fsinfo.f_flag & ST_RDONLY) return EROFS;
    if (fsinfo.f_bavail == 0) return ENOSPC;
  }
  return sys;
}

void Database::Fail(int rc, std::string_view what) const {
  int sys = SystemErrno(rc);
  auto kind = StoreErrorKindFor(rc, sys);
  std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  std::string msg = std::string(what) + ": ";
  switch (kind) {
    case StoreError::Kind::kFull:
      msg += "the disk is full";
      break;
    case StoreError::Kind::kReadOnly:
      msg += "the database or its folder is read-only";
      break;
    case StoreError::Kind::kCorrupt:
      msg += "the database file is damaged";
      break;
    default:
      msg += detail;
  }
  msg += " (" + path_ + ")";
  if (kind == StoreError::Kind::kFull || kind == StoreError::Kind::kReadOnly ||
      kind == StoreError::Kind::kCorrupt)
    msg += " [" + detail + "]";
  throw StoreError(kind, msg, path_);
}

void Database::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  Check(rc, "database statement failed");
}

int64_t Database::QueryInt(std::string_view sql) {
  Statement s(*this, sql);
  return s.Step() ? s.Int(0) : 0;
}

StatementUse Database::Prepare(const char* sql) {
  auto it = cache_.find(std::string_view(sql));
  if (it == cache_.end())
    it = cache_.emplace(std::string(sql), std::make_unique<Statement>(*this, sql)).first;
  return StatementUse(*it->second);
}

bool Database::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
int64_t Database::Changes() const { return sqlite3_changes(db_); }
int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

Transaction::Transaction(Database& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_ && db_.InTransaction())
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

}  // namespace mano::storage
