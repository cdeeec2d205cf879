// The messages of POST /v1/sync (sync_exchange.h): shapes, limits and the checks a reply
// must pass against its request.
#include <catch2/catch.hpp>

#include "mano/sync/sync_error.h"
#include "mano/sync/sync_exchange.h"

using namespace mano::sync;

namespace {

Receipt Accepted(const std::string& key) {
  Receipt r;
  r.key = key;
  r.assignment_id = key;
  r.server_time = 5;
  r.answer_hash = std::string(64, 'a');
  return r;
}

}  // namespace

TEST_CASE("a sync request carries outbox bodies as they are, beside its other parts") {
  SyncRequest request;
  request.anchors.push_back({"2s9", std::string(32, 'f')});
  request.events = EventsQuery{"42", 200};
  request.claim = ClaimRequest{"c1", 2, {}};
  request.dicts.push_back({"relevance", 7});
  const std::string body = request.ToJsonWith(R"({"a":"2sa","v":{"score":3}})");
  CHECK(body.rfind(R"({"results":[{"a":"2sa","v":{"score":3}}],"anchors":)", 0) == 0);
  const SyncRequest back = SyncRequest::FromJson(body);
  REQUIRE(back.results.size() == 1);
  CHECK(back.results[0].assignment_id == "2sa");
  REQUIRE(back.anchors.size() == 1);
  CHECK(back.events->after == "42");
  CHECK(back.events->limit == 200);
  CHECK(back.claim->key == "c1");
  CHECK(back.dicts[0].id == 7);
  CHECK(SyncRequest{}.ToJsonWith("") == "{}");
  CHECK(SyncRequest{}.ToJsonWith(R"({"a":"x","v":{}})") == R"({"results":[{"a":"x","v":{}}]})");
}

TEST_CASE("a sync request out of limits is refused naming the member") {
  auto field_of = [](const std::string& json) {
    try {
      SyncRequest::FromJson(json);
    } catch (const SyncError& error) {
      return error.field();
    }
    return std::string("(accepted)");
  };
  std::string anchors = R"({"anchors":[)";
  for (int i = 0; i <= 100; ++i) {
    anchors += std::string(i ? "," : "") + R"({"a":"a)" + std::to_string(i) + R"(","h":")" +
               std::string(32, '0') + "\"}";
  }
  anchors += "]}";
  CHECK(field_of(anchors) == "anchors");
  CHECK(field_of(R"({"events":{"limit":0}})") == "events.limit");
  CHECK(field_of(R"({"claim":{"key":"k","count":101}})") == "claim.count");
  CHECK(field_of(R"({"dicts":[{"kind":"x","id":-1}]})") == "dicts[0].id");
  CHECK(field_of(R"({"anchors":[{"a":"x","h":"12"}]})") == "anchors[0].h");
  CHECK(field_of("{}") == "(accepted)");
}

TEST_CASE("a sync reply is read against what was asked") {
  SyncReply reply;
  reply.server_time = 5;
  reply.anchors = {AnchorOutcome{200, 99, {}}, AnchorOutcome{409, 0, "ended"}};
  reply.submit = SubmitReply{};
  reply.submit->server_time = 5;
  reply.submit->receipts = {Accepted("k1")};
  reply.submit->sig = "c2ln";
  reply.events = EventsReply{5, "3", false, {}};
  reply.dicts = {{"relevance", 8}};
  const std::vector<ReceiptDefaults> sent = {{"k1", "k1", std::string(64, 'a')}};
  const std::string json = reply.ToJson(sent);
  CHECK(json.find(R"("receipts":[{"s":"accepted"}])") != std::string::npos);

  JsonDocument doc(json);
  const SyncReply back = SyncReply::Read(doc.Root(), sent, 2, false, true);
  CHECK(back.anchors[0].deadline == 99);
  CHECK(back.anchors[1].code == 409);
  CHECK(back.anchors[1].error == "ended");
  CHECK(back.submit->receipts[0].key == "k1");
  CHECK(back.submit->receipts[0].answer_hash == std::string(64, 'a'));
  CHECK(back.events->cursor == "3");
  CHECK(back.dicts[0].id == 8);
  // Fewer anchor outcomes than anchors, a claim asked and not answered, receipts missing.
  CHECK_THROWS_AS(SyncReply::Read(doc.Root(), sent, 3, false, true), SyncError);
  CHECK_THROWS_AS(SyncReply::Read(doc.Root(), sent, 2, true, true), SyncError);
  const std::vector<ReceiptDefaults> two = {sent[0], {"k2", "k2", std::string(64, 'b')}};
  CHECK_THROWS_AS(SyncReply::Read(doc.Root(), two, 2, false, true), SyncError);
}
