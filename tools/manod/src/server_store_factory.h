// OpenServerStore: the ServerStore a manod command's --db argument names. A postgresql:// or
// postgres:// URL opens PgServerStore; anything else is a SQLite file (SqliteServerStore).
// Errors: what the store's constructor throws (no database, no schema, cannot connect).
#pragma once

#include <memory>
#include <string>

#include "server_store.h"

namespace mano::manod {

// With `create`, creates the store's schema (and, for SQLite, the file).
std::unique_ptr<ServerStore> OpenServerStore(const std::string& db, bool create);

// True when `db` already holds a manod store (a file exists; a database has the schema).
bool ServerStoreExists(const std::string& db);

}  // namespace mano::manod
