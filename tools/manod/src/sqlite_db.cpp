#include "sqlite_db.h"

#include <sqlite3.h>

namespace mano::manod {

SqliteDb::SqliteDb(const std::string& path, bool create)
    : storage::Database(path, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), "") {
  sqlite3_busy_timeout(handle(), 5000);
}

}  // namespace mano::manod
