#include <sqlite3.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "mano/storage/sha256.h"
#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::ReadFileBytes;
using mano::storage::test::TempDir;
using mano::storage::test::TestAssignment;
namespace fs = std::filesystem;

namespace {

int ModeOf(const std::string& path) {
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// The first schema with the assignments' title column.
constexpr int kTitleSchema = 5;

std::string FixturePath(int version) {
  const char* src = std::getenv("MANO_SOURCE_DIR");
  std::string root = src ? src : MANO_TEST_SOURCE_DIR;
  return root + "/tests/storage/fixtures/v" + std::to_string(version) + ".db";
}

void RawExec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

// A copy of fixture v<version>, changed by `sql` (what that version's mano wrote), opened
// and so migrated to the current schema.
Store OpenMigrated(TempDir& tmp, int version, const char* sql) {
  const std::string path = tmp.File("mano.db");
  fs::copy_file(FixturePath(version), path);
  RawExec(path, sql);
  Store s = Store::OpenFile(path);
  CHECK(s.report().schema_from == version);
  CHECK(s.report().schema_to == Store::kSchemaVersion);
  return s;
}

}  // namespace

TEST_CASE("Open creates a private folder and file in WAL mode", "[unit]") {
  TempDir tmp;
  std::string dir = tmp.File("data/mano");
  Store s = Store::Open(dir);
  CHECK(s.report().created);
  CHECK(s.report().schema_to == Store::kSchemaVersion);
  CHECK(s.report().recovered_from.empty());
  CHECK(s.path() == dir + "/mano.db");
  CHECK(ModeOf(dir) == 0700);
  CHECK(ModeOf(s.path()) == 0600);
  CHECK(ModeOf(s.path() + "-wal") == 0600);
  CHECK(s.TEST_IntegrityCheck() == "ok");
  CHECK(s.AssetsDir() == dir + "/assets");
}

TEST_CASE("Every earlier schema fixture opens and migrates to the current version", "[unit]") {
  for (int v = 1; v <= Store::kSchemaVersion; ++v) {
    INFO("fixture v" << v);
    REQUIRE(fs::exists(FixturePath(v)));
    TempDir tmp;
    fs::copy_file(FixturePath(v), tmp.File("mano.db"));
    Store s = Store::Open(tmp.path());
    CHECK(s.report().schema_from == v);
    CHECK(s.report().schema_to == Store::kSchemaVersion);
    CHECK_FALSE(s.report().created);
    auto a = s.FindAssignment("alice", "fixture-1");
    REQUIRE(a);
    CHECK(a->state == AssignmentState::kQueued);
    CHECK(s.LatestCheckpoint(a->id)->content == "second draft");
    CHECK(s.CheckpointHistory(a->id).size() == 2);
    CHECK(s.PendingResults("alice").size() == 1);
    // Schema 4: the outbox row knows its kind and server id (copied from the assignment).
    CHECK(s.PendingResults("alice")[0].kind == "rating");
    CHECK(s.PendingResults("alice")[0].server_id == "fixture-1");
    CHECK(s.ListEvents("alice").size() == 1);
    bool legacy_time = false;  // the ledger still reads old "active_time" entries
    for (const auto& e : s.ListJournal())
      legacy_time |= e.type == "active_time" && e.payload == R"({"ms":42000,"paid":true})";
    CHECK(legacy_time);
    CHECK(s.VerifyJournal().ok);
    CHECK(s.TEST_IntegrityCheck() == "ok");
    s.SaveCheckpoint(a->id, "after migration", "");
    if (v >= 2) {  // a receipt of a signed batch
      auto done = s.FindAssignment("alice", "fixture-2");
      REQUIRE(done);
      auto receipt = s.GetReceipt(done->id);
      REQUIRE(receipt);
      CHECK(receipt->raw == "{raw}");
      auto batch = s.GetReceiptBatch(receipt->batch_id);
      REQUIRE(batch);
      CHECK(batch->canonical == "batch-bytes\n");
      CHECK(batch->signature == "batch-signature");
      // Schema 3: "acknowledged" became the receipt's own state.
      CHECK(done->state == AssignmentState::kAccepted);
    }
    if (v >= 3) {
      auto late = s.FindAssignment("alice", "fixture-3");
      REQUIRE(late);
      CHECK(late->state == AssignmentState::kLateRefused);
      CHECK(late->state_reason == "after the deadline");
      auto revoked = s.FindAssignment("alice", "fixture-4");
      REQUIRE(revoked);
      CHECK(revoked->state == AssignmentState::kRevoked);
      CHECK(revoked->state_reason == "duplicate work");
      CHECK(s.GetAccount("alice")->worker == "w-alice");
      CHECK(s.GetSyncState("alice").auth_refused_ms == 1'790'000'004'000);
    } else {
      CHECK(s.GetAccount("alice")->worker.empty());
      CHECK(s.GetSyncState("alice").auth_refused_ms == 0);
    }
    // The title column (schema 5 once merged after the outbox's 4): kept from its fixture on.
    CHECK(a->title == (v >= kTitleSchema ? "Fixture one" : ""));
  }
}

TEST_CASE("Migrating to schema 3 gives every receipt its own state, with the server's words",
          "[unit]") {
  TempDir tmp;
  const std::string path = tmp.File("mano.db");
  fs::copy_file(FixturePath(2), path);
  // What schema 2 mano wrote for refused results: "acknowledged", whatever the receipt said;
  // and rows in the states nothing set ("finished", "sent"), and a rejection.
  RawExec(path,
          "INSERT INTO assignments(account, server_id, task_id, kind, payload, assets, "
          "deadline_server_ms, reward_micros, currency, state, claimed_at_ms, updated_ms) "
          "SELECT account, server_id || '-' || v.s, task_id, kind, payload, assets, "
          "deadline_server_ms, reward_micros, currency, 'acknowledged', claimed_at_ms, updated_ms "
          "FROM assignments, (SELECT 'late' AS s UNION SELECT 'gone' UNION SELECT 'dup') v "
          "WHERE server_id = 'fixture-2';"
          "INSERT INTO receipts(assignment_id, outbox_id, idempotency_key, status, "
          "server_time_ms, signature, raw, received_ms) SELECT id, 0, server_id, "
          "CASE server_id WHEN 'fixture-2-late' THEN 'late_refused' WHEN 'fixture-2-gone' "
          "THEN 'not_found' ELSE 'duplicate' END, 5, '', "
          "CASE server_id WHEN 'fixture-2-late' THEN '{\"s\":\"late_refused\",\"e\":\"too "
          "late\"}' ELSE 'not json' END, 6 FROM assignments WHERE server_id LIKE 'fixture-2-%';"
          "UPDATE assignments SET state = 'finished' WHERE server_id = 'fixture-1';"
          "INSERT INTO assignments(account, server_id, task_id, kind, payload, assets, "
          "deadline_server_ms, reward_micros, currency, state, claimed_at_ms, updated_ms) "
          "SELECT account, 'sent-1', task_id, kind, payload, assets, deadline_server_ms, "
          "reward_micros, currency, 'sent', claimed_at_ms, updated_ms FROM assignments "
          "WHERE server_id = 'fixture-2';"
          "INSERT INTO assignments(account, server_id, task_id, kind, payload, assets, "
          "deadline_server_ms, reward_micros, currency, state, claimed_at_ms, updated_ms) "
          "SELECT account, 'rej-1', task_id, kind, payload, assets, deadline_server_ms, "
          "reward_micros, currency, 'rejected', claimed_at_ms, updated_ms FROM assignments "
          "WHERE server_id = 'fixture-2';"
          "INSERT INTO events(account, seq, type, assignment_server_id, payload, server_time_ms, "
          "received_ms) VALUES('alice', 7, 'rejected', 'rej-1', "
          "'{\"type\":\"rejected\",\"reason\":\"blurry boxes\"}', 1, 2);");
  Store s = Store::OpenFile(path);
  CHECK(s.report().schema_from == 2);
  CHECK(s.report().schema_to == Store::kSchemaVersion);
  auto state = [&](const char* id) { return s.FindAssignment("alice", id)->state; };
  CHECK(state("fixture-2") == AssignmentState::kAccepted);
  CHECK(state("fixture-2-late") == AssignmentState::kLateRefused);
  CHECK(s.FindAssignment("alice", "fixture-2-late")->state_reason == "too late");
  CHECK(state("fixture-2-gone") == AssignmentState::kNotFound);
  CHECK(s.FindAssignment("alice", "fixture-2-gone")->state_reason.empty());
  CHECK(state("fixture-2-dup") == AssignmentState::kAccepted);
  CHECK(state("fixture-1") == AssignmentState::kInProgress);
  CHECK(state("sent-1") == AssignmentState::kQueued);
  CHECK(state("rej-1") == AssignmentState::kRejected);
  CHECK(s.FindAssignment("alice", "rej-1")->state_reason == "blurry boxes");
  // Every row reads (no unknown state name is left behind).
  CHECK(s.ListAssignments().size() == 7);
  CHECK(s.ListAssignmentSummaries({}).total == 7);
  CHECK(s.TEST_IntegrityCheck() == "ok");
}

TEST_CASE("Migrating to the title column copies each stored form's title", "[unit]") {
  TempDir tmp;
  // What schema 3 mano stored: the form in the payload, the title read from it by the
  // listing; a payload that is not JSON, and a title that is not text, listed without one.
  Store s = OpenMigrated(
      tmp, 3,
      "UPDATE assignments SET payload = CASE server_id "
      "WHEN 'fixture-1' THEN '{\"form\":{\"title\":\"Rate the café ☕\",\"fields\":[]}}' "
      "WHEN 'fixture-2' THEN '{not json' "
      "WHEN 'fixture-3' THEN '{\"form\":{\"title\":7}}' ELSE payload END;");
  CHECK(s.FindAssignment("alice", "fixture-1")->title == "Rate the café ☕");
  CHECK(s.FindAssignment("alice", "fixture-2")->title.empty());
  CHECK(s.FindAssignment("alice", "fixture-3")->title.empty());
  ListingQuery query;
  query.ids = {s.FindAssignment("alice", "fixture-1")->id};
  CHECK(s.ListAssignmentSummaries(query).rows.at(0).title == "Rate the café ☕");
  CHECK(s.TEST_IntegrityCheck() == "ok");
}

TEST_CASE("Migrating to schema 2 keeps receipts signed one by one, with no batch", "[unit]") {
  TempDir tmp;
  // A v1 store whose result was acknowledged (written as v1 mano did).
  Store s = OpenMigrated(tmp, 1,
                         "INSERT INTO receipts(assignment_id, outbox_id, idempotency_key, status, "
                         "server_time_ms, signature, raw, received_ms) SELECT assignment_id, id, "
                         "idempotency_key, 'accepted', 5, 'old-sig', '{old}', 6 FROM outbox;"
                         "UPDATE outbox SET state = 'acknowledged'");
  auto a = s.FindAssignment("alice", "fixture-1");
  REQUIRE(a);
  auto receipt = s.GetReceipt(a->id);
  REQUIRE(receipt);
  CHECK(receipt->signature == "old-sig");
  CHECK(receipt->raw == "{old}");
  CHECK(receipt->batch_id == 0);
  // The new table works in the migrated file.
  int64_t b = s.UpsertAssignment(TestAssignment("alice", "after"));
  s.EnqueueResult(b, "after-key", "body", "hash");
  CHECK(s.ApplyReceipts("alice", {{"after-key", "accepted", 7, "", "{new}", 0, 0}},
                        ReceiptBatch{0, "alice", "bytes", "sig", 0}) == 1);
  CHECK(s.GetReceiptBatch(s.GetReceipt(b)->batch_id)->canonical == "bytes");
  CHECK(s.TEST_IntegrityCheck() == "ok");
}

TEST_CASE("A database from a newer schema is refused and left byte-for-byte unchanged", "[unit]") {
  TempDir tmp;
  std::string path = tmp.File("mano.db");
  fs::copy_file(FixturePath(1), path);
  RawExec(path, "PRAGMA user_version = 99");
  std::string before = ReadFileBytes(path);
  try {
    Store::OpenFile(path);
    FAIL("newer schema accepted");
  } catch (const StoreError& e) {
    CHECK(e.kind() == StoreError::Kind::kNewerSchema);
    CHECK(std::string(e.what()).find(path) != std::string::npos);
    CHECK(std::string(e.what()).find("99") != std::string::npos);
  }
  CHECK(ReadFileBytes(path) == before);
  CHECK_FALSE(fs::exists(path + "-wal"));
}

namespace {

// A store with enough rows to span many pages.
void FillManyRows(const std::string& dir, int n) {
  Store s = Store::Open(dir);
  s.AddAccount(mano::storage::test::TestAccount());
  for (int i = 0; i < n; ++i) {
    int64_t id = s.UpsertAssignment(TestAssignment("alice", "srv-" + std::to_string(i)));
    s.SaveCheckpoint(id, std::string(700, char('a' + i % 26)) + std::to_string(i), "p");
  }
}

void Scribble(const std::string& path, int64_t page, int pages, uint32_t seed) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  std::mt19937 rng(seed);
  std::string junk(4096 * pages, '\0');
  for (char& c : junk) c = static_cast<char>(rng());
  f.seekp(page * 4096);
  f.write(junk.data(), junk.size());
}

}  // namespace

TEST_CASE("A damaged file is moved aside and its readable rows recovered", "[unit]") {
  TempDir tmp;
  FillManyRows(tmp.path(), 200);
  std::string path = tmp.File("mano.db");
  auto pages = fs::file_size(path) / 4096;
  REQUIRE(pages > 20);
  Scribble(path, pages / 2, 2, 7);
  std::string damaged = ReadFileBytes(path);

  Store s = Store::Open(tmp.path());
  const OpenReport& r = s.report();
  REQUIRE_FALSE(r.recovered_from.empty());
  CHECK_FALSE(r.damage.empty());
  CHECK(r.recovered_from.rfind(path + ".damaged-", 0) == 0);
  CHECK(ReadFileBytes(r.recovered_from) == damaged);  // kept, never deleted or changed
  int64_t assignments = 0, lost = 0, checkpoints = 0;
  for (const auto& t : r.tables) {
    if (t.table == "assignments") assignments = t.recovered;
    if (t.table == "checkpoints") checkpoints = t.recovered;
    lost += t.lost;
  }
  CHECK(assignments > 100);
  CHECK(checkpoints > 100);
  CHECK(lost > 0);
  CHECK(assignments + checkpoints < 400);
  CHECK(s.TEST_IntegrityCheck() == "ok");
  CHECK(ModeOf(path) == 0600);
  // Every recovered checkpoint is intact, and the store keeps working.
  for (const auto& a : s.ListAssignments()) {
    if (auto c = s.LatestCheckpoint(a.id)) CHECK(c->sha256 == mano::storage::Sha256Hex(c->content));
  }
  REQUIRE(s.GetAccount("alice"));
  int64_t id = s.UpsertAssignment(TestAssignment("alice", "new"));
  CHECK(s.SaveCheckpoint(id, "after recovery", "").written);
}

TEST_CASE("A file with a destroyed header is moved aside and a fresh one made", "[unit]") {
  TempDir tmp;
  FillManyRows(tmp.path(), 5);
  std::string path = tmp.File("mano.db");
  Scribble(path, 0, 1, 11);
  Store s = Store::Open(tmp.path());
  CHECK_FALSE(s.report().recovered_from.empty());
  CHECK(fs::exists(s.report().recovered_from));
  CHECK(s.TEST_IntegrityCheck() == "ok");
  CHECK(s.ListAccounts().empty());  // nothing readable: the header named no tables
}

TEST_CASE("An in-memory store works for unit tests of code built on it", "[unit]") {
  Store s = Store::OpenFile(":memory:");
  s.AddAccount(mano::storage::test::TestAccount());
  int64_t id = s.UpsertAssignment(TestAssignment());
  CHECK(s.SaveCheckpoint(id, "x", "").written);
  CHECK(s.LatestCheckpoint(id)->content == "x");
  CHECK(s.report().created);
}

TEST_CASE("OpenFile leaves an existing folder's permissions alone", "[unit]") {
  TempDir tmp;
  std::string dir = tmp.File("shared");
  fs::create_directory(dir);
  ::chmod(dir.c_str(), 0755);
  Store s = Store::OpenFile(dir + "/x.db");
  CHECK(ModeOf(dir) == 0755);
  CHECK(ModeOf(dir + "/x.db") == 0600);
}

TEST_CASE("A newer schema committed only in the WAL is refused and the file left unchanged",
          "[unit]") {
  TempDir tmp;
  std::string path = tmp.File("mano.db");
  fs::copy_file(FixturePath(1), path);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  REQUIRE(sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA user_version = 42", nullptr, nullptr,
                       nullptr) == SQLITE_OK);
  sqlite3_close(db);
  REQUIRE(fs::exists(path + "-wal"));
  std::string before = ReadFileBytes(path);
  std::string wal_before = ReadFileBytes(path + "-wal");
  CHECK_THROWS_MATCHES(Store::OpenFile(path), StoreError,
                       Catch::Predicate<StoreError>([](const StoreError& e) {
                         return e.kind() == StoreError::Kind::kNewerSchema;
                       }));
  CHECK(ReadFileBytes(path) == before);
  CHECK(ReadFileBytes(path + "-wal") == wal_before);
}
