// Malformed replies from a hostile peer (a tiny local socket server, not a mock of manod):
// truncated JSON, wrong types, a zstd bomb, an HTML page with 200, a 500 without a body, a
// reply trickled at 2 B/s (above the stall limit: cut at its deadline) and a receipt with a bad
// signature (alone or as a batch) must each give a clear error and lose nothing: the result stays
// in the outbox until a good, correctly signed receipt arrives. The peer answers in the per-receipt
// form (as a server from before batch receipts does, ignoring the client's "Mano-Receipts" header)
// except in the batch_* modes.
#include <stdlib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>

#include "../../sync/protocol_peer.h"
#include "../../sync/raw_http_peer.h"
#include "mano/sync/codec.h"
#include "mano/sync/presets.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/receipt_signer.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/sync_engine.h"
#include "temp_dir.h"

using namespace mano;
using mano::test::RawHttpPeer;
using sync::AccountOutcome;

namespace {

constexpr int64_t kServerTime = 1'790'000'000'000;

std::string Body(const std::string& request) {
  return request.substr(request.find("\r\n\r\n") + 4);
}

RawHttpPeer::Reply Json(int status, const std::string& body, const std::string& extra = "") {
  return {RawHttpPeer::Http(status, "Content-Type: application/json\r\n" + extra, body)};
}

// The peer: correct answers for everything but /v1/submit, which follows `mode`.
struct HostileServer {
  sync::ReceiptSigner signer = sync::ReceiptSigner::Generate();
  std::mutex mutex;
  std::string mode = "good";
  std::vector<sync::SubmitResult> received;  // results of every submit that parsed
  bool asked_for_batch = false;              // the last submit carried the header

  RawHttpPeer::Reply Handle(const std::string& request) {
    const std::string line = request.substr(0, request.find("\r\n"));
    if (auto reply = test::LoginReply(line, signer)) return *reply;
    if (line.find("/v1/claim") != std::string::npos) {
      sync::ClaimReply reply;
      reply.server_time = kServerTime;
      reply.assignments.push_back(test::PeerAssignment("a1"));
      return Json(200, reply.ToJson());
    }
    if (line.find("/v1/events") != std::string::npos) {
      return Json(200, R"({"t":1790000000000,"cursor":"c0","events":[]})");
    }
    if (line.find("/v1/submit") == std::string::npos) return Json(404, "{}");
    std::string body = Body(request);
    if (request.find("Content-Encoding: zstd") != std::string::npos) body = sync::Decompress(body);
    const auto submit = sync::SubmitRequest::FromJson(body);
    std::lock_guard<std::mutex> lock(mutex);
    received.insert(received.end(), submit.results.begin(), submit.results.end());
    asked_for_batch = request.find("\r\nMano-Receipts: batch-v1\r\n") != std::string::npos;
    sync::SubmitReply reply;
    reply.server_time = kServerTime + 1000;
    std::vector<sync::ReceiptDefaults> sent;
    for (const auto& result : submit.results) {
      sync::Receipt receipt;
      receipt.key = result.EffectiveKey();
      receipt.assignment_id = result.assignment_id;
      receipt.server_time = reply.server_time;
      receipt.answer_hash = result.answer.Hash();
      sent.push_back({receipt.key, receipt.assignment_id, receipt.answer_hash});
      if (mode.rfind("batch", 0) != 0) signer.SignInPlace(receipt);
      if (mode == "badsig")
        receipt.answer_hash[0] =
            receipt.answer_hash[0] == 'a' ? 'b' : 'a';  // sig no longer covers it
      reply.receipts.push_back(receipt);
    }
    if (mode.rfind("batch", 0) == 0) {
      reply.sig = signer.SignBatch(reply.receipts);
      if (mode == "batch_badsig") {  // signed as accepted, sent as late_accepted
        reply.receipts[0].status = sync::ReceiptStatus::kLateAccepted;
      }
      if (mode == "batch_otherkey") {
        reply.sig = sync::ReceiptSigner::Generate().SignBatch(reply.receipts);
      }
      if (mode == "batch_short") {  // fewer receipts than results, correctly signed
        reply.receipts.clear();
        reply.sig = signer.SignBatch(reply.receipts);
      }
      return Json(200, reply.ToBatchJson(sent));
    }
    const std::string good = reply.ToJson();
    if (mode == "truncated") return Json(200, good.substr(0, good.size() / 2));
    if (mode == "wrong_types") return Json(200, R"({"t":"soon","receipts":{"k":1}})");
    if (mode == "bomb") {
      return Json(200, sync::Compress(std::string(64 << 20, ' '), 19),
                  "Content-Encoding: zstd\r\n");
    }
    if (mode == "html") {
      return {RawHttpPeer::Http(200, "Content-Type: text/html\r\n",
                                "<html><body>Log in to CafeNet</body></html>")};
    }
    if (mode == "500") return {RawHttpPeer::Http(500, "", "")};
    if (mode == "trickle") {  // 2 B/s: above the stall limit, far below any real link
      RawHttpPeer::Reply slow = Json(200, good);
      slow.trickle_bytes_per_s = 2;
      return slow;
    }
    return Json(200, good);
  }
};

}  // namespace

TEST_CASE("malformed replies give clear errors and lose nothing", "[integration][hostile]") {
  HostileServer server;
  RawHttpPeer peer([&](const std::string& request) { return server.Handle(request); });
  const mano::test::TempDir temp_dir("mano-hostile");
  const std::string dir = temp_dir.path();
  {
    sync::EngineOptions options;
    options.transport.low_speed_time_s = 5;
    options.transport.connect_timeout_ms = 2000;
    options.transport.request_grace_ms = 3000;  // the trickled reply would take minutes
    sync::SyncEngine engine(dir, options);
    engine.Login("hostile", peer.url(), "tok_hostile_0123456789abcdefghijklmnopqrstuvw");
    const auto ids = engine.Claim("hostile", 1);
    REQUIRE(ids.size() == 1);
    const sync::Answer answer = sync::SampleAnswer("relevance", 5);
    sync::QueueResult(engine.store(), ids[0], answer);

    struct Case {
      const char* mode;
      AccountOutcome outcome;
      const char* words;  // expected in the error
    };
    const Case cases[] = {
        {"truncated", AccountOutcome::kError, "malformed"},
        {"wrong_types", AccountOutcome::kError, "malformed"},
        {"bomb", AccountOutcome::kError, "limit"},
        {"html", AccountOutcome::kCaptive, "captive portal"},
        {"500", AccountOutcome::kOffline, "500"},
        {"trickle", AccountOutcome::kOffline, "deadline"},
        {"badsig", AccountOutcome::kPartial, "receipt_bad_signature("},
        {"batch_badsig", AccountOutcome::kPartial, "batch_bad_signature(1)"},
        {"batch_otherkey", AccountOutcome::kPartial, "bad_signature("},
        {"batch_short", AccountOutcome::kError, "0 receipts for 1 results"},
    };
    for (const Case& c : cases) {
      INFO("mode " << c.mode);
      {
        std::lock_guard<std::mutex> lock(server.mutex);
        server.mode = c.mode;
      }
      const auto pass = engine.RunPass(true);
      REQUIRE(pass.accounts.size() == 1);
      const auto& report = pass.accounts[0];
      CHECK(report.outcome == c.outcome);
      REQUIRE_FALSE(report.errors.empty());
      CHECK(report.errors.front().DebugString().find(c.words) != std::string::npos);
      CHECK(report.results_acked == 0);
      // Nothing lost: the result is still queued, with no receipt stored.
      CHECK(engine.store().OutboxStats("hostile").items == 1);
      CHECK_FALSE(engine.store().GetReceipt(ids[0]).has_value());
    }
    {
      std::lock_guard<std::mutex> lock(server.mutex);
      server.mode = "good";
    }
    const auto pass = engine.RunPass(true);
    CHECK(pass.all_ok());
    CHECK(pass.accounts[0].results_acked == 1);
    CHECK(engine.store().OutboxStats("hostile").items == 0);
    const auto receipt = engine.store().GetReceipt(ids[0]);
    REQUIRE(receipt);
    CHECK(receipt->status == "accepted");
    // A server that ignores the request for batch receipts is understood all the same.
    CHECK(server.asked_for_batch);
    CHECK(receipt->batch_id == 0);
    CHECK(sync::ReceiptVerifier(server.signer.PublicKey())
              .Verify(sync::Receipt::FromJson(receipt->raw)));
    // Every attempt carried the same key and the same answer as the worker left it.
    std::lock_guard<std::mutex> lock(server.mutex);
    REQUIRE(server.received.size() >= 2);
    for (const auto& result : server.received) {
      CHECK(result.EffectiveKey() == "a1:1");
      CHECK(result.answer == answer);
    }
  }
}

TEST_CASE("a batch reply is verified once and stored with its batch", "[integration][hostile]") {
  HostileServer server;
  server.mode = "batch";
  RawHttpPeer peer([&](const std::string& request) { return server.Handle(request); });
  const mano::test::TempDir temp_dir("mano-hostile");
  const std::string dir = temp_dir.path();
  {
    sync::SyncEngine engine(dir, sync::EngineOptions{});
    engine.Login("hostile", peer.url(), "tok_hostile_0123456789abcdefghijklmnopqrstuvw");
    const auto ids = engine.Claim("hostile", 1);
    REQUIRE(ids.size() == 1);
    sync::QueueResult(engine.store(), ids[0], sync::SampleAnswer("relevance", 3));
    const auto pass = engine.RunPass(true);
    CHECK(pass.all_ok());
    CHECK(pass.accounts[0].results_acked == 1);
    const auto receipt = engine.store().GetReceipt(ids[0]);
    REQUIRE(receipt);
    CHECK(receipt->signature.empty());
    const auto batch = engine.store().GetReceiptBatch(receipt->batch_id);
    REQUIRE(batch);
    const auto mine = sync::Receipt::FromJson(receipt->raw);
    CHECK(batch->canonical == sync::CanonicalBatchBytes({mine}));
    CHECK(sync::ReceiptVerifier(server.signer.PublicKey())
              .VerifyBatch(batch->canonical, batch->signature));
  }
}
