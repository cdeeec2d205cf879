// Schema versions and forward migrations. Version N is reached from an empty database by
// applying migrations 1..N in order, so recovery can rebuild a fresh file at the damaged
// file's own version before copying rows into it. Migrate() runs in ONE transaction.
#pragma once

namespace mano::storage {

class Database;

// The version this build writes (PRAGMA user_version).
constexpr int kCurrentSchema = 5;

// Applies migrations from `from` (exclusive) to `to` (inclusive) in one transaction and
// sets user_version = to. Throws StoreError; on failure the file is unchanged.
void Migrate(Database& db, int from, int to);

// Reads user_version from the first 100 bytes of the file without SQLite (so a file from
// a newer mano can be refused before SQLite touches it). -1 if unreadable or not SQLite.
int ReadUserVersionRaw(const char* path);

}  // namespace mano::storage
