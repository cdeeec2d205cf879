// Database, Statement and Transaction: the RAII SQLite layer under Store and manod's SQLite store.
#include "mano/storage/database.h"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <optional>
#include <string>

#include "mano/storage/store_error.h"
#include "mano/storage/transaction.h"
#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::TempDir;

namespace {

constexpr int kFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

}  // namespace

TEST_CASE("Transaction rolls back unless committed", "[unit]") {
  Database db(":memory:", kFlags, "");
  db.Exec("CREATE TABLE t(x INTEGER)");
  {
    Transaction tx(db);
    db.Prepare("INSERT INTO t(x) VALUES(?)")->BindAll(int64_t{1}).Run();
  }
  CHECK(db.QueryInt("SELECT count(*) FROM t") == 0);
  CHECK_FALSE(db.InTransaction());
  try {
    Transaction tx(db);
    db.Prepare("INSERT INTO t(x) VALUES(?)")->BindAll(int64_t{2}).Run();
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  CHECK(db.QueryInt("SELECT count(*) FROM t") == 0);
  {
    Transaction tx(db);
    db.Prepare("INSERT INTO t(x) VALUES(?)")->BindAll(int64_t{3}).Run();
    tx.Commit();
  }
  CHECK(db.QueryInt("SELECT sum(x) FROM t") == 3);
}

TEST_CASE("Cached statements are reset after use and bind every type", "[unit]") {
  Database db(":memory:", kFlags, "");
  db.Exec("CREATE TABLE t(i INTEGER, s TEXT, b BLOB, n INTEGER)");
  std::string bytes("\0\1\2", 3);
  db.Prepare("INSERT INTO t VALUES(?, ?, ?, ?)")
      ->BindAll(int64_t{7}, std::string("text"), Blob{bytes}, std::optional<int64_t>())
      .Run();
  for (int round = 0; round < 2; ++round) {  // the second use finds the statement reset
    auto s = db.Prepare("SELECT i, s, b, n, typeof(b) FROM t");
    REQUIRE(s->Step());
    CHECK(s->Int(0) == 7);
    CHECK(s->Text(1) == "text");
    CHECK(s->Text(2) == bytes);
    CHECK(s->IsNull(3));
    CHECK_FALSE(s->OptInt(3));
    CHECK(s->Text(4) == "blob");
    CHECK_FALSE(s->Step());
  }
}

TEST_CASE("Binds chain, NULLs bind, and Columns reads a row into typed fields", "[unit]") {
  Database db(":memory:", kFlags, "");
  db.Exec("CREATE TABLE t(i INTEGER, s TEXT, b BLOB, n TEXT, o INTEGER, f INTEGER)");
  Statement insert(db, "INSERT INTO t VALUES(?, ?, ?, ?, ?, ?)");
  const std::string bytes("a\0b", 3);
  insert.Bind(1, int64_t{42})
      .Bind(2, "text")
      .BindBlob(3, bytes)
      .BindOptional(4, std::nullopt)
      .BindNull(5)
      .Bind(6, true)
      .Run();
  insert.Reset();
  insert.BindAll(int64_t{7}, "x", Blob{""}).BindOptional(4, std::string("here")).Run();

  Statement read(db, "SELECT i, s, b, n, o, f FROM t ORDER BY i DESC");
  REQUIRE(read.Step());
  int64_t i = 0;
  std::string s, b;
  std::optional<std::string> n = "stale";
  std::optional<int64_t> o = 5;
  bool f = false;
  read.Columns(i, s, b, n, o, f);
  CHECK(i == 42);
  CHECK(s == "text");
  CHECK(b == bytes);
  CHECK_FALSE(n.has_value());
  CHECK_FALSE(o.has_value());
  CHECK(f);
  REQUIRE(read.Step());
  int small = 0;
  read.Columns(small, s, b, n);
  CHECK(small == 7);
  CHECK(n == std::optional<std::string>("here"));
  CHECK(read.IsNull(5));  // f was left unbound: NULL
  CHECK_FALSE(read.Step());
}

TEST_CASE("SQLite failures become StoreError with kind and path", "[unit]") {
  TempDir tmp;
  std::string path = tmp.File("x.db");
  Database db(path, kFlags, "");
  db.Exec("CREATE TABLE t(x INTEGER PRIMARY KEY)");
  db.Exec("INSERT INTO t VALUES(1)");
  try {
    db.Exec("INSERT INTO t VALUES(1)");
    FAIL("duplicate key accepted");
  } catch (const StoreError& e) {
    CHECK(e.kind() == StoreError::Kind::kConstraint);
    CHECK(e.path() == path);
    CHECK(std::string(e.what()).find(path) != std::string::npos);
  }
  CHECK_THROWS_AS(db.Exec("SELEKT nonsense"), StoreError);
  CHECK_THROWS_AS(Database(tmp.File("missing/dir/x.db"), SQLITE_OPEN_READWRITE, ""), StoreError);
}

TEST_CASE("Error kinds follow the SQLite code and the OS errno", "[unit]") {
  using K = StoreError::Kind;
  struct Case {
    int rc;
    int sys;  // the OS errno SQLite saw
    K want;
  };
  const Case cases[] = {
      {SQLITE_FULL, 0, K::kFull},
      {SQLITE_IOERR_WRITE, ENOSPC, K::kFull},
      {SQLITE_IOERR_WRITE, EROFS, K::kReadOnly},
      {SQLITE_CANTOPEN, EACCES, K::kReadOnly},
      {SQLITE_READONLY, 0, K::kReadOnly},
      {SQLITE_PERM, 0, K::kReadOnly},
      {SQLITE_AUTH, 0, K::kReadOnly},
      {SQLITE_CORRUPT, 0, K::kCorrupt},
      {SQLITE_NOTADB, 0, K::kCorrupt},
      {SQLITE_CONSTRAINT_UNIQUE, 0, K::kConstraint},
      {SQLITE_BUSY, 0, K::kBusy},
      {SQLITE_LOCKED_SHAREDCACHE, 0, K::kBusy},
      {SQLITE_MISUSE, 0, K::kInvalidArgument},
      {SQLITE_RANGE, 0, K::kInvalidArgument},
      {SQLITE_TOOBIG, 0, K::kInvalidArgument},
      {SQLITE_IOERR_FSYNC, EIO, K::kIo},
      {SQLITE_ERROR, 0, K::kIo},
      {SQLITE_CANTOPEN, 0, K::kIo},
  };
  for (const Case& c : cases) {
    INFO("rc " << c.rc << ", errno " << c.sys);
    CHECK(static_cast<K>(StoreErrorKindFor(c.rc, c.sys)) == c.want);
  }
  CHECK(ToString(K::kReadOnly) == "read-only");
}
