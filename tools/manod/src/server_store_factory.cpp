#include "server_store_factory.h"

#include <unistd.h>

#include "pg_db.h"
#include "pg_server_store.h"
#include "sqlite_server_store.h"

namespace mano::manod {

std::unique_ptr<ServerStore> OpenServerStore(const std::string& db, bool create) {
  if (IsPostgresUrl(db)) return std::make_unique<PgServerStore>(db, create);
  return std::make_unique<SqliteServerStore>(db, create);
}

bool ServerStoreExists(const std::string& db) {
  if (IsPostgresUrl(db)) return PgServerStore::HasSchema(db);
  return ::access(db.c_str(), F_OK) == 0;
}

}  // namespace mano::manod
