#include "recovery.h"

#include <cstdint>
#include <limits>
#include <string>

#include "mano/storage/database.h"
#include "mano/storage/store_error.h"
#include "mano/storage/transaction.h"

namespace mano::storage {
namespace {

std::vector<std::string> TablesOf(Database& db) {
  std::vector<std::string> names;
  Statement s(db,
              "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
              "ORDER BY name");
  while (s.Step()) names.push_back(s.Text(0));
  return names;
}

std::vector<std::string> ColumnsOf(Database& db, const std::string& table) {
  std::vector<std::string> cols;
  Statement s(db, "SELECT name FROM pragma_table_info(?)");
  s.Bind(1, table);
  while (s.Step()) cols.push_back(s.Text(0));
  return cols;
}

std::string Quote(const std::string& ident) { return "\"" + ident + "\""; }

TableRecovery CopyTable(Database& from, Database& to, const std::string& table) {
  TableRecovery result{table, 0, 0};
  auto cols = ColumnsOf(to, table);
  std::string list, params;
  for (size_t i = 0; i < cols.size(); ++i) {
    list += ", " + Quote(cols[i]);
    params += ", ?";
  }
  Statement insert(
      to, "INSERT OR IGNORE INTO " + Quote(table) + "(rowid" + list + ") VALUES(?" + params + ")");
  int64_t expected = -1;
  try {
    Statement count(from, "SELECT count(*) FROM " + Quote(table));
    if (count.Step()) expected = count.Int(0);
  } catch (const StoreError&) {
  }
  std::unique_ptr<Statement> up, down;
  try {
    std::string select = "SELECT rowid" + list + " FROM " + Quote(table);
    up = std::make_unique<Statement>(from, select + " WHERE rowid >= ?1 ORDER BY rowid");
    down = std::make_unique<Statement>(
        from, select + " WHERE rowid < ?1 AND rowid > ?2 ORDER BY rowid DESC");
  } catch (const StoreError&) {
    result.lost = expected > 0 ? expected : 1;  // the table itself is unreadable
    return result;
  }
  auto copy_row = [&](Statement& row) {
    insert.Reset();
    for (size_t c = 0; c <= cols.size(); ++c) insert.BindFrom(int(c) + 1, row, int(c));
    try {
      insert.Run();
      ++result.recovered;
    } catch (const StoreError&) {
      ++result.lost;
    }
  };
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t done = 0;  // every rowid <= done was copied or given up (rowids start at 1)
  int64_t next = 1;
  int64_t skip = 1;
  int64_t regions = 0;
  while (true) {
    // After a jump, read the skipped gap backwards from the far side until it fails, so a
    // bad page costs only its own rows.
    if (next > done + 1) {
      down->Reset();
      down->BindAll(next, done);
      try {
        while (down->Step()) copy_row(*down);
      } catch (const StoreError&) {
      }
    }
    done = next - 1;
    up->Reset();
    up->Bind(1, next);
    try {
      while (up->Step()) {
        int64_t rowid = up->Int(0);
        copy_row(*up);
        skip = 1;
        if (rowid == kMax) return result;
        done = rowid;
        next = rowid + 1;
      }
      break;  // reached the end of the table
    } catch (const StoreError& e) {
      if (e.kind() != StoreError::Kind::kCorrupt && e.kind() != StoreError::Kind::kIo) throw;
      // Unreadable region: jump over it, further each time it keeps failing.
      ++regions;
      if (next > kMax - skip) break;
      next += skip;
      skip = skip > kMax / 2 ? kMax : skip * 2;
    }
  }
  if (expected >= 0)
    result.lost += std::max<int64_t>(0, expected - result.recovered);
  else
    result.lost += regions;
  return result;
}

}  // namespace

std::vector<TableRecovery> CopyReadableRows(Database& from, Database& to) {
  std::vector<TableRecovery> results;
  Transaction tx(to);
  for (const auto& table : TablesOf(to)) results.push_back(CopyTable(from, to, table));
  tx.Commit();
  return results;
}

}  // namespace mano::storage
