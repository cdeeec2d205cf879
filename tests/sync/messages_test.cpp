#include "mano/sync/messages.h"

#include <catch2/catch.hpp>

#include "bad_field.h"
#include "mano/sync/presets.h"
#include "mano/sync/sync_error.h"

using namespace mano::sync;
using mano::test::BadField;

namespace {

template <class M>
void CheckRoundTrip(const M& m) {
  std::string json = m.ToJson();
  M back = M::FromJson(json);
  CHECK(back.ToJson() == json);
}

Assignment SampleAssignment() {
  Assignment a;
  a.id = "2s9";
  a.task = "rel-1";
  a.kind = "relevance";
  a.deadline = 1795000000000;
  a.reward = 25000;
  a.policy = Policy{LatePolicy::kAcceptIfAnchored, true, 1800000};
  a.form = PresetForm("bounding_boxes");
  a.assets = {AssetRef{"image", std::string(64, 'a'), 1234, "image/png"}};
  return a;
}

Receipt SampleReceipt() {
  return Receipt{
      "2s9",          "2s9", ReceiptStatus::kLateAccepted, 200, 1795000000123, std::string(64, 'b'),
      "c2lnbmF0dXJl", ""};
}

}  // namespace

TEST_CASE("Every message round trips") {
  CheckRoundTrip(HealthReply{true, "v1", 17});
  CheckRoundTrip(ReceiptKey{"ed25519", "a2V5", "0123abcd"});
  CheckRoundTrip(MeReply{"ana", "USD", 5});
  CheckRoundTrip(MeReply{"ana", "EUR", 5, {{"EUR", 50000, 10000}, {"USD", 25000, 0}}});
  CheckRoundTrip(ClaimRequest{"c-1", 10, {"relevance", "transcription"}});
  CheckRoundTrip(ClaimRequest{"c-2", 1, {}});
  CheckRoundTrip(ClaimReply{99, {SampleAssignment(), SampleAssignment()}});
  CheckRoundTrip(AnchorRequest{"2s9", std::string(32, 'f')});
  CheckRoundTrip(AnchorReply{1, 2});
  SubmitRequest submit;
  SubmitResult r1;
  r1.assignment_id = "2s9";
  r1.answer = SampleAnswer("relevance", 7);
  SubmitResult r2;
  r2.assignment_id = "2sa";
  r2.key = "2sa:2";
  r2.upload_id = "up1";
  submit.results = {r1, r2};
  CheckRoundTrip(submit);
  Receipt with_error = SampleReceipt();
  with_error.status = ReceiptStatus::kInvalid;
  with_error.code = 422;
  with_error.error = "score: must be at most 4";
  CheckRoundTrip(SubmitReply{5, {SampleReceipt(), with_error}, ""});
  Event rejected{3, EventType::kRejected, "2s9", "spam", 0, "", 44};
  Event payment{4, EventType::kPayment, "", "", 125000, "USD", 45};
  CheckRoundTrip(EventsReply{9, "c4", true, {rejected, payment}});
  CheckRoundTrip(ReturnRequest{"2s9"});
  CheckRoundTrip(ReturnReply{3, "returned"});
  CheckRoundTrip(ErrorBody{"bad_field", "score: must be at most 4", "results[0].v.score"});
  CheckRoundTrip(ErrorBody{"not_found", "no such asset", "", 1795000000000});
}

TEST_CASE("An error body carries the server's t after the error, when set") {
  CHECK(ErrorBody{"x", "m", "", 7}.ToJson() == R"({"error":{"code":"x","message":"m"},"t":7})");
  CHECK(ErrorBody{"x", "m", ""}.ToJson() == R"({"error":{"code":"x","message":"m"}})");
  CHECK(ErrorBody::FromJson(R"({"error":{"code":"x"}})").server_time == 0);
}

TEST_CASE("The server's reading of a submit keeps a result with an inexact number apart") {
  const std::string body =
      R"({"results":[{"a":"1","v":{"n":12345678901234567890}},{"a":"2","v":{"n":3}},)"
      R"({"a":"3","v":{"b":[{"x":1e300,"y":0,"w":1,"h":1}]}}]})";
  // Everyone else's reading (the client's) still refuses the whole.
  CHECK_THROWS_AS(SubmitRequest::FromJson(body), SyncError);
  const SubmitRequest judged = SubmitRequest::FromJsonJudging(body);
  REQUIRE(judged.results.size() == 3);
  CHECK(judged.results[0].inexact ==
        "results[0].v.n: number beyond +-9007199254740991 (2^53 - 1) cannot be kept exactly "
        "(RFC 8785)");
  CHECK(judged.results[0].answer.empty());
  CHECK(judged.results[0].assignment_id == "1");
  CHECK(judged.results[1].inexact.empty());
  CHECK(judged.results[2].inexact.rfind("results[2].v.b[0].x: number beyond", 0) == 0);
  // Other faults still refuse the whole request.
  CHECK_THROWS_AS(SubmitRequest::FromJsonJudging(R"({"results":[{"a":"1","v":{"n":null}}]})"),
                  SyncError);
  CHECK_THROWS_AS(SubmitRequest::FromJsonJudging(R"({"results":[]})"), SyncError);
}

TEST_CASE("Round trips keep the values") {
  Assignment a = Assignment::FromJson(SampleAssignment().ToJson());
  CHECK(a.id == "2s9");
  CHECK(a.policy.late == LatePolicy::kAcceptIfAnchored);
  CHECK(a.policy.lease_ms == 1800000);
  CHECK(a.form.fields.at(0).type == FieldType::kBoxes);
  CHECK(a.form.fields.at(0).width == 64);
  CHECK(a.assets.at(0).size == 1234);
  Receipt r = Receipt::FromJson(SampleReceipt().ToJson());
  CHECK(r.status == ReceiptStatus::kLateAccepted);
  CHECK(r.server_time == 1795000000123);
}

TEST_CASE("Submit JSON is compact: the key defaults to the assignment id") {
  SubmitResult r;
  r.assignment_id = "2s9";
  r.key = "2s9";
  r.answer.Set("score", std::int64_t{3});
  SubmitRequest req{{r}};
  CHECK(req.ToJson() == R"({"results":[{"a":"2s9","v":{"score":3}}]})");
  SubmitRequest back = SubmitRequest::FromJson(req.ToJson());
  CHECK(back.results[0].EffectiveKey() == "2s9");
  CHECK(AnchorRequest{"2s9", std::string(32, '0')}.ToJson().size() <= 50);
}

TEST_CASE("Truncated JSON is a BadMessage for every message") {
  std::string full = ClaimReply{99, {SampleAssignment()}}.ToJson();
  for (std::size_t cut = 0; cut < full.size(); cut += 7) {
    CHECK_THROWS_AS(ClaimReply::FromJson(full.substr(0, cut)), SyncError);
  }
  std::string receipts = SubmitReply{5, {SampleReceipt()}, ""}.ToJson();
  for (std::size_t cut = 0; cut < receipts.size(); ++cut) {
    CHECK_THROWS_AS(SubmitReply::FromJson(receipts.substr(0, cut)), SyncError);
  }
}

TEST_CASE("Wrong types and missing fields name the field") {
  CHECK(BadField<ClaimRequest>(R"({"count":2})") == "key");
  CHECK(BadField<ClaimRequest>(R"({"key":"k","count":"2"})") == "count");
  CHECK(BadField<ClaimRequest>(R"({"key":"k","count":0})") == "count");
  CHECK(BadField<ClaimRequest>(R"({"key":"k","count":1000})") == "count");
  CHECK(BadField<ClaimRequest>(R"({"key":"k","kinds":["ok",3]})") == "kinds[1]");
  CHECK(BadField<ClaimRequest>(R"([])") == "");
  CHECK(BadField<AnchorRequest>(R"({"a":"x","h":"abc"})") == "h");
  CHECK(BadField<AnchorRequest>(R"({"a":"x","h":"ABCDEFABCDEFABCDEFABCDEFABCDEFAB"})") == "h");
  CHECK(BadField<AnchorRequest>(R"({"a":7,"h":"00000000000000000000000000000000"})") == "a");
  CHECK(BadField<SubmitRequest>(R"({"results":[]})") == "results");
  CHECK(BadField<SubmitRequest>(R"({"results":[{"a":"x"}]})") == "results[0].v");
  CHECK(BadField<SubmitRequest>(
            R"({"results":[{"a":"x","v":{"s":1}},{"a":"y","v":{"s":null}}]})") == "results[1].v.s");
  CHECK(BadField<SubmitRequest>(R"({"results":[{"a":"x","u":"up","v":{}}]})") == "results[0].v");
  CHECK(BadField<SubmitRequest>(R"({"results":{"a":"x"}})") == "results");
  CHECK(BadField<SubmitReply>(
            R"({"t":1,"receipts":[{"k":"a","a":"a","s":"maybe","c":200,"t":1,"sig":""}]})") ==
        "receipts[0].s");
  CHECK(BadField<SubmitReply>(R"({"t":"1","receipts":[]})") == "t");
  CHECK(
      BadField<ClaimReply>(
          R"({"t":1,"assignments":[{"id":"a","task":"t","kind":"k","deadline":1,"reward":-5,"currency":"USD","policy":{"late":"accept"},"form":{"fields":[]}}]})") ==
      "assignments[0].reward");
  CHECK(
      BadField<ClaimReply>(
          R"({"t":1,"assignments":[{"id":"a","task":"t","kind":"k","deadline":1,"reward":5,"currency":"USD","policy":{"late":"never"},"form":{"fields":[]}}]})") ==
      "assignments[0].policy.late");
  CHECK(
      BadField<ClaimReply>(
          R"({"t":1,"assignments":[{"id":"a","task":"t","kind":"k","deadline":1,"reward":5,"currency":"USD","policy":{"late":"accept"},"form":{"fields":[{"name":"f","type":"dial"}]}}]})") ==
      "assignments[0].form.fields[0].type");
  CHECK(BadField<EventsReply>(
            R"({"t":1,"cursor":"c","events":[{"seq":1,"type":"rejected","a":"x","t":1}]})") ==
        "events[0].reason");
  CHECK(BadField<ErrorBody>(R"({"code":"x"})") == "error");
  CHECK(BadField<ReceiptKey>(R"({"alg":"rsa","key":"k","key_id":"i"})") == "alg");
  CHECK(BadField<HealthReply>(R"({"ok":1,"protocol":"v1","t":1})") == "ok");
}

TEST_CASE("Invalid UTF-8 anywhere is a BadMessage") {
  CHECK_THROWS_AS(MeReply::FromJson("{\"worker\":\"\xc3\",\"currency\":\"USD\",\"t\":1}"),
                  SyncError);
  CHECK(BadField<MeReply>(R"({"worker":"\udc00x","currency":"USD","t":1})") == "worker");
}

TEST_CASE("Receipt statuses pair with their item codes") {
  CHECK(ReceiptStatusCode(ReceiptStatus::kAccepted) == 200);
  CHECK(ReceiptStatusCode(ReceiptStatus::kDuplicate) == 200);
  CHECK(ReceiptStatusCode(ReceiptStatus::kConflict) == 422);
  CHECK(ReceiptStatusCode(ReceiptStatus::kLateRefused) == 409);
  CHECK(ReceiptStatusCode(ReceiptStatus::kNotFound) == 404);
  for (auto s : {ReceiptStatus::kAccepted, ReceiptStatus::kDuplicate, ReceiptStatus::kConflict,
                 ReceiptStatus::kLateAccepted, ReceiptStatus::kLateRefused, ReceiptStatus::kInvalid,
                 ReceiptStatus::kNotFound}) {
    CHECK(ParseReceiptStatus(ReceiptStatusName(s)) == s);
  }
  for (auto t : {EventType::kApproved, EventType::kRejected, EventType::kPayment, EventType::kBonus,
                 EventType::kRevoked, EventType::kWithdrawn}) {
    CHECK(ParseEventType(EventTypeName(t)) == t);
  }
}

TEST_CASE("an assignment's requester is optional, kept, and limited") {
  Assignment a = SampleAssignment();
  CHECK(a.ToJson().find("requester") == std::string::npos);
  CHECK_FALSE(Assignment::FromJson(a.ToJson()).requester);
  a.requester = Requester{"A1B2C3", "Acme Search"};
  CheckRoundTrip(a);
  CHECK(Assignment::FromJson(a.ToJson()).requester == a.requester);
  a.requester = Requester{"A1B2C3", ""};
  CHECK(a.ToJson().find("Acme") == std::string::npos);
  CHECK(Assignment::FromJson(a.ToJson()).requester->name.empty());

  CHECK(BadField<Requester>(R"({"name":"x"})") == "id");
  CHECK(BadField<Requester>(R"({"id":""})") == "id");
  CHECK(BadField<Requester>(R"({"id":")" + std::string(65, 'a') + "\"}") == "id");
  CHECK(Requester::FromJson(R"({"id":")" + std::string(64, 'a') + "\"}").id.size() == 64);
  CHECK(BadField<Requester>(R"({"id":"a","name":")" + std::string(129, 'n') + "\"}") == "name");
  CHECK(BadField<Requester>(R"({"id":"a","name":"bell\u0007"})") == "name");
  CHECK(BadField<Requester>(R"({"id":"a\u001b[2J"})") == "id");
  CHECK_THROWS_AS(Requester::FromJson(R"("acme")"), SyncError);
}
