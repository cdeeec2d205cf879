// Salvage of a damaged database: every row that can still be read is copied, table by
// table and row by row in rowid order, into a fresh database with the same schema.
// Unreadable regions are skipped with growing rowid jumps, so one bad page costs only the
// rows on it. (Debian 12's libsqlite3 does not export sqlite3_recover.)
#pragma once

#include <vector>

#include "mano/storage/records.h"

namespace mano::storage {

class Database;

// Copies rows of every table that exists in `to` from `from` into `to`, inside one
// transaction on `to`. Never throws for read failures in `from` (they are counted);
// throws StoreError only if `to` cannot be written.
std::vector<TableRecovery> CopyReadableRows(Database& from, Database& to);

}  // namespace mano::storage
