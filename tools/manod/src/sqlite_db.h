// manod's SQLite connection. The RAII layer itself is storage's (mano/storage/database.h,
// statement.h, transaction.h: one SQLite wrapper for the whole project); this header only
// opens a connection the way the server wants it and keeps the names manod's stores use.
//
//   SqliteDb          a storage::Database opened read-write (created when asked), with a
//                     5 s busy timeout so the server's reader connections wait for a writer.
//   SqliteStatement   = storage::Statement (binds chain: s.Bind(1, a).Bind(2, b).Run()).
//   SqliteTransaction = storage::Transaction (BEGIN IMMEDIATE; rolls back unless Commit()).
//
// Errors: every SQLite failure throws storage::StoreError (a std::runtime_error whose message
// names the database file). Thread safety: none; a SqliteDb and its statements belong to one
// thread at a time (SqliteServerStore holds a mutex).
#pragma once

#include <cstdint>
#include <string>

#include "mano/storage/database.h"
#include "mano/storage/statement.h"
#include "mano/storage/store_error.h"
#include "mano/storage/transaction.h"

namespace mano::manod {

class SqliteDb : public storage::Database {
 public:
  // Opens (and creates when `create` is true) the database file. Throws storage::StoreError.
  SqliteDb(const std::string& path, bool create);

  int64_t LastInsertRowId() const { return LastInsertId(); }
};

using SqliteStatement = storage::Statement;
using SqliteTransaction = storage::Transaction;

}  // namespace mano::manod
