#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::TestAssignment;

namespace {

// Tampers with the database behind the store's back, as an editor of the file would.
void Tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

// Five entries: 1 (claim of the assignment) + 4 appended.
int64_t FillJournal(Store& s) {
  int64_t id = s.UpsertAssignment(TestAssignment());
  s.AppendJournal("alice", id, "note", R"({"n":1})");
  s.TEST_AddLegacyActiveTime("alice", id, 60'000, true);
  s.TEST_AddLegacyActiveTime("alice", std::nullopt, 5'000, false);
  s.AppendJournal("alice", std::nullopt, "note", R"({"n":2})");
  return id;
}

}  // namespace

TEST_CASE("Journal entries are chained and verify", "[unit]") {
  Fixture f;
  FillJournal(f.store);
  auto entries = f.store.ListJournal();
  REQUIRE(entries.size() == 5);
  CHECK(entries[0].prev_hash == std::string(64, '0'));
  for (size_t i = 1; i < entries.size(); ++i) {
    CHECK(entries[i].seq == entries[i - 1].seq + 1);
    CHECK(entries[i].prev_hash == entries[i - 1].hash);
  }
  auto check = f.store.VerifyJournal();
  CHECK(check.ok);
  CHECK(check.entries == 5);
  CHECK(f.store.ListJournal(3, 1).front().seq == 4);
}

TEST_CASE("A legacy active time is the journal entry old mano wrote", "[unit]") {
  Fixture f;
  int64_t id = FillJournal(f.store);
  f.store.TEST_AddLegacyActiveTime("alice", id, 1'000, false);
  auto entries = f.store.ListJournal();
  REQUIRE_FALSE(entries.empty());
  CHECK(entries.back().type == "active_time");
  CHECK(entries.back().assignment_id == id);
  CHECK(entries.back().payload == R"({"ms":1000,"paid":false})");
  CHECK(f.store.VerifyJournal().ok);
  CHECK_THROWS_AS(f.store.TEST_AddLegacyActiveTime("alice", id, -1, true), StoreError);
}

TEST_CASE("VerifyJournal detects changed, deleted, reordered entries and a cut tail", "[unit]") {
  Fixture f;
  FillJournal(f.store);
  std::string path = f.store.path();
  f.store = f.Open();

  SECTION("changed payload") {
    Tamper(path, "UPDATE journal SET payload = '{\"n\":9}' WHERE seq = 2");
    auto c = f.store.VerifyJournal();
    CHECK_FALSE(c.ok);
    CHECK(c.first_bad_seq == 2);
  }
  SECTION("changed hash") {
    Tamper(path, "UPDATE journal SET hash = 'f00d' WHERE seq = 3");
    CHECK(f.store.VerifyJournal().first_bad_seq == 3);
  }
  SECTION("deleted middle entry") {
    Tamper(path, "DELETE FROM journal WHERE seq = 3");
    auto c = f.store.VerifyJournal();
    CHECK_FALSE(c.ok);
    CHECK(c.first_bad_seq == 3);
  }
  SECTION("reordered entries") {
    Tamper(path,
           "UPDATE journal SET seq = 100 WHERE seq = 2; UPDATE journal SET seq = 2 WHERE seq = 3;"
           "UPDATE journal SET seq = 3 WHERE seq = 100");
    CHECK(f.store.VerifyJournal().first_bad_seq == 2);
  }
  SECTION("deleted tail is caught by the head row") {
    Tamper(path, "DELETE FROM journal WHERE seq >= 4");
    auto c = f.store.VerifyJournal();
    CHECK_FALSE(c.ok);
    CHECK(c.first_bad_seq == 4);
  }
  SECTION("untouched") { CHECK(f.store.VerifyJournal().ok); }
}
