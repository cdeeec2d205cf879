// zstd dictionaries end to end (docs/PROTOCOL.md section 13): with a dictionary published by
// `manod dict train`, small batches go up dict-compressed and cost fewer bytes on the wire
// (counted by flakynet, headers included) than the same answers without it; every result
// arrives exactly once; and a server that lost its dictionaries still gets everything in the
// same pass (400 unknown dictionary -> the client forgets it and sends plainly). A hostile
// peer (not a stand-in for manod) serves dictionary bytes that do not load: ignored with a
// clear error, the result still goes; and a spent data budget fetches no dictionary at all.
#include <sqlite3.h>
#include <zstd.h>

#include <mutex>

#include "../../sync/protocol_peer.h"
#include "../../sync/raw_http_peer.h"
#include "mano/sync/codec.h"
#include "mano/sync/zstd_dictionary.h"
#include "sync_fixture.h"

using namespace mano;

namespace {

constexpr int kTrainResults = 40;
constexpr int kMeasured = 8;

sync::EngineOptions SmallBatches(bool dictionaries) {
  auto options = test::FastEngineOptions();
  options.batch.max_items = 2;
  options.zstd_dictionaries = dictionaries;
  return options;
}

// Claims `count` assignments and runs a pass, so their assets are in before anything is
// measured. Returns the local ids.
std::vector<int64_t> ClaimReady(sync::SyncEngine& engine, int count) {
  const auto ids = engine.Claim("alice", count);
  REQUIRE(ids.size() == static_cast<size_t>(count));
  engine.RunPass(true, "alice");
  return ids;
}

void Queue(sync::SyncEngine& engine, const std::vector<int64_t>& ids, uint32_t first_seed,
           std::map<std::string, sync::Answer>* expected) {
  uint32_t seed = first_seed;
  for (int64_t id : ids) {
    const auto a = engine.store().GetAssignment(id);
    const sync::Answer answer = sync::SampleAnswer(a->kind, seed++);
    sync::QueueResult(engine.store(), id, answer);
    (*expected)[a->server_id] = answer;
  }
}

// Bytes both ways through flakynet during one pass that must drain the outbox.
uint64_t PassBytes(test::FlakynetProcess& net, sync::SyncEngine& engine,
                   sync::AccountReport* report) {
  const auto before = net.Stats();
  const auto pass = engine.RunPass(true, "alice");
  const auto after = net.Stats();
  REQUIRE(pass.accounts.size() == 1);
  *report = pass.accounts[0];
  INFO(report->errors.size() << " errors, first: "
                             << (report->errors.empty() ? std::string()
                                                        : report->errors[0].DebugString()));
  CHECK(report->outcome == sync::AccountOutcome::kOk);
  CHECK(engine.store().OutboxStats("alice").items == 0);
  return (after.bytes_up + after.bytes_down) - (before.bytes_up + before.bytes_down);
}

void ForgetDictionaries(const std::string& db) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  CHECK(sqlite3_exec(handle, "DELETE FROM dicts", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(handle);
}

}  // namespace

TEST_CASE(
    "small batches go up dict-compressed, smaller, exactly once; a server that lost "
    "its dictionary still gets everything",
    "[integration]") {
  const test::TempDir temp_dir("mano-dict");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(
      test::ServerOptions(test::WriteTasks(dir, kTrainResults + 3 * kMeasured + 8, 0)));
  auto net = test::FlakynetProcess::ToPort(server.port(), {"--profile", "good"});
  const std::string url = "http://" + net.address();
  std::map<std::string, sync::Answer> expected;

  // Past work of the kind, for the operator to train on.
  {
    sync::SyncEngine engine(dir + "/client", SmallBatches(false));
    engine.Login("alice", url, server.Token("alice"));
    Queue(engine, ClaimReady(engine, kTrainResults), 1, &expected);
    REQUIRE(test::Drain(engine, "alice"));
  }
  std::string out;
  REQUIRE(server.Run({"dict", "train", "--db", server.db(), "--kind", "relevance"}, &out) == 0);

  // The same answers, once without and once with the dictionary.
  uint64_t without_bytes = 0, with_bytes = 0;
  {
    sync::SyncEngine engine(dir + "/client", SmallBatches(false));
    Queue(engine, ClaimReady(engine, kMeasured), 1000, &expected);
    sync::AccountReport report;
    without_bytes = PassBytes(net, engine, &report);
    CHECK(report.dict_batches == 0);
    CHECK(report.dict_fetched == 0);
    CHECK(report.results_acked == kMeasured);
  }
  {
    sync::SyncEngine engine(dir + "/client", SmallBatches(true));
    const auto ids = ClaimReady(engine, kMeasured + 1);
    // One result first: the pass fetches the dictionary (prefetch traffic) and keeps it.
    Queue(engine, {ids[0]}, 999, &expected);
    sync::AccountReport first;
    PassBytes(net, engine, &first);
    CHECK(first.dict_fetched == 1);
    CHECK(first.dict_fetch_bytes > 0);
    REQUIRE(engine.store().GetCursor("alice", "dict:relevance"));
    CHECK(engine.store().GetCursor("alice", "dict:relevance")->rfind("none", 0) != 0);

    Queue(engine, std::vector<int64_t>(ids.begin() + 1, ids.end()), 1000, &expected);
    sync::AccountReport report;
    with_bytes = PassBytes(net, engine, &report);
    CHECK(report.dict_fetched == 0);  // held in the store, not fetched again
    CHECK(report.dict_batches == kMeasured / 2);
    CHECK(report.dict_bytes_saved > 0);
    CHECK(report.results_acked == kMeasured);
  }
  INFO("bytes through flakynet for " << kMeasured << " results: " << without_bytes
                                     << " without the dictionary, " << with_bytes << " with");
  CHECK(with_bytes < without_bytes);

  // A day later the client checks again: the sync reply names the published id (POST
  // /v1/sync, docs/PROTOCOL.md section 16), so the same dictionary costs no request at all;
  // a new one published meanwhile (trained on more results) replaces it.
  {
    sync::SyncEngine engine(dir + "/client", SmallBatches(true));
    auto age_check = [&] {
      std::string held = *engine.store().GetCursor("alice", "dict:relevance");
      held = held.substr(0, held.rfind(' ')) + " 0";  // checked at the epoch: stale
      engine.store().SetCursor("alice", "dict:relevance", held);
      return held.substr(0, held.find(' '));
    };
    const std::string old_id = age_check();
    Queue(engine, ClaimReady(engine, 2), 3000, &expected);
    sync::AccountReport same;
    PassBytes(net, engine, &same);
    CHECK(same.dict_fetched == 0);     // nothing new
    CHECK(same.dict_fetch_bytes == 0);  // and nothing asked beyond the sync itself
    CHECK(same.dict_batches == 1);        // and still uses the one it holds
    const auto rechecked = *engine.store().GetCursor("alice", "dict:relevance");
    CHECK(rechecked.substr(rechecked.rfind(' ')) != " 0");

    REQUIRE(server.Run({"dict", "train", "--db", server.db(), "--kind", "relevance", "--size",
                        "2048"}) == 0);
    age_check();
    Queue(engine, ClaimReady(engine, 2), 3100, &expected);
    sync::AccountReport fresh;
    PassBytes(net, engine, &fresh);
    CHECK(fresh.dict_fetched == 1);
    CHECK(fresh.dict_batches == 1);
    const auto renewed = *engine.store().GetCursor("alice", "dict:relevance");
    CHECK(renewed.substr(0, renewed.find(' ')) != old_id);
  }

  // The server loses its dictionaries; the client still holds one and learns on the first
  // batch, then sends everything plainly in the same pass.
  server.Stop();
  ForgetDictionaries(server.db());
  server.Start();
  {
    sync::SyncEngine engine(dir + "/client", SmallBatches(true));
    Queue(engine, ClaimReady(engine, 6), 2000, &expected);
    sync::AccountReport report;
    PassBytes(net, engine, &report);
    CHECK(report.errors.empty());
    CHECK(report.results_acked == 6);
    CHECK(report.dict_batches == 0);
    const auto cursor = engine.store().GetCursor("alice", "dict:relevance");
    REQUIRE(cursor);
    CHECK(cursor->rfind("none", 0) == 0);
    test::CheckExactlyOnce(server, engine, "alice", expected);
  }
  std::filesystem::remove_all(dir);
}

namespace {

// Only what a pass needs, correct, except GET /v1/dict/relevance, which serves `dict_reply`.
// Counts dictionary requests and whether a submit body named a dictionary.
struct DictPeer {
  sync::ReceiptSigner signer = sync::ReceiptSigner::Generate();
  std::mutex mutex;
  std::string dict_reply;
  int dict_requests = 0;
  int dict_frames = 0;
  int receipts = 0;

  static test::RawHttpPeer::Reply Json(const std::string& body) {
    return test::JsonReply(200, body);
  }
  test::RawHttpPeer::Reply Handle(const std::string& request) {
    const int64_t t = test::kPeerServerTime;
    const std::string line = request.substr(0, request.find("\r\n"));
    std::lock_guard<std::mutex> lock(mutex);
    if (auto reply = test::LoginReply(line, signer)) return *reply;
    if (line.find("/v1/sync") != std::string::npos) {  // a server from before POST /v1/sync
      return {test::RawHttpPeer::Http(404, "Content-Type: application/json\r\n",
                                      R"({"error":{"code":"not_found","message":"x"}})")};
    }
    if (line.find("/v1/events") != std::string::npos) {
      return Json(R"({"t":1790000000000,"cursor":"c0","events":[]})");
    }
    if (line.find("/v1/dict/") != std::string::npos) {
      ++dict_requests;
      return {dict_reply};
    }
    if (line.find("/v1/claim") != std::string::npos) {
      sync::ClaimReply reply;
      reply.server_time = t;
      reply.assignments.push_back(test::PeerAssignment("a1"));
      return Json(reply.ToJson());
    }
    std::string body = request.substr(request.find("\r\n\r\n") + 4);
    if (request.find("Content-Encoding: zstd") != std::string::npos) {
      if (ZSTD_getDictID_fromFrame(body.data(), body.size()) != 0) {
        ++dict_frames;
        return {test::RawHttpPeer::Http(400, "Content-Type: application/json\r\n",
                                        R"({"error":{"code":"bad_request","message":"x"}})")};
      }
      body = sync::Decompress(body);
    }
    sync::SubmitReply reply;
    reply.server_time = t + 1000;
    for (const auto& result : sync::SubmitRequest::FromJson(body).results) {
      sync::Receipt receipt;
      receipt.key = result.EffectiveKey();
      receipt.assignment_id = result.assignment_id;
      receipt.server_time = reply.server_time;
      receipt.answer_hash = result.answer.Hash();
      signer.SignInPlace(receipt);
      reply.receipts.push_back(receipt);
      ++receipts;
    }
    return Json(reply.ToJson());
  }
};

std::string DictReply(const std::string& bytes, const std::string& id) {
  return test::RawHttpPeer::Http(
      200, "Content-Type: application/octet-stream\r\nMano-Dict-Id: " + id + "\r\n", bytes);
}

}  // namespace

TEST_CASE(
    "dictionary bytes that do not load are ignored with a clear error; a spent budget "
    "fetches none; the result goes either way",
    "[integration][hostile]") {
  std::vector<std::string> samples;
  for (uint32_t i = 0; i < 300; ++i) {
    samples.push_back("{\"results\":[{\"a\":\"x" + std::to_string(i) + "\",\"k\":\"x" +
                      std::to_string(i) +
                      ":1\",\"v\":" + sync::SampleAnswer("relevance", i).ToJson() + "}]}");
  }
  const std::string good = sync::ZstdDictionary::Train(samples, 2048);
  const sync::ZstdDictionary parsed(good);
  std::string corrupt = good;  // the magic and id survive; the entropy tables do not
  for (size_t i = 8; i < 200 && i < corrupt.size(); ++i) corrupt[i] = '\xff';

  struct Case {
    const char* name;
    std::string reply;
    int64_t daily_budget;
    int dict_requests;
    const char* error;  // expected in the report, or "" for none
  };
  const Case cases[] = {
      {"corrupt bytes", DictReply(corrupt, std::to_string(parsed.id())), 0, 1,
       "dict_unusable(relevance"},
      {"another id than announced", DictReply(good, std::to_string(parsed.id() + 1)), 0, 1,
       "carry id"},
      {"no id header", test::RawHttpPeer::Http(200, "", good), 0, 1, "without a usable id"},
      {"budget spent", DictReply(good, std::to_string(parsed.id())), 1, 0, ""},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    DictPeer server;
    server.dict_reply = c.reply;
    test::RawHttpPeer peer([&](const std::string& request) { return server.Handle(request); });
    const test::TempDir temp_dir("mano-dict-hostile");
    const std::string dir = temp_dir.path();
    {
      auto options = test::FastEngineOptions();
      options.budget.daily_bytes = c.daily_budget;
      sync::SyncEngine engine(dir, options);
      engine.Login("h", peer.url(), "tok_hostile_0123456789abcdefghijklmnopqrstuvw");
      const auto ids = engine.Claim("h", 1);
      REQUIRE(ids.size() == 1);
      sync::QueueResult(engine.store(), ids[0], sync::SampleAnswer("relevance", 3));
      const auto pass = engine.RunPass(true);
      REQUIRE(pass.accounts.size() == 1);
      const auto& report = pass.accounts[0];
      CHECK(report.results_acked == 1);
      CHECK(engine.store().OutboxStats("h").items == 0);
      CHECK(report.dict_batches == 0);
      CHECK(report.dict_fetched == 0);
      std::lock_guard<std::mutex> lock(server.mutex);
      CHECK(server.dict_requests == c.dict_requests);
      CHECK(server.dict_frames == 0);
      CHECK(server.receipts == 1);
      if (*c.error) {
        CHECK(report.outcome == sync::AccountOutcome::kPartial);
        REQUIRE(report.errors.size() == 1);
        CHECK(report.errors[0].code == sync::ReportCode::kDictUnusable);
        CHECK(report.errors[0].args == std::vector<std::string>{"relevance"});
        CHECK(report.errors[0].DebugString().find(c.error) != std::string::npos);
      } else {
        CHECK(report.errors.empty());
        CHECK(report.budget_limited);
      }
    }
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("a batch of mixed kinds uses the dictionary of the kind most represented",
          "[integration]") {
  const test::TempDir temp_dir("mano-dict-mixed");
  const std::string dir = temp_dir.path();
  test::ManodProcess server(test::ServerOptions(test::WriteTasks(dir, 40, 6)));
  auto options = SmallBatches(true);
  options.batch.max_items = 3;
  sync::SyncEngine engine(dir + "/client", options);
  engine.Login("alice", server.url(), server.Token("alice"));
  std::map<std::string, sync::Answer> expected;
  auto claim = [&](int count, const std::string& kind) {
    const auto ids = engine.Claim("alice", count, {kind});
    REQUIRE(ids.size() == static_cast<size_t>(count));
    return ids;
  };
  Queue(engine, claim(30, "relevance"), 1, &expected);
  REQUIRE(test::Drain(engine, "alice"));
  // Those passes asked for the dictionary: none then, and the client will not ask again for a
  // day. Pretend the day has passed.
  REQUIRE(server.Run({"dict", "train", "--db", server.db(), "--kind", "relevance"}) == 0);
  CHECK(engine.store().GetCursor("alice", "dict:relevance").value_or("").rfind("none ", 0) == 0);
  engine.store().SetCursor("alice", "dict:relevance", "none 0");
  engine.RunPass(true, "alice");  // assets of what comes next

  // Two relevance results and one box: the sync that carries them learns that relevance has
  // a dictionary now (its reply names it) and fetches it; that batch went before it came.
  const auto boxes = claim(4, "bounding_boxes");
  const auto more = claim(6, "relevance");
  Queue(engine, {more[0], boxes[0], more[1]}, 100, &expected);
  auto pass = engine.RunPass(true, "alice");
  REQUIRE(pass.accounts.size() == 1);
  CHECK(pass.accounts[0].results_acked == 3);
  CHECK(pass.accounts[0].dict_fetched == 1);
  CHECK(pass.accounts[0].dict_batches == 0);

  // Two relevance results and one box again: the relevance dictionary.
  Queue(engine, {more[3], boxes[3], more[4]}, 300, &expected);
  pass = engine.RunPass(true, "alice");
  CHECK(pass.accounts[0].results_acked == 3);
  CHECK(pass.accounts[0].dict_fetched == 0);
  CHECK(pass.accounts[0].dict_batches == 1);

  // Two boxes and one relevance result: bounding_boxes has no dictionary, so none.
  Queue(engine, {boxes[1], more[2], boxes[2]}, 200, &expected);
  pass = engine.RunPass(true, "alice");
  CHECK(pass.accounts[0].results_acked == 3);
  CHECK(pass.accounts[0].dict_batches == 0);
  CHECK(pass.accounts[0].errors.empty());
  test::CheckExactlyOnce(server, engine, "alice", expected);
  std::filesystem::remove_all(dir);
}
