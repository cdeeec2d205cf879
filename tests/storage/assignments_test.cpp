#include <catch2/catch.hpp>

#include "temp_dir.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::TestAccount;
using mano::storage::test::TestAssignment;

TEST_CASE("Assignment states round-trip through their names", "[unit]") {
  for (int i = 0; i <= static_cast<int>(AssignmentState::kApproved); ++i) {
    auto st = static_cast<AssignmentState>(i);
    CHECK(AssignmentStateFromString(ToString(st)) == st);
  }
  CHECK(ToString(AssignmentState::kInProgress) == "in_progress");
  CHECK_THROWS_AS(AssignmentStateFromString("bogus"), StoreError);
}

TEST_CASE("UpsertAssignment inserts, then updates task fields keeping id and state", "[unit]") {
  Fixture f;
  Store& s = f.store;
  Assignment a = TestAssignment();
  int64_t id = s.UpsertAssignment(a);
  CHECK(id > 0);
  auto got = s.GetAssignment(id);
  REQUIRE(got);
  CHECK(got->server_id == "srv-1");
  CHECK(got->payload == a.payload);
  CHECK(got->reward_micros == 1'250'000);
  CHECK(got->state == AssignmentState::kClaimed);

  s.SetState(id, AssignmentState::kInProgress, "opened");
  a.deadline_server_ms += 60'000;
  a.state = AssignmentState::kClaimed;  // ignored on update
  CHECK(s.UpsertAssignment(a) == id);
  got = s.GetAssignment(id);
  CHECK(got->deadline_server_ms == a.deadline_server_ms);
  CHECK(got->state == AssignmentState::kInProgress);
  CHECK(s.FindAssignment("alice", "srv-1")->id == id);
  CHECK_FALSE(s.FindAssignment("alice", "srv-2"));
  CHECK_FALSE(s.GetAssignment(id + 100));
}

TEST_CASE("Assignment ids are unique across accounts; lists filter", "[unit]") {
  Fixture f;
  Store& s = f.store;
  s.AddAccount(TestAccount("bob"));
  int64_t a1 = s.UpsertAssignment(TestAssignment("alice", "x"));
  int64_t b1 = s.UpsertAssignment(TestAssignment("bob", "x"));
  int64_t a2 = s.UpsertAssignment(TestAssignment("alice", "y"));
  CHECK(a1 != b1);
  s.SetState(a2, AssignmentState::kFinished, "done");
  CHECK(s.ListAssignments().size() == 3);
  CHECK(s.ListAssignments({std::string("alice"), std::nullopt}).size() == 2);
  auto finished = s.ListAssignments({std::nullopt, AssignmentState::kFinished});
  REQUIRE(finished.size() == 1);
  CHECK(finished[0].id == a2);
  CHECK(s.ListAssignments({std::string("bob"), AssignmentState::kFinished}).empty());
  CHECK_THROWS_AS(s.UpsertAssignment(TestAssignment("nobody", "z")), StoreError);
}

TEST_CASE("SetState journals every change in the same transaction", "[unit]") {
  Fixture f;
  Store& s = f.store;
  int64_t id = s.UpsertAssignment(TestAssignment());
  size_t before = s.ListJournal().size();
  s.SetState(id, AssignmentState::kInProgress, "opened");
  s.SetState(id, AssignmentState::kInProgress, "again");  // no change, no entry
  s.SetState(id, AssignmentState::kFinished, "submit \"now\"");
  auto journal = s.ListJournal();
  REQUIRE(journal.size() == before + 2);
  CHECK(journal.back().type == "state");
  CHECK(journal.back().assignment_id == id);
  CHECK(journal.back().payload ==
        R"({"from":"in_progress","to":"finished","reason":"submit \"now\""})");
  CHECK_THROWS_AS(s.SetState(id + 50, AssignmentState::kFinished, ""), StoreError);
}
