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

TEST_CASE_METHOD(Fixture, "Journal entries are chained and verify", "[unit]") {
  FillJournal(store);
  auto entries = store.ListJournal();
  REQUIRE(entries.size() == 5);
  CHECK(entries[0].prev_hash == std::string(64, '0'));
  for (size_t i = 1; i < entries.size(); ++i) {
    CHECK(entries[i].seq == entries[i - 1].seq + 1);
    CHECK(entries[i].prev_hash == entries[i - 1].hash);
  }
  auto check = store.VerifyJournal();
  CHECK(check.ok);
  CHECK(check.entries == 5);
  CHECK(store.ListJournal(3, 1).front().seq == 4);
}

TEST_CASE_METHOD(Fixture, "ForEachJournalEntry visits the entries in order and may take them",
                 "[unit]") {
  FillJournal(store);
  const auto listed = store.ListJournal();
  std::vector<JournalEntry> taken;
  store.ForEachJournalEntry([&](JournalEntry& e) { taken.push_back(std::move(e)); });
  REQUIRE(taken.size() == listed.size());
  for (size_t i = 0; i < taken.size(); ++i) {
    CHECK(taken[i].seq == listed[i].seq);
    CHECK(taken[i].hash == listed[i].hash);
    CHECK(taken[i].payload == listed[i].payload);
  }
}

TEST_CASE_METHOD(Fixture, "A legacy active time is the journal entry old mano wrote", "[unit]") {
  int64_t id = FillJournal(store);
  store.TEST_AddLegacyActiveTime("alice", id, 1'000, false);
  auto entries = store.ListJournal();
  REQUIRE_FALSE(entries.empty());
  CHECK(entries.back().type == "active_time");
  CHECK(entries.back().assignment_id == id);
  CHECK(entries.back().payload == R"({"ms":1000,"paid":false})");
  CHECK(store.VerifyJournal().ok);
  CHECK_THROWS_AS(store.TEST_AddLegacyActiveTime("alice", id, -1, true), StoreError);
}

TEST_CASE_METHOD(Fixture,
                 "VerifyJournal detects changed, deleted, reordered entries and a cut tail",
                 "[unit]") {
  struct Tampering {
    const char* what;
    const char* sql;
    int64_t first_bad_seq;
  };
  // Each row runs on a fresh fixture.
  const Tampering t = GENERATE(values<Tampering>({
      {"changed payload", "UPDATE journal SET payload = '{\"n\":9}' WHERE seq = 2", 2},
      {"changed hash", "UPDATE journal SET hash = 'f00d' WHERE seq = 3", 3},
      {"deleted middle entry", "DELETE FROM journal WHERE seq = 3", 3},
      {"reordered entries",
       "UPDATE journal SET seq = 100 WHERE seq = 2; UPDATE journal SET seq = 2 WHERE seq = 3;"
       "UPDATE journal SET seq = 3 WHERE seq = 100",
       2},
      {"deleted tail is caught by the head row", "DELETE FROM journal WHERE seq >= 4", 4},
  }));
  INFO(t.what);
  FillJournal(store);
  std::string path = store.path();
  store = Open();
  CHECK(store.VerifyJournal().ok);  // untouched
  Tamper(path, t.sql);
  auto c = store.VerifyJournal();
  CHECK_FALSE(c.ok);
  CHECK(c.first_bad_seq == t.first_bad_seq);
}
