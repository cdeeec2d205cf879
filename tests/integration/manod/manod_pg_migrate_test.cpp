// `manod migrate --from FILE.sqlite --to postgresql://...`: a store used on SQLite (claims,
// results, a review, a bonus) copied into a new PostgreSQL database, then served from there:
// the same export and assignments, the old tokens and receipts still good, replays answered
// from the copied receipts, new ids continuing after the old ones. And the PostgreSQL schema
// migrations on a database left at version 1.
#include "mano/sync/crypto_util.h"
#include "manod_fixture.h"

using namespace mano::test;
using mano::sync::ReceiptStatus;

namespace {

std::string RunOk(ManodProcess& server, const std::vector<std::string>& args) {
  std::string out, err;
  INFO("manod " << args[0] << ": " << err);
  REQUIRE(server.Run(args, &out, &err) == 0);
  return out;
}

}  // namespace

TEST_CASE("migrate copies a SQLite store into PostgreSQL, receipts key included") {
  ManodProcess::Options sqlite_options;
  // The sample tasks too: their images are assets, copied as chunks.
  sqlite_options.start = false;
  ManodProcess old_server(sqlite_options);
  REQUIRE(!old_server.postgres());
  old_server.Import(
      WriteFile(old_server.dir(), "tasks.jsonl", TaskLines("m", 6, "k", "refuse", 3600000)));
  old_server.Start();
  Client alice{Http(old_server.url()), old_server.Token("alice")};
  auto claim = alice.Claim("before", 4, "k");
  REQUIRE(claim.assignments.size() == 4);
  const std::string a0 = claim.assignments[0].id, a1 = claim.assignments[1].id;
  const auto r0 = alice.SubmitOne(a0, 4, a0 + ":1");
  const auto r1 = alice.SubmitOne(a1, 2, a1 + ":1");
  RunOk(old_server, {"review", "--db", old_server.db(), "--approve", a0});
  RunOk(old_server, {"review", "--db", old_server.db(), "--bonus", a1, "--amount", "0.5",
                     "--reason", "thanks"});
  const auto events_before = alice.Events();
  const std::string export_before =
      RunOk(old_server, {"export", "--db", old_server.db(), "--format", "jsonl"});
  const std::string assignments_before =
      RunOk(old_server, {"assignments", "--db", old_server.db(), "--json"});
  old_server.Stop();

  const std::string url = PostgresProcess::Shared().CreateDatabase();
  RunOk(old_server, {"migrate", "--from", old_server.db(), "--to", url});
  // Never into a database manod uses.
  CHECK(old_server.Run({"migrate", "--from", old_server.db(), "--to", url}) != 0);

  CHECK(RunOk(old_server, {"export", "--db", url, "--format", "jsonl"}) == export_before);
  CHECK(RunOk(old_server, {"assignments", "--db", url, "--json"}) == assignments_before);

  ManodProcess::Options pg_options;
  pg_options.db = url;
  pg_options.init = false;
  pg_options.workers.clear();
  pg_options.imports.clear();
  ManodProcess new_server(pg_options);
  Client moved{Http(new_server.url()), old_server.Token("alice")};  // the old token works
  auto verifier = VerifierFrom(moved.http);  // the same key: old receipts verify
  CHECK(verifier.Verify(r0));
  CHECK(verifier.Verify(r1));
  const auto replay = moved.SubmitOne(a0, 4, a0 + ":1");
  CHECK(replay.status == ReceiptStatus::kDuplicate);
  CHECK(replay.server_time == r0.server_time);
  CHECK(verifier.Verify(replay));
  const auto events_after = moved.Events();
  REQUIRE(events_after.events.size() == events_before.events.size());
  for (size_t i = 0; i < events_after.events.size(); ++i) {
    CHECK(events_after.events[i].seq == events_before.events[i].seq);
    CHECK(events_after.events[i].type == events_before.events[i].type);
  }
  // The claim replays, and new claims get new ids after the copied ones.
  CHECK(moved.Claim("before", 4, "k").assignments.size() == 4);
  auto more = moved.Claim("after", 2, "k");
  REQUIRE(more.assignments.size() == 2);
  for (const auto& a : more.assignments) {
    for (const auto& old : claim.assignments) CHECK(a.id != old.id);
  }
  const auto accepted = moved.SubmitOne(more.assignments[0].id, 1);
  CHECK(accepted.status == ReceiptStatus::kAccepted);
  // An asset comes back byte for byte (its name is its SHA-256).
  auto image = moved.Claim("img", 1, "bounding_boxes");
  REQUIRE(image.assignments.size() == 1);
  const auto& asset = image.assignments[0].assets.at(0);
  Reply bytes = moved.http.Get("/v1/assets/" + asset.hash, moved.token);
  REQUIRE(bytes.status == 200);
  CHECK(mano::sync::Sha256Hex(bytes.body) == asset.hash);
}

// PostgreSQL schema migrations: a database left at version 1 (no dictionaries table, no claim
// hint) is brought to the current version by the first manod that opens it, the hint
// counted from the assignments it holds.
TEST_CASE("a PostgreSQL database of schema version 1 is migrated when manod opens it") {
  PostgresProcess& pg = PostgresProcess::Shared();
  ManodProcess::Options options;
  options.db = pg.CreateDatabase();
  ManodProcess server(options);  // the sample tasks
  Client alice{Http(server.url()), server.Token("alice")};
  REQUIRE(alice.Claim("c1", 2).assignments.size() == 2);
  server.Stop();
  const std::string url = server.db();
  pg.Query(url,
           "DROP TABLE dicts; DROP INDEX tasks_untaken; ALTER TABLE tasks DROP COLUMN taken;"
           " DELETE FROM schema_migrations WHERE version > 1");
  REQUIRE(pg.QueryInt(url, "SELECT max(version) FROM schema_migrations") == 1);

  std::string out, err;
  INFO(err);
  REQUIRE(server.Run({"status", "--db", url}, &out, &err) == 0);
  CHECK(pg.QueryInt(url, "SELECT max(version) FROM schema_migrations") == 3);
  CHECK(pg.QueryInt(url, "SELECT sum(taken) FROM tasks") == 2);
  CHECK(pg.QueryInt(url, "SELECT count(*) FROM dicts") == 0);
  server.Start();
  CHECK(alice.Claim("c1", 2).assignments.size() == 2);  // the replay
  CHECK(alice.Claim("c2", 1).assignments.size() == 1);
  CHECK(pg.QueryInt(url, "SELECT sum(taken) FROM tasks") == 3);
}
