#include "mano/sync/result_builder.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "mano/sync/limits.h"
#include "mano/sync/presets.h"
#include "mano/sync/sync_error.h"
#include "temp_dir.h"

using namespace mano;
using storage::AssignmentState;

namespace {

struct TempStore {
  mano::test::TempDir temp_dir{"mano-result"};
  std::string dir = temp_dir.path();
  storage::Store store = storage::Store::Open(dir);
};

int64_t AddRelevance(storage::Store& store, const std::string& server_id) {
  if (!store.GetAccount("acct")) {
    store.AddAccount(storage::Account{"acct", "http://127.0.0.1:1", "t", "k", "USD", 0});
  }
  sync::Assignment server;
  server.id = server_id;
  server.task = "task-" + server_id;
  server.kind = "relevance";
  server.deadline = 1;
  server.form = sync::PresetForm("relevance");
  storage::Assignment local;
  local.account = "acct";
  local.server_id = server_id;
  local.kind = "relevance";
  local.payload = server.ToJson();
  return store.UpsertAssignment(local);
}

}  // namespace

TEST_CASE("a valid answer becomes an outbox item keyed by its assignment", "[result]") {
  TempStore t;
  const int64_t id = AddRelevance(t.store, "a7");
  const sync::Answer answer = sync::SampleAnswer("relevance", 3);
  const int64_t outbox = sync::QueueResult(t.store, id, answer);
  const auto item = t.store.TEST_GetOutboxItem(outbox);
  REQUIRE(item);
  CHECK(item->idempotency_key == "a7:1");
  CHECK(item->content_hash == answer.Hash());
  const auto body = sync::FromJsonString<sync::SubmitResult>(item->body);
  CHECK(body.assignment_id == "a7");
  CHECK(body.EffectiveKey() == "a7:1");
  CHECK(body.answer == answer);
  CHECK(t.store.GetAssignment(id)->state == AssignmentState::kQueued);
  // Submitting again (a retry after a crash) maps to the same row.
  CHECK(sync::QueueResult(t.store, id, answer) == outbox);
  CHECK(t.store.OutboxStats("acct").items == 1);
}

TEST_CASE("an invalid answer is refused naming the field, and nothing is queued", "[result]") {
  TempStore t;
  const int64_t id = AddRelevance(t.store, "b1");
  sync::Answer answer;
  answer.Set("score", std::int64_t{99});
  try {
    sync::QueueResult(t.store, id, answer);
    FAIL("accepted an out-of-range score");
  } catch (const sync::SyncError& error) {
    CHECK(error.kind() == sync::SyncErrorKind::kBadMessage);
    CHECK(error.field() == "score");
  }
  CHECK(t.store.OutboxStats("acct").items == 0);
  CHECK(t.store.GetAssignment(id)->state == AssignmentState::kClaimed);
}

TEST_CASE("expired work is still queued; returned work is not", "[result]") {
  TempStore t;
  const int64_t expired = AddRelevance(t.store, "c1");
  t.store.SetState(expired, AssignmentState::kExpired, "test");
  CHECK(sync::QueueResult(t.store, expired, sync::SampleAnswer("relevance", 1)) > 0);
  const int64_t returned = AddRelevance(t.store, "c2");
  t.store.SetState(returned, AssignmentState::kReturned, "test");
  CHECK_THROWS_AS(sync::QueueResult(t.store, returned, sync::SampleAnswer("relevance", 1)),
                  sync::SyncError);
}

TEST_CASE("mano's reason for an oversize answer reads back; anything else is not it", "[result]") {
  const std::string reason = sync::AnswerTooLargeReason(70000725);
  CHECK(reason == "mano:answer_too_large 70000725 " + std::to_string(sync::kMaxUploadBytes));
  const auto read = sync::ReadAnswerTooLargeReason(reason);
  REQUIRE(read);
  CHECK(read->bytes == 70000725u);
  CHECK(read->limit == sync::kMaxUploadBytes);
  for (const char* other : {"", "too late", "mano:answer_too_large", "mano:answer_too_large 5",
                            "mano:answer_too_large 5 x", "mano:answer_too_large 5 6 ", "x mano"}) {
    INFO(other);
    CHECK_FALSE(sync::ReadAnswerTooLargeReason(other));
  }
  // A body of 64 MiB or less cannot hold an answer over 64 MiB: not even parsed.
  CHECK_FALSE(sync::OversizeResult(std::string(sync::kMaxUploadBytes, 'x')));
}
