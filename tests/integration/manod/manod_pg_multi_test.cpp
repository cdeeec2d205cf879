// Two manod processes serving one PostgreSQL database at once: concurrent claims from eight
// workers through both never lease a task more than its `assignments` times (checked by SQL
// on the database itself), every worker gets work, and a result submitted through one
// process and replayed through the other gets the same receipt under the shared key.
#include <atomic>
#include <mutex>
#include <thread>

#include "manod_fixture.h"

using namespace mano::test;
using mano::sync::ReceiptStatus;

TEST_CASE("two manod processes on one PostgreSQL database lease each task at most its times") {
  PostgresProcess& pg = PostgresProcess::Shared();
  const std::string url = pg.CreateDatabase();
  constexpr int kTasks = 150, kAssignments = 2, kWorkers = 8;

  ManodProcess first(ManodProcess::FirstOfSeveral(url, kWorkers, "100000"));
  first.Import(WriteFile(first.dir(), "tasks.jsonl",
                         TaskLines("t", kTasks, "k", "refuse", 3600000, false, kAssignments)));
  first.Start();
  ManodProcess second(first.Joining());
  REQUIRE(first.pid() != second.pid());

  // Each worker claims small batches, alternating between the two processes, until both say
  // there is nothing left; each claim key is used on both processes (a replay must return
  // the same assignments, wherever it lands).
  std::atomic<int> leased{0};
  std::mutex mu;
  std::vector<int> per_worker(kWorkers, 0);
  std::vector<std::string> first_assignment(kWorkers);
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&, w] {
      try {
        const std::string token = first.Token("w" + std::to_string(w));
        Http via[2] = {Http(first.url()), Http(second.url())};
        int empty_in_a_row = 0;
        for (int round = 0; empty_in_a_row < 2 && round < 1000; ++round) {
          const std::string key = "c" + std::to_string(w) + "-" + std::to_string(round);
          const std::string body = "{\"key\":\"" + key + "\",\"count\":3}";
          Reply r = via[round % 2].Post("/v1/claim", token, body);
          Reply again = via[(round + 1) % 2].Post("/v1/claim", token, body);
          auto ids = [](const Reply& reply) {
            std::vector<std::string> out;
            for (const auto& a : mano::sync::ClaimReply::FromJson(reply.body).assignments) {
              out.push_back(a.id);
            }
            return out;
          };
          if (r.status != 200 || again.status != 200 || ids(r) != ids(again)) {
            std::lock_guard<std::mutex> lock(mu);
            failures.push_back("claim " + key + ": " + r.body + " / " + again.body);
            return;
          }
          const auto claim = mano::sync::ClaimReply::FromJson(r.body);
          const int n = static_cast<int>(claim.assignments.size());
          empty_in_a_row = n == 0 ? empty_in_a_row + 1 : 0;
          leased += n;
          std::lock_guard<std::mutex> lock(mu);
          per_worker[w] += n;
          if (n > 0 && first_assignment[w].empty()) first_assignment[w] = claim.assignments[0].id;
        }
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mu);
        failures.push_back(e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& f : failures) FAIL_CHECK(f);

  // The database's own account, not the clients'.
  CHECK(pg.QueryInt(url,
                    "SELECT count(*) FROM (SELECT a.task_id FROM assignments a JOIN tasks t"
                    " ON t.id=a.task_id GROUP BY a.task_id, t.max_assignments"
                    " HAVING count(*) > t.max_assignments) over") == 0);
  CHECK(pg.QueryInt(url, "SELECT count(*) FROM assignments") == kTasks * kAssignments);
  CHECK(leased.load() == kTasks * kAssignments);
  CHECK(pg.QueryInt(url,
                    "SELECT count(*) FROM (SELECT task_id, worker_id FROM assignments"
                    " GROUP BY task_id, worker_id HAVING count(*) > 1) twice") == 0);
  for (int w = 0; w < kWorkers; ++w) {
    INFO("worker w" << w);
    CHECK(per_worker[w] > 0);  // nobody starved
  }

  // A result through one process, replayed through the other: the replay is a duplicate
  // with the first one's time, one result row, and both receipts verify with the key the
  // processes share.
  REQUIRE(!first_assignment[0].empty());
  const std::string a0 = first_assignment[0];
  Client via_first{Http(first.url()), first.Token("w0")};
  Client via_second{Http(second.url()), first.Token("w0")};
  const auto accepted = via_first.SubmitOne(a0, 3, a0 + ":1");
  const auto replayed = via_second.SubmitOne(a0, 3, a0 + ":1");
  CHECK(accepted.status == ReceiptStatus::kAccepted);
  CHECK(replayed.status == ReceiptStatus::kDuplicate);
  CHECK(replayed.server_time == accepted.server_time);
  auto verifier = VerifierFrom(via_second.http);
  CHECK(verifier.Verify(accepted));
  CHECK(verifier.Verify(replayed));
  CHECK(pg.QueryInt(url, "SELECT count(*) FROM results") == 1);
}
