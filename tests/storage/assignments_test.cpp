#include <catch2/catch.hpp>

#include "store_fixtures.h"

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

TEST_CASE_METHOD(Fixture, "UpsertAssignment inserts, then updates task fields keeping id and state",
                 "[unit]") {
  Assignment a = TestAssignment();
  int64_t id = store.UpsertAssignment(a);
  CHECK(id > 0);
  auto got = store.GetAssignment(id);
  REQUIRE(got);
  CHECK(got->server_id == "srv-1");
  CHECK(got->payload == a.payload);
  CHECK(got->reward_micros == 1'250'000);
  CHECK(got->state == AssignmentState::kClaimed);

  store.SetState(id, AssignmentState::kInProgress, "opened");
  a.deadline_server_ms += 60'000;
  a.state = AssignmentState::kClaimed;  // ignored on update
  CHECK(store.UpsertAssignment(a) == id);
  got = store.GetAssignment(id);
  CHECK(got->deadline_server_ms == a.deadline_server_ms);
  CHECK(got->state == AssignmentState::kInProgress);
  CHECK(store.FindAssignment("alice", "srv-1")->id == id);
  CHECK_FALSE(store.FindAssignment("alice", "srv-2"));
  CHECK_FALSE(store.GetAssignment(id + 100));
}

TEST_CASE_METHOD(Fixture, "Assignment ids are unique across accounts; lists filter", "[unit]") {
  store.AddAccount(TestAccount("bob"));
  int64_t a1 = store.UpsertAssignment(TestAssignment("alice", "x"));
  int64_t b1 = store.UpsertAssignment(TestAssignment("bob", "x"));
  int64_t a2 = store.UpsertAssignment(TestAssignment("alice", "y"));
  CHECK(a1 != b1);
  store.SetState(a2, AssignmentState::kQueued, "done");
  CHECK(store.ListAssignments().size() == 3);
  CHECK(store.ListAssignments({std::string("alice"), std::nullopt}).size() == 2);
  auto finished = store.ListAssignments({std::nullopt, AssignmentState::kQueued});
  REQUIRE(finished.size() == 1);
  CHECK(finished[0].id == a2);
  CHECK(store.ListAssignments({std::string("bob"), AssignmentState::kQueued}).empty());
  CHECK_THROWS_AS(store.UpsertAssignment(TestAssignment("nobody", "z")), StoreError);
}

TEST_CASE_METHOD(Fixture, "SetState journals every change in the same transaction", "[unit]") {
  int64_t id = store.UpsertAssignment(TestAssignment());
  size_t before = store.ListJournal().size();
  store.SetState(id, AssignmentState::kInProgress, "opened");
  store.SetState(id, AssignmentState::kInProgress, "again");  // no change, no entry
  store.SetState(id, AssignmentState::kQueued, "submit \"now\"");
  auto journal = store.ListJournal();
  REQUIRE(journal.size() == before + 2);
  CHECK(journal.back().type == "state");
  CHECK(journal.back().assignment_id == id);
  CHECK(journal.back().payload ==
        R"({"from":"in_progress","to":"queued","reason":"submit \"now\""})");
  CHECK_THROWS_AS(store.SetState(id + 50, AssignmentState::kQueued, ""), StoreError);
}

TEST_CASE_METHOD(Fixture,
                 "SetState keeps the reason given with a state, and clears it with the next state",
                 "[unit]") {
  int64_t id = store.UpsertAssignment(TestAssignment());
  store.SetState(id, AssignmentState::kRevoked, "lease revoked by the server; work kept",
                 "duplicate of task 12");
  CHECK(store.GetAssignment(id)->state == AssignmentState::kRevoked);
  CHECK(store.GetAssignment(id)->state_reason == "duplicate of task 12");
  // The journal keeps the store's own reason; the reason given stays on the row.
  CHECK(store.ListJournal().back().payload ==
        R"({"from":"claimed","to":"revoked","reason":"lease revoked by the server; work kept"})");
  store.SetState(id, AssignmentState::kWithdrawn, "withdrawn");
  CHECK(store.GetAssignment(id)->state_reason.empty());
  // Every state name reads back as itself.
  for (int i = 0; i <= static_cast<int>(kLastAssignmentState); ++i) {
    const auto state = static_cast<AssignmentState>(i);
    CHECK(AssignmentStateFromString(ToString(state)) == state);
  }
  CHECK_THROWS_AS(AssignmentStateFromString("finished"), StoreError);
  CHECK_THROWS_AS(AssignmentStateFromString("acknowledged"), StoreError);
}

namespace {

Assignment Titled(const std::string& account, const std::string& server_id, int64_t deadline_ms,
                  const std::string& title) {
  Assignment a = TestAssignment(account, server_id);
  a.deadline_server_ms = deadline_ms;
  a.title = title;
  return a;
}

std::vector<int64_t> Ids(const ListingPage& page) {
  std::vector<int64_t> ids;
  for (const auto& row : page.rows) ids.push_back(row.id);
  return ids;
}

}  // namespace

TEST_CASE_METHOD(Fixture, "ListAssignmentSummaries gives the list's fields without the payload",
                 "[unit]") {
  const int64_t deadline = 1'790'000'600'000;
  int64_t good = store.UpsertAssignment(Titled("alice", "g", deadline, "Rate the café ☕"));
  int64_t broken = store.UpsertAssignment(Titled("alice", "b", deadline, ""));
  int64_t numeric = store.UpsertAssignment(Titled("alice", "n", deadline, ""));
  store.SetState(broken, AssignmentState::kInProgress, "opened");

  ListingPage page = store.ListAssignmentSummaries();
  REQUIRE(page.rows.size() == 3);
  CHECK(page.total == 3);
  const AssignmentSummary& g = page.rows[0];
  Assignment full = *store.GetAssignment(good);
  CHECK(g.id == good);
  CHECK(g.account == full.account);
  CHECK(g.server_id == "g");
  CHECK(g.task_id == full.task_id);
  CHECK(g.kind == full.kind);
  CHECK(g.title == "Rate the café ☕");
  CHECK(g.state == AssignmentState::kClaimed);
  CHECK(g.deadline_server_ms == deadline);
  CHECK(g.reward_micros == full.reward_micros);
  CHECK(g.currency == "USD");
  CHECK_FALSE(g.remaining_ms);  // never in contact with the server
  CHECK(g.draft_version == 0);
  CHECK(g.draft_saved_ms == 0);
  // The title is the stored column, never read from the payload (storage knows no form).
  CHECK(full.title == "Rate the café ☕");
  CHECK(page.rows[1].id == broken);
  CHECK(page.rows[1].title.empty());
  CHECK(page.rows[1].state == AssignmentState::kInProgress);
  CHECK(page.rows[2].id == numeric);
  CHECK(page.rows[2].title.empty());

  ListingQuery no_title;
  no_title.with_title = false;
  CHECK(store.ListAssignmentSummaries(no_title).rows[0].title.empty());
}

TEST_CASE_METHOD(Fixture, "ListAssignmentSummaries pages by id with the total of every page",
                 "[unit]") {
  std::vector<int64_t> all;
  for (int i = 0; i < 25; ++i)
    all.push_back(store.UpsertAssignment(TestAssignment("alice", "p" + std::to_string(i))));
  std::vector<int64_t> seen;
  for (int64_t offset = 0; offset < 25; offset += 10) {
    ListingQuery q;
    q.offset = offset;
    q.limit = 10;
    ListingPage page = store.ListAssignmentSummaries(q);
    CHECK(page.total == 25);
    CHECK(page.rows.size() == (offset == 20 ? 5u : 10u));
    for (int64_t id : Ids(page)) seen.push_back(id);
  }
  CHECK(seen == all);
  ListingQuery past;
  past.offset = 40;
  past.limit = 10;
  ListingPage end = store.ListAssignmentSummaries(past);
  CHECK(end.rows.empty());
  CHECK(end.total == 25);
  ListingQuery count;
  count.limit = 0;
  end = store.ListAssignmentSummaries(count);
  CHECK(end.rows.empty());
  CHECK(end.total == 25);
  ListingQuery none;
  none.account = "nobody";
  CHECK(store.ListAssignmentSummaries(none).total == 0);
}

TEST_CASE_METHOD(Fixture, "ListAssignmentSummaries filters by account, states and ids", "[unit]") {
  store.AddAccount(TestAccount("bob"));
  int64_t a1 = store.UpsertAssignment(TestAssignment("alice", "1"));
  int64_t b1 = store.UpsertAssignment(TestAssignment("bob", "1"));
  int64_t a2 = store.UpsertAssignment(TestAssignment("alice", "2"));
  int64_t a3 = store.UpsertAssignment(TestAssignment("alice", "3"));
  store.SetState(a2, AssignmentState::kQueued, "submitted");
  store.SetState(a3, AssignmentState::kExpired, "late");

  ListingQuery q;
  q.account = "alice";
  CHECK(Ids(store.ListAssignmentSummaries(q)) == std::vector<int64_t>{a1, a2, a3});
  q.states = {AssignmentState::kClaimed, AssignmentState::kExpired};
  ListingPage page = store.ListAssignmentSummaries(q);
  CHECK(Ids(page) == std::vector<int64_t>{a1, a3});
  CHECK(page.total == 2);
  q = {};
  q.ids = {b1, a3, 9999};
  CHECK(Ids(store.ListAssignmentSummaries(q)) == std::vector<int64_t>{b1, a3});
}

TEST_CASE_METHOD(
    Fixture,
    "ListAssignmentSummaries in queue order: open work first, soonest deadline, unknown last",
    "[unit]") {
  store.AddAccount(TestAccount("bob"));  // bob never talks to his server: time left unknown
  const int64_t base = 1'790'000'000'000;
  store.RecordServerContact("alice", base + 5'000);  // alice's server is 5 s ahead
  auto add = [&](const std::string& account, const std::string& id, int64_t left_ms,
                 AssignmentState state) {
    int64_t local = store.UpsertAssignment(Titled(account, id, base + 5'000 + left_ms, ""));
    store.SetState(local, state, "test");
    return local;
  };
  using S = AssignmentState;
  int64_t sent_soon = add("alice", "sent", 1'000, S::kQueued);
  int64_t claimed_late = add("alice", "c-late", 600'000, S::kClaimed);
  int64_t bob_claimed = add("bob", "b", 10, S::kClaimed);
  int64_t draft_soon = add("alice", "d-soon", 60'000, S::kInProgress);
  int64_t expired = add("alice", "x", -30'000, S::kExpired);
  int64_t tie = add("alice", "c-tie", 60'000, S::kClaimed);
  int64_t done_late = add("alice", "done", 900'000, S::kAccepted);
  int64_t bob_done = add("bob", "b-done", 5, S::kApproved);

  ListingQuery q;
  q.order = ListingOrder::kQueue;
  q.first = {S::kClaimed, S::kInProgress, S::kExpired};
  ListingPage page = store.ListAssignmentSummaries(q);
  CHECK(Ids(page) == std::vector<int64_t>{expired, draft_soon, tie, claimed_late, bob_claimed,
                                          sent_soon, done_late, bob_done});
  CHECK(page.total == 8);
  REQUIRE(page.rows[0].remaining_ms);
  CHECK(*page.rows[0].remaining_ms == -30'000);
  CHECK(*page.rows[1].remaining_ms == 60'000);
  CHECK_FALSE(page.rows[4].remaining_ms);

  // Time passes (the server's clock carried by the monotonic clock): time left shrinks.
  clock->Advance(20'000);
  page = store.ListAssignmentSummaries(q);
  CHECK(*page.rows[1].remaining_ms == 40'000);
  CHECK(*page.rows[1].remaining_ms == page.rows[1].deadline_server_ms - *store.ServerNow("alice"));

  // A window in the middle is the same slice of the same order.
  q.offset = 2;
  q.limit = 3;
  page = store.ListAssignmentSummaries(q);
  CHECK(Ids(page) == std::vector<int64_t>{tie, claimed_late, bob_claimed});
  CHECK(page.total == 8);

  // Without preferred states, only time left and id order the rows.
  q = {};
  q.order = ListingOrder::kQueue;
  CHECK(Ids(store.ListAssignmentSummaries(q)) ==
        std::vector<int64_t>{expired, sent_soon, draft_soon, tie, claimed_late, done_late,
                             bob_claimed, bob_done});

  // By deadline alone (known or not), then id: what `mano status` shows as due next.
  q.order = ListingOrder::kDeadline;
  CHECK(Ids(store.ListAssignmentSummaries(q)) ==
        std::vector<int64_t>{expired, bob_done, bob_claimed, sent_soon, draft_soon, tie,
                             claimed_late, done_late});
  q.states = {S::kClaimed, S::kInProgress};
  q.limit = 3;
  ListingPage soonest = store.ListAssignmentSummaries(q);
  CHECK(Ids(soonest) == std::vector<int64_t>{bob_claimed, draft_soon, tie});
  CHECK(soonest.total == 4);
}

TEST_CASE_METHOD(Fixture,
                 "ListAssignmentSummaries reports the latest draft version and when it was saved",
                 "[unit]") {
  int64_t with = store.UpsertAssignment(TestAssignment("alice", "w"));
  int64_t without = store.UpsertAssignment(TestAssignment("alice", "o"));
  store.SaveCheckpoint(with, "{\"a\":1}", "");
  clock->Advance(1'500);
  store.SaveCheckpoint(with, "{\"a\":2}", "");
  ListingPage page = store.ListAssignmentSummaries();
  REQUIRE(page.rows.size() == 2);
  CHECK(page.rows[0].id == with);
  CHECK(page.rows[0].draft_version == 2);
  CHECK(page.rows[0].draft_saved_ms == store.LatestCheckpoint(with)->saved_ms);
  CHECK(page.rows[0].draft_saved_ms == clock->NowMs());
  CHECK(page.rows[1].id == without);
  CHECK(page.rows[1].draft_version == 0);
}
