// Conformance of manod's endpoints over real HTTP: status codes, idempotent claim and submit,
// signed receipts, late results under each policy, anchors, returns, events and isolation.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "mano/sync/answer.h"
#include "manod_fixture.h"

using namespace mano::test;
using mano::sync::ReceiptStatus;

namespace {

// A server with the samples plus tasks of kind "late" (one per policy) and "renew".
struct PolicyServer {
  ManodProcess server{ManodProcess::Options{.start = false}};
  PolicyServer() {
    server.Import(WriteFile(
        server.dir(), "policy.jsonl",
        {TaskLine("refuse", "late", "refuse", 60000), TaskLine("accept", "late", "accept", 60000),
         TaskLine("anchored", "late", "accept_if_anchored", 60000),
         TaskLine("unanchored", "late", "accept_if_anchored", 60000),
         TaskLine("renew", "renew", "refuse", 60000, true),
         TaskLine("fixed", "renew", "refuse", 60000, false),
         TaskLine("multi-1", "multi", "refuse", 60000, false, 2),
         TaskLine("multi-2", "multi", "refuse", 60000, false, 2)}));
    server.Start();
  }
  Client As(const std::string& worker) { return Client{Http(server.url()), server.Token(worker)}; }
};

std::string IdOfTask(const mano::sync::ClaimReply& reply, const std::string& task) {
  for (const auto& a : reply.assignments) {
    if (a.task == task) return a.id;
  }
  FAIL("no assignment for task " << task);
  return {};
}

}  // namespace

TEST_CASE("health and the receipt key need no token; the rest do") {
  PolicyServer s;
  Http http(s.server.url());
  Reply health = http.Get("/v1/health", "");
  REQUIRE(health.status == 200);
  auto h = mano::sync::HealthReply::FromJson(health.body);
  CHECK(h.ok);
  CHECK(h.protocol == "v1");
  CHECK(h.server_time > 0);
  VerifierFrom(http);  // parses and checks alg

  CHECK(http.Get("/v1/me", "").status == 401);
  CHECK(ErrorOf(http.Get("/v1/me", "not-a-token")).code == "unauthorized");
  Reply me = http.Get("/v1/me", s.server.Token("alice"));
  REQUIRE(me.status == 200);
  CHECK(mano::sync::MeReply::FromJson(me.body).worker == "alice");
  CHECK(http.Get("/v1/nothing-here", s.server.Token("alice")).status == 404);
  Reply wrong = http.Post("/v1/me", s.server.Token("alice"), "{}");
  CHECK(wrong.status == 405);
  CHECK(http.Get("/v1/claim", s.server.Token("alice")).status == 405);
  CHECK(http.Get("/v1/dict/relevance", s.server.Token("alice")).status == 404);
  // The log has one line per request and never the token.
  std::string log = s.server.Log();
  CHECK(log.find("GET /v1/me 200") != std::string::npos);
  CHECK(log.find(s.server.Token("alice")) == std::string::npos);
}

TEST_CASE("the database file is private to its owner", "[sqlite]") {
  PolicyServer s;
  struct stat st {};
  REQUIRE(stat(s.server.db().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("claim is idempotent by key: the same key gives the same assignments") {
  PolicyServer s;
  Client alice = s.As("alice");
  auto first = alice.Claim("claim-1", 2, "late");
  REQUIRE(first.assignments.size() == 2);
  CHECK(first.assignments[0].kind == "late");
  CHECK(first.assignments[0].deadline == first.server_time + 60000);
  CHECK(first.assignments[0].reward == 50000);
  CHECK(first.assignments[0].form.FindField("score") != nullptr);
  auto again = alice.Claim("claim-1", 5, "late");
  REQUIRE(again.assignments.size() == 2);
  CHECK(again.assignments[0].id == first.assignments[0].id);
  CHECK(again.assignments[1].id == first.assignments[1].id);
  auto next = alice.Claim("claim-2", 5, "late");
  REQUIRE(next.assignments.size() == 2);  // the other two "late" tasks
  CHECK(next.assignments[0].id != first.assignments[0].id);
  CHECK(alice.Claim("claim-3", 5, "late").assignments.empty());  // none left for alice

  // A task wanted twice goes to two workers, never twice to one.
  auto a = alice.Claim("m-1", 5, "multi");
  auto b = s.As("bob").Claim("m-1", 5, "multi");
  CHECK(a.assignments.size() == 2);
  CHECK(b.assignments.size() == 2);
  CHECK(s.As("bob").Claim("m-2", 5, "multi").assignments.empty());

  Http http(s.server.url());
  std::string token = s.server.Token("alice");
  CHECK(ErrorOf(http.Post("/v1/claim", token, "{\"key\":\"k\",\"count\":0}")).field == "count");
  CHECK(http.Post("/v1/claim", token, "{\"key\":\"k\",\"count\":101}").status == 400);
  CHECK(http.Post("/v1/claim", token, "{\"key\":\"k\"").status == 400);
  Reply typed = http.Post("/v1/claim", token, "{\"key\":\"k\",\"count\":\"3\"}");
  CHECK(typed.status == 400);
  CHECK(ErrorOf(typed).field == "count");
}

TEST_CASE("submit answers each result with a signed receipt: accepted, duplicate, conflict") {
  PolicyServer s;
  Client alice = s.As("alice");
  auto verifier = VerifierFrom(alice.http);
  auto claim = alice.Claim("c", 4, "late");
  std::string a = IdOfTask(claim, "accept");
  std::string b = IdOfTask(claim, "refuse");

  auto reply = alice.Submit("{\"results\":[{\"a\":\"" + a + "\",\"k\":\"" + a +
                            ":1\",\"v\":{\"score\":3,\"note\":\"ok\"}},{\"a\":\"" + b +
                            "\",\"v\":{\"score\":7}},{\"a\":\"zzzz\",\"v\":{\"score\":1}}]}");
  REQUIRE(reply.receipts.size() == 3);
  const auto& ok = reply.receipts[0];
  CHECK(ok.status == ReceiptStatus::kAccepted);
  CHECK(ok.code == 200);
  CHECK(ok.key == a + ":1");
  mano::sync::Answer answer;
  answer.Set("score", int64_t{3});
  answer.Set("note", std::string("ok"));
  CHECK(ok.answer_hash == answer.Hash());
  CHECK(reply.receipts[1].status == ReceiptStatus::kInvalid);
  CHECK(reply.receipts[1].code == 422);
  CHECK(reply.receipts[1].error.find("results[1].v.score") != std::string::npos);
  CHECK(reply.receipts[2].status == ReceiptStatus::kNotFound);
  CHECK(reply.receipts[2].code == 404);
  for (const auto& r : reply.receipts) CHECK(verifier.Verify(r));

  // Replay: the original decision again (time and hash), marked duplicate, signed.
  auto dup = alice.Submit("{\"results\":[{\"a\":\"" + a + "\",\"k\":\"" + a +
                          ":1\",\"v\":{\"note\":\"ok\",\"score\":3}}]}");
  REQUIRE(dup.receipts.size() == 1);
  CHECK(dup.receipts[0].status == ReceiptStatus::kDuplicate);
  CHECK(dup.receipts[0].code == 200);
  CHECK(dup.receipts[0].server_time == ok.server_time);
  CHECK(dup.receipts[0].answer_hash == ok.answer_hash);
  CHECK(verifier.Verify(dup.receipts[0]));
  // A tampered receipt does not verify.
  auto forged = dup.receipts[0];
  forged.server_time += 1;
  CHECK_FALSE(verifier.Verify(forged));

  // Same key, other content: conflict (422), nothing stored.
  auto conflict = alice.SubmitOne(a, 1, a + ":1");
  CHECK(conflict.status == ReceiptStatus::kConflict);
  CHECK(conflict.code == 422);
  CHECK(verifier.Verify(conflict));
  // Another key for an assignment that has its result: conflict too.
  CHECK(alice.SubmitOne(a, 3, a + ":2").status == ReceiptStatus::kConflict);
  // The invalid one can still be fixed and sent.
  CHECK(alice.SubmitOne(b, 2).status == ReceiptStatus::kAccepted);

  Http http(s.server.url());
  CHECK(http.Post("/v1/submit", s.server.Token("alice"), "{\"results\":[]}").status == 400);
  Reply bad = http.Post("/v1/submit", s.server.Token("alice"),
                        "{\"results\":[{\"a\":\"1\",\"v\":{\"score\":null}}]}");
  CHECK(bad.status == 400);
  CHECK(ErrorOf(bad).field.find("results[0].v") == 0);
}

// RFC 8785 keeps numbers within +-(2^53 - 1) exactly; beyond, the one result is invalid and the
// rest of its batch is judged as usual (PROTOCOL.md section 6), in either receipt form.
TEST_CASE("an inline number JCS cannot keep is an invalid receipt, not a 400 for the batch") {
  PolicyServer s;
  Client alice = s.As("alice");
  auto verifier = VerifierFrom(alice.http);
  auto claim = alice.Claim("c", 4, "late");
  const std::string a = IdOfTask(claim, "accept");
  const std::string b = IdOfTask(claim, "refuse");
  const std::string c = IdOfTask(claim, "anchored");
  const std::string d = IdOfTask(claim, "unanchored");
  auto result = [](const std::string& id, const std::string& score) {
    return "{\"a\":\"" + id + "\",\"v\":{\"score\":" + score + "}}";
  };
  auto reply = alice.Submit("{\"results\":[" + result(a, "12345678901234567890") + "," +
                            result(b, "2") + "," + result(c, "-1e300") + "]}");
  REQUIRE(reply.receipts.size() == 3);
  for (size_t i : {0u, 2u}) {
    INFO(i);
    const auto& r = reply.receipts[i];
    CHECK(r.status == ReceiptStatus::kInvalid);
    CHECK(r.code == 422);
    CHECK(r.error == "results[" + std::to_string(i) +
                     "].v.score: number beyond +-9007199254740991 (2^53 - 1) cannot be kept "
                     "exactly (RFC 8785)");
    CHECK(r.answer_hash.empty());
    CHECK(verifier.Verify(r));
  }
  CHECK(reply.receipts[1].status == ReceiptStatus::kAccepted);
  CHECK(reply.receipts[1].key == b);
  // Fixed, it goes through (an invalid result is not stored).
  CHECK(alice.SubmitOne(a, 1).status == ReceiptStatus::kAccepted);

  // Batch receipts: the unread answer's h is "" (written, as it differs from any hash).
  Reply batch = alice.http.Post(
      "/v1/submit", alice.token,
      "{\"results\":[" + result(d, "9007199254740993") + "," + result(c, "3") + "]}",
      {"Mano-Receipts: batch-v1"});
  INFO(batch.body);
  REQUIRE(batch.status == 200);
  CHECK(batch.body.find("{\"s\":\"invalid\",\"h\":\"\",\"e\":\"results[0].v.score: number beyond") !=
        std::string::npos);
  CHECK(batch.body.find("{\"s\":\"accepted\"}") != std::string::npos);
}

TEST_CASE("late results follow the task's policy, and an anchor before the deadline counts") {
  PolicyServer s;
  Client alice = s.As("alice");
  auto verifier = VerifierFrom(alice.http);
  auto claim = alice.Claim("late", 4, "late");
  REQUIRE(claim.assignments.size() == 4);
  Reply anchor = alice.Anchor(IdOfTask(claim, "anchored"));
  REQUIRE(anchor.status == 200);
  auto anchored = mano::sync::AnchorReply::FromJson(anchor.body);
  CHECK(anchored.deadline == claim.server_time + 60000);  // this policy does not renew

  s.server.AdvanceClock(120000);  // every deadline has passed
  auto refused = alice.SubmitOne(IdOfTask(claim, "refuse"), 1);
  CHECK(refused.status == ReceiptStatus::kLateRefused);
  CHECK(refused.code == 409);
  auto accepted = alice.SubmitOne(IdOfTask(claim, "accept"), 1);
  CHECK(accepted.status == ReceiptStatus::kLateAccepted);
  CHECK(accepted.code == 200);
  CHECK(alice.SubmitOne(IdOfTask(claim, "anchored"), 1).status == ReceiptStatus::kLateAccepted);
  // An anchor after the deadline is recorded but proves nothing about before it.
  CHECK(alice.Anchor(IdOfTask(claim, "unanchored")).status == 200);
  CHECK(alice.SubmitOne(IdOfTask(claim, "unanchored"), 1).status == ReceiptStatus::kLateRefused);
  CHECK(verifier.Verify(refused));
  CHECK(verifier.Verify(accepted));
  // A late acceptance replays as a duplicate of itself.
  auto again = alice.SubmitOne(IdOfTask(claim, "accept"), 1);
  CHECK(again.status == ReceiptStatus::kDuplicate);
  CHECK(again.server_time == accepted.server_time);
}

TEST_CASE("an anchor renews the lease only when the policy says so") {
  PolicyServer s;
  Client alice = s.As("alice");
  auto claim = alice.Claim("r", 2, "renew");
  s.server.AdvanceClock(30000);
  Reply renewed = alice.Anchor(IdOfTask(claim, "renew"));
  REQUIRE(renewed.status == 200);
  auto r = mano::sync::AnchorReply::FromJson(renewed.body);
  CHECK(r.deadline == r.server_time + 60000);
  CHECK(r.deadline > claim.server_time + 60000);
  auto f = mano::sync::AnchorReply::FromJson(alice.Anchor(IdOfTask(claim, "fixed")).body);
  CHECK(f.deadline == claim.server_time + 60000);
  // Past the original deadline, the renewed lease still takes an on-time result.
  s.server.AdvanceClock(40000);
  CHECK(alice.SubmitOne(IdOfTask(claim, "renew"), 2).status == ReceiptStatus::kAccepted);
  CHECK(alice.SubmitOne(IdOfTask(claim, "fixed"), 2).status == ReceiptStatus::kLateRefused);
  // Anchoring a submitted assignment: 409. Malformed anchors: 400 naming the field.
  CHECK(alice.Anchor(IdOfTask(claim, "renew")).status == 409);
  Reply bad = alice.http.Post("/v1/anchor", alice.token, "{\"a\":\"1\",\"h\":7}");
  CHECK(bad.status == 400);
  CHECK(ErrorOf(bad).field == "h");
}

TEST_CASE("return hands a lease back before its deadline; 409 after submit or deadline") {
  PolicyServer s;
  Client alice = s.As("alice");
  auto claim = alice.Claim("ret", 4, "late");
  Reply ok = alice.Return(IdOfTask(claim, "refuse"));
  REQUIRE(ok.status == 200);
  CHECK(mano::sync::ReturnReply::FromJson(ok.body).state == "returned");
  CHECK(alice.Return(IdOfTask(claim, "refuse")).status == 200);  // replay is harmless
  // A returned assignment takes no result, and the task is open again (for bob).
  CHECK(alice.SubmitOne(IdOfTask(claim, "refuse"), 1).status == ReceiptStatus::kNotFound);
  auto bob = s.As("bob").Claim("b", 5, "late");
  REQUIRE(bob.assignments.size() == 1);
  CHECK(bob.assignments[0].task == "refuse");

  alice.SubmitOne(IdOfTask(claim, "accept"), 1);
  CHECK(alice.Return(IdOfTask(claim, "accept")).status == 409);
  s.server.AdvanceClock(120000);
  CHECK(alice.Return(IdOfTask(claim, "anchored")).status == 409);
  CHECK(alice.Return("zz").status == 404);
}

TEST_CASE("events carry reviews, bonuses, revoked leases and withdrawn tasks, with a cursor") {
  PolicyServer s;
  Client alice = s.As("alice");
  auto claim = alice.Claim("ev", 4, "late");
  std::string a = IdOfTask(claim, "accept"), b = IdOfTask(claim, "refuse");
  std::string c = IdOfTask(claim, "anchored"), d = IdOfTask(claim, "unanchored");
  alice.SubmitOne(a, 4);
  alice.SubmitOne(b, 0);
  CHECK(alice.Events().events.empty());

  std::string db = s.server.db();
  CHECK(s.server.Run({"review", "--db", db, "--approve", a}) == 0);
  CHECK(s.server.Run({"review", "--db", db, "--reject", b}) != 0);  // a reason is required
  CHECK(s.server.Run({"review", "--db", db, "--reject", b, "--reason",
                      "score contradicts "
                      "the snippet"}) == 0);
  CHECK(s.server.Run({"review", "--db", db, "--approve", a}) != 0);  // reviewed already
  CHECK(s.server.Run({"review", "--db", db, "--bonus", a, "--amount", "0.25", "--reason",
                      "careful work"}) == 0);
  CHECK(s.server.Run({"review", "--db", db, "--revoke", c, "--reason", "task changed"}) == 0);
  CHECK(s.server.Run({"withdraw", "--db", db, "--task", "unanchored"}) == 0);

  auto page1 = alice.Events("?limit=2");
  REQUIRE(page1.events.size() == 2);
  CHECK(page1.more);
  CHECK(page1.events[0].type == mano::sync::EventType::kApproved);
  CHECK(page1.events[0].assignment_id == a);
  CHECK(page1.events[1].type == mano::sync::EventType::kPayment);
  CHECK(page1.events[1].assignment_id == a);
  CHECK(page1.events[1].amount == 50000);
  CHECK(page1.events[1].currency == "USD");
  auto page2 = alice.Events("?after=" + page1.cursor + "&limit=10");
  REQUIRE(page2.events.size() == 4);
  CHECK_FALSE(page2.more);
  CHECK(page2.events[0].type == mano::sync::EventType::kRejected);
  CHECK(page2.events[0].reason == "score contradicts the snippet");
  page2.events.erase(page2.events.begin());
  CHECK(page2.events[0].type == mano::sync::EventType::kBonus);
  CHECK(page2.events[0].amount == 250000);
  CHECK(page2.events[1].type == mano::sync::EventType::kRevoked);
  CHECK(page2.events[1].assignment_id == c);
  CHECK(page2.events[2].type == mano::sync::EventType::kWithdrawn);
  CHECK(page2.events[2].assignment_id == d);
  CHECK(alice.Events("?after=" + page2.cursor).events.empty());
  // Bob sees none of alice's events; a revoked lease takes no result.
  CHECK(s.As("bob").Events().events.empty());
  CHECK(alice.SubmitOne(c, 1).status == ReceiptStatus::kNotFound);
  CHECK(alice.http.Get("/v1/events?limit=0", alice.token).status == 400);
  CHECK(ErrorOf(alice.http.Get("/v1/events?after=x", alice.token)).field == "after");
}

TEST_CASE("isolation: another worker's assignments, assets and uploads look like nothing") {
  PolicyServer s;
  Client alice = s.As("alice");
  Client bob = s.As("bob");
  auto claim = alice.Claim("iso", 1, "classification");
  REQUIRE(claim.assignments.size() == 1);
  const auto& mine = claim.assignments[0];
  REQUIRE_FALSE(mine.assets.empty());
  std::string asset = "/v1/assets/" + mine.assets[0].hash;
  CHECK(alice.http.Get(asset, alice.token).status == 200);
  CHECK(bob.http.Get(asset, bob.token).status == 404);
  CHECK(bob.Anchor(mine.id).status == 404);
  CHECK(bob.Return(mine.id).status == 404);
  CHECK(bob.SubmitOne(mine.id, 1).status == ReceiptStatus::kNotFound);

  Reply created =
      alice.http.Post("/v1/uploads", alice.token, "", {"Upload-Length: 5", "Tus-Resumable: 1.0.0"});
  REQUIRE(created.status == 201);
  std::string upload = created.Header("location");
  // tus 1.0: every request but OPTIONS names the version (a request without it is 412).
  const std::vector<std::string> patch = {"Tus-Resumable: 1.0.0", "Upload-Offset: 0",
                                          "Content-Type: application/offset+octet-stream"};
  CHECK(bob.http.Send("HEAD", upload, bob.token, "", {"Tus-Resumable: 1.0.0"}).status == 404);
  CHECK(bob.http.Send("PATCH", upload, bob.token, "{\"a\":", patch).status == 404);
  REQUIRE(alice.http.Send("PATCH", upload, alice.token, "{\"a\":", patch).status == 204);
  std::string id = upload.substr(upload.rfind('/') + 1);
  auto stolen = bob.Submit("{\"results\":[{\"a\":\"1\",\"u\":\"" + id + "\"}]}");
  CHECK(stolen.receipts[0].status == ReceiptStatus::kInvalid);
  // Alice's work is untouched by all of that.
  CHECK(alice.SubmitOne(mine.id, 1).status == ReceiptStatus::kInvalid);  // "label" is the field
  CHECK(alice.Anchor(mine.id).status == 200);
}

TEST_CASE("a revoked token stops working at once on a running server") {
  PolicyServer s;
  Client alice = s.As("alice");
  REQUIRE(alice.http.Get("/v1/me", alice.token).status == 200);
  REQUIRE(s.server.Run({"worker", "revoke", "--db", s.server.db(), "alice"}) == 0);
  CHECK(alice.http.Get("/v1/me", alice.token).status == 401);
  CHECK(alice.http.Post("/v1/claim", alice.token, "{\"key\":\"x\",\"count\":1}").status == 401);
  CHECK(s.As("bob").http.Get("/v1/me", s.server.Token("bob")).status == 200);
}

TEST_CASE("TLS with --cert and --key: the same API over https, plain HTTP refused") {
  const TempDir temp_dir("manod-tls");
  const std::string& dir = temp_dir.path();
  std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
  REQUIRE(
      ChildProcess({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days",
                    "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                   {.search_path = true})
          .Wait() == 0);
  ManodProcess::Options o;
  o.serve_args = {"--cert", cert, "--key", key};
  ManodProcess server(o);
  REQUIRE(server.url().rfind("https://", 0) == 0);
  Http https(server.url(), cert);  // verifies the certificate against itself
  CHECK(https.Get("/v1/health", "").status == 200);
  Client alice{https, server.Token("alice")};
  CHECK(alice.Claim("tls", 1).assignments.size() == 1);
  Http plain("http://127.0.0.1:" + std::to_string(server.port()));
  bool refused = false;
  try {
    refused = plain.Get("/v1/health", "").status != 200;
  } catch (const std::exception&) {
    refused = true;
  }
  CHECK(refused);
}

// Claims start their scan at the first task with room (a mark that full tasks move forward).
// A task behind the mark must come back when its lease is returned, revoked by another manod
// process (`manod review --revoke`), or expires.
TEST_CASE("a full task is offered again after return, revoke from another process, or expiry") {
  ManodProcess server(ManodProcess::Options{
      .workers = {"alice", "bob", "carol", "dave"}, .imports = {}, .start = false});
  server.Import(
      WriteFile(server.dir(), "x.jsonl",
                {TaskLine("x-0", "x", "refuse", 60000), TaskLine("x-1", "x", "refuse", 60000),
                 TaskLine("x-2", "x", "refuse", 60000)}));
  server.Start();
  auto as = [&](const std::string& w) { return Client{Http(server.url()), server.Token(w)}; };
  auto mine = as("alice").Claim("a1", 5);
  REQUIRE(mine.assignments.size() == 3);
  CHECK(as("bob").Claim("b1", 5).assignments.empty());  // every task full

  REQUIRE(as("alice").Return(IdOfTask(mine, "x-0")).status == 200);
  auto back = as("bob").Claim("b2", 5);
  REQUIRE(back.assignments.size() == 1);
  CHECK(back.assignments[0].task == "x-0");
  CHECK(as("carol").Claim("c0", 5).assignments.empty());  // full again

  REQUIRE(server.Run({"review", "--db", server.db(), "--revoke", IdOfTask(mine, "x-1"), "--reason",
                      "moved"}) == 0);
  auto revoked = as("carol").Claim("c1", 5);
  REQUIRE(revoked.assignments.size() == 1);
  CHECK(revoked.assignments[0].task == "x-1");
  CHECK(as("dave").Claim("d1", 5).assignments.empty());

  server.AdvanceClock(120000);  // every lease expired
  CHECK(as("dave").Claim("d2", 5).assignments.size() == 3);
}
