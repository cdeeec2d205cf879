#include "recovery.h"

#include <cstdint>
#include <limits>
#include <string>

#include "database.h"
#include "mano/storage/store_error.h"
#include "transaction.h"

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
  std::unique_ptr<Statement> read;
  try {
    read = std::make_unique<Statement>(
        from, "SELECT rowid" + list + " FROM " + Quote(table) + " WHERE rowid >= ? ORDER BY rowid");
  } catch (const StoreError&) {
    result.lost = expected > 0 ? expected : 1;  // the table itself is unreadable
    return result;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t next = std::numeric_limits<int64_t>::min();
  int64_t skip = 1;
  int64_t regions = 0;
  while (true) {
    read->Reset();
    read->Bind(1, next);
    try {
      while (read->Step()) {
        int64_t rowid = read->Int(0);
        insert.Reset();
        insert.Bind(1, rowid);
        for (size_t c = 0; c < cols.size(); ++c) insert.BindFrom(int(c) + 2, *read, int(c) + 1);
        try {
          insert.Run();
          ++result.recovered;
        } catch (const StoreError&) {
          ++result.lost;
        }
        skip = 1;
        if (rowid == kMax) return result;
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
