// ResultExporter::WriteMturkCsv and ServerStore::ReviewAll on a real SqliteServerStore: the
// fixed batch-results columns carry what manod knows (and are empty where it knows nothing),
// and a set of reviews goes in all together or not at all.
#include "result_exporter.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "csv.h"
#include "server_clock.h"
#include "sqlite_server_store.h"
#include "temp_dir.h"

using namespace mano::manod;

namespace {

constexpr int64_t kDay = 86400000;
constexpr int64_t kT0 = 1795000000000;  // Wed Nov 18 11:06:40 UTC 2026

// Four relevance tasks with a 30-minute lease; ana and bo each submit two results.
struct Fixture {
  mano::test::TempDir dir{"manod-export"};
  SqliteServerStore store{dir.File("manod.db"), true};
  std::vector<int64_t> ana, bo;  // assignment ids
  Fixture() {
    REQUIRE(store.AddWorker("ana", "hash-a", kT0));
    REQUIRE(store.AddWorker("bo", "hash-b", kT0));
    {
      auto batch = store.BeginImport(kT0);  // holds the store until destroyed
      for (int i = 1; i <= 4; ++i) {
        TaskRecord t;
        t.id = "t" + std::to_string(i);
        t.kind = "relevance";
        t.task_json = R"({"form":{"title":"Rate it, please","instructions":"=Read first"}})";
        t.input_json = R"({"query":"=cmd|' /C calc'!A0","n":")" + std::to_string(i) + "\"}";
        t.max_assignments = 1;
        t.lease_ms = 1800000;
        t.reward = i == 4 ? 500000 : 25000;
        t.currency = i == 4 ? "EUR" : "USD";
        REQUIRE(batch->PutTask(t));
      }
      batch->Commit();
    }
    ana = Work("hash-a", "ka", kT0);
    bo = Work("hash-b", "kb", kT0 + 1000);
  }
  std::vector<int64_t> Work(const std::string& token_hash, const std::string& key, int64_t t) {
    int64_t worker = store.WorkerByTokenHash(token_hash)->id;
    auto leased = store.Claim(worker, key, 2, {}, t);
    REQUIRE(leased.size() == 2);
    std::vector<int64_t> ids;
    for (const auto& a : leased) {
      SubmitAttempt attempt;
      attempt.worker_id = worker;
      attempt.key = key + std::to_string(a.id);
      attempt.assignment_id = a.id;
      attempt.answer_json = R"({"score":3,"comment":"-5 is too low"})";
      attempt.hash = "h";
      attempt.now = t + 95500;
      store.SubmitBatch({attempt}, [](size_t, const SubmitFacts&) {
        SubmitDecision d;
        d.receipt_json = "{}";
        d.store_result = true;
        d.status = "accepted";
        return d;
      });
      ids.push_back(a.id);
    }
    return ids;
  }
  std::vector<CsvRow> Export(int64_t now) {
    std::ostringstream out;
    ResultExporter(store).WriteMturkCsv(out, now);
    return ParseCsv(out.str());
  }
};

std::string At(const std::vector<CsvRow>& rows, size_t r, const std::string& column) {
  for (size_t c = 0; c < rows[0].size(); ++c)
    if (rows[0][c] == column) return rows[r][c];
  FAIL("no column " << column);
  return "";
}

}  // namespace

TEST_CASE("ReviewAll applies every decision or none") {
  Fixture f;
  using D = ServerStore::ReviewDecision;
  // One id unknown: nothing of the batch is written.
  auto outcomes = f.store.ReviewAll({D{f.ana[0], true, ""}, D{999, true, ""}}, kT0 + kDay);
  CHECK(outcomes == std::vector<ChangeOutcome>{ChangeOutcome::kDone, ChangeOutcome::kNotFound});
  for (const auto& row : f.Export(kT0 + kDay)) CHECK(row[16] != "Approved");
  // All valid: all written; the same again conflicts (a review is final) and changes nothing.
  outcomes = f.store.ReviewAll({D{f.ana[0], true, ""}, D{f.ana[1], false, "wrong"}}, kT0 + kDay);
  CHECK(outcomes == std::vector<ChangeOutcome>{ChangeOutcome::kDone, ChangeOutcome::kDone});
  outcomes = f.store.ReviewAll({D{f.bo[0], true, ""}, D{f.ana[1], true, ""}}, kT0 + kDay);
  CHECK(outcomes[1] == ChangeOutcome::kConflict);
  auto rows = f.Export(kT0 + kDay);
  REQUIRE(rows.size() == 5);
  CHECK(At(rows, 1, "AssignmentStatus") == "Approved");
  CHECK(At(rows, 2, "AssignmentStatus") == "Rejected");
  CHECK(At(rows, 3, "AssignmentStatus") == "Submitted");  // bo's approval was rolled back
}

TEST_CASE("the fixed MTurk columns: values manod has, empty cells for the rest") {
  Fixture f;
  using D = ServerStore::ReviewDecision;
  REQUIRE(f.store.ReviewAll({D{f.ana[0], true, ""}}, kT0 + kDay).at(0) == ChangeOutcome::kDone);
  REQUIRE(f.store.ReviewAll({D{f.ana[1], false, "=wrong, see \"notes\""}}, kT0 + 20 * kDay).at(0) ==
          ChangeOutcome::kDone);
  auto rows = f.Export(kT0 + 25 * kDay);
  REQUIRE(rows.size() == 5);
  const auto& header = rows[0];
  REQUIRE(header.size() == std::size(kMturkFixedColumns) + 2 + 2 + 2);
  CHECK(header[27] == "Input.n");
  CHECK(header[28] == "Input.query");
  CHECK(header[29] == "Answer.comment");
  CHECK(header[30] == "Answer.score");
  CHECK(header[31] == "Approve");
  CHECK(header[32] == "Reject");

  CHECK(At(rows, 1, "HITId") == "t1");
  CHECK(At(rows, 1, "HITTypeId") == "relevance");
  CHECK(At(rows, 1, "Title") == "Rate it, please");
  CHECK(At(rows, 1, "Description") == "'=Read first");  // read back with its guard
  CHECK(At(rows, 1, "Reward") == "$0.025");
  CHECK(At(rows, 1, "CreationTime") == "Wed Nov 18 11:06:40 UTC 2026");
  CHECK(At(rows, 1, "MaxAssignments") == "1");
  CHECK(At(rows, 1, "AssignmentDurationInSeconds") == "1800");
  CHECK(At(rows, 1, "AssignmentId") == EncodeId(f.ana[0]));
  CHECK(At(rows, 1, "WorkerId") == "ana");
  CHECK(At(rows, 1, "AcceptTime") == "Wed Nov 18 11:06:40 UTC 2026");
  CHECK(At(rows, 1, "SubmitTime") == "Wed Nov 18 11:08:15 UTC 2026");
  CHECK(At(rows, 1, "WorkTimeInSeconds") == "95");
  CHECK(At(rows, 1, "ApprovalTime") == "Thu Nov 19 11:06:40 UTC 2026");
  CHECK(At(rows, 1, "RejectionTime").empty());
  CHECK(At(rows, 2, "ApprovalTime").empty());
  CHECK(At(rows, 2, "RejectionTime") == "Tue Dec 08 11:06:40 UTC 2026");
  CHECK(At(rows, 2, "RequesterFeedback") == "'=wrong, see \"notes\"");
  CHECK(At(rows, 2, "Input.query") == "'=cmd|' /C calc'!A0");
  CHECK(At(rows, 2, "Answer.comment") == "'-5 is too low");
  CHECK(At(rows, 2, "Answer.score") == "3");
  // Approvals: all time, reviewed in the last 30 days, in the last 7 (the export is day 25).
  CHECK(At(rows, 1, "LifetimeApprovalRate") == "50% (1/2)");
  CHECK(At(rows, 1, "Last30DaysApprovalRate") == "50% (1/2)");
  CHECK(At(rows, 1, "Last7DaysApprovalRate") == "0% (0/1)");
  CHECK(At(rows, 3, "LifetimeApprovalRate") == "0% (0/0)");
  CHECK(At(rows, 4, "Reward") == "0.50 EUR");
  for (size_t r = 1; r < rows.size(); ++r) {
    for (const char* empty :
         {"Keywords", "RequesterAnnotation", "AutoApprovalDelayInSeconds", "Expiration",
          "NumberOfSimilarHITs", "LifetimeInSeconds", "AutoApprovalTime", "Approve", "Reject"}) {
      INFO(empty);
      CHECK(At(rows, r, empty).empty());
    }
  }
}
