// The MTurk round trip a requester makes (issue 17), end to end with the real programs: an
// MTurk batch-input CSV imported into manod, two workers answering through the real `mano`,
// `manod export --format mturk-csv`, the file marked as a spreadsheet would (an x in Approve, a
// reason in Reject), `manod review --csv` on it, and the workers' `mano ledger` showing the
// approvals, the rejections with their reasons and the payments.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>

#include "cli_json.h"
#include "csv.h"
#include "file_bytes.h"
#include "mano_runner.h"
#include "manod_process.h"
#include "result_exporter.h"

using mano::manod::CsvLine;
using mano::manod::CsvRow;
using mano::manod::kMturkFixedColumns;
using mano::manod::ParseCsv;
using namespace mano::test;

namespace {

// An MTurk batch-input file: one hostile cell (a formula) among ordinary ones.
std::string WriteBatch(const std::string& dir) {
  std::ofstream out(dir + "/batch.csv", std::ios::binary);
  out << "row_id,query,url,snippet\r\n"
         "1,cheap flights to lima,https://example.com/a,\"Compare fares to Lima, Peru\"\r\n"
         "2,bike "
         "chain,https://example.org/b,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"\r\n"
         "3,café bolívar,https://example.net/c,Opening hours\r\n";
  return dir + "/batch.csv";
}

struct Table {
  std::vector<CsvRow> rows;
  size_t Col(const std::string& name) const {
    for (size_t i = 0; i < rows[0].size(); ++i)
      if (rows[0][i] == name) return i;
    FAIL("no column " << name);
    return 0;
  }
  std::string& At(size_t r, const std::string& name) { return rows[r][Col(name)]; }
  std::string Write() const {
    std::string text;
    for (const auto& row : rows) text += CsvLine(row);
    return text;
  }
};

void Work(const ManoRunner& runner, const ManodProcess& server, const std::string& worker) {
  runner.LogIn(server, worker);
  REQUIRE(runner.Run({"claim", "--count", "3"}).status == 0);
  auto list = Json(runner.Run({"list", "--json"}).out);
  REQUIRE(list.Size() == 3);
  int score = 1;
  for (auto& item : list.GetArray()) {
    const std::string id = Str(item, "id");
    ManoResult r = runner.Run({"answer", id, "--set", "score=" + std::to_string(score++), "--set",
                               "comment=looked, at \"it\""});
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(runner.Run({"submit", id}).status == 0);
  }
  ManoResult sync = runner.Run({"sync"});
  INFO(sync.out << sync.err);
  REQUIRE(sync.status == 0);
}

}  // namespace

TEST_CASE("MTurk round trip: batch input, workers, results CSV, offline review, ledgers") {
  ManoRunner alice, bob;
  ManodProcess::Options options;
  const std::string samples = std::string(std::getenv("MANO_SOURCE_DIR")) + "/tools/manod/samples/";
  options.imports = {WriteBatch(alice.dir()) + "|" + samples + "mturk_template.json"};
  ManodProcess server(options);
  Work(alice, server, "alice");
  Work(bob, server, "bob");

  const std::string file = server.dir() + "/results.csv";
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "mturk-csv", "--out", file}) == 0);
  const std::string text = ReadFileBytes(file);
  // The formula a requester's input carried cannot run in the reviewer's spreadsheet.
  CHECK(text.find("\"'=HYPERLINK(") != std::string::npos);
  Table t{ParseCsv(text)};
  REQUIRE(t.rows.size() == 7);
  const CsvRow& header = t.rows[0];
  REQUIRE(header.size() > std::size(kMturkFixedColumns) + 2);
  for (size_t i = 0; i < std::size(kMturkFixedColumns); ++i)
    CHECK(header[i] == kMturkFixedColumns[i]);
  CHECK(header[std::size(kMturkFixedColumns)] == "Input.query");
  CHECK(header[header.size() - 2] == "Approve");
  CHECK(header[header.size() - 1] == "Reject");
  for (size_t r = 1; r < t.rows.size(); ++r) {
    CHECK(t.At(r, "AssignmentStatus") == "Submitted");
    CHECK(t.At(r, "Title") == "How well does the result answer the query?");
    CHECK(t.At(r, "Reward") == "$0.025");
    CHECK(t.At(r, "MaxAssignments") == "3");
    CHECK(t.At(r, "AssignmentDurationInSeconds") == "1800");
    CHECK(t.At(r, "Answer.comment") == "looked, at \"it\"");
    CHECK_THAT(t.At(r, "SubmitTime"), Catch::Matches("[A-Z][a-z]{2} [A-Z][a-z]{2} [0-9]{2} "
                                                     "[0-9]{2}:[0-9]{2}:[0-9]{2} UTC 20[0-9]{2}"));
    CHECK(t.At(r, "ApprovalTime").empty());
    CHECK(t.At(r, "Approve").empty());
  }

  // The requester reviews in a spreadsheet: alice's first two approved, her third rejected;
  // bob's first approved ("yes" is a mark too), his second rejected, his third left for later.
  std::map<std::string, std::vector<size_t>> rows_of;
  for (size_t r = 1; r < t.rows.size(); ++r) rows_of[t.At(r, "WorkerId")].push_back(r);
  REQUIRE(rows_of["alice"].size() == 3);
  REQUIRE(rows_of["bob"].size() == 3);
  const std::string reason_a = "The snippet is relevant, 0 is wrong";
  const std::string reason_b = "Score \"4\" needs a comment";
  t.At(rows_of["alice"][0], "Approve") = "x";
  t.At(rows_of["alice"][1], "Approve") = "X";
  t.At(rows_of["alice"][2], "Reject") = reason_a;
  t.At(rows_of["bob"][0], "Approve") = "yes";
  t.At(rows_of["bob"][1], "Reject") = reason_b;
  // Saved as a spreadsheet's "CSV UTF-8" may save it: a byte order mark, LF line ends.
  std::string saved = "\xEF\xBB\xBF" + t.Write();
  for (size_t at; (at = saved.find("\r\n")) != std::string::npos;) saved.erase(at, 1);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << saved;

  std::string out;
  REQUIRE(server.Run({"review", "--db", server.db(), "--csv", file}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("applied 5 decisions (3 approved, 2 rejected); 0 already "
                                  "decided the same way, 1 without a mark"));
  // The same file again changes nothing and says so.
  REQUIRE(server.Run({"review", "--db", server.db(), "--csv", file}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("applied 0 decisions (0 approved, 0 rejected); 5 already "
                                  "decided the same way, 1 without a mark"));
  // A contradiction refuses the whole file, by row number: bob's open row stays open.
  Table changed = t;
  changed.At(rows_of["alice"][0], "Approve") = "";
  changed.At(rows_of["alice"][0], "Reject") = "changed my mind";
  changed.At(rows_of["bob"][2], "Approve") = "x";
  const std::string changed_file = server.dir() + "/changed.csv";
  std::ofstream(changed_file, std::ios::binary) << changed.Write();
  CHECK(server.Run({"review", "--db", server.db(), "--csv", changed_file}, &out) == 1);
  CHECK_THAT(out,
             Catch::Contains("row " + std::to_string(rows_of["alice"][0] + 1) + ": assignment " +
                             t.At(rows_of["alice"][0], "AssignmentId") + " was approved already"));
  CHECK_THAT(out, Catch::Contains("applied nothing: 1 row refused, so 1 other decision was not "
                                  "applied either"));

  // Saved by a spreadsheet as Windows-1252 (a reason with "é"): refused, naming the encoding.
  Table latin = t;
  latin.At(rows_of["bob"][2], "Reject") = "Respuesta inv\xE9lida";
  const std::string latin_file = server.dir() + "/latin.csv";
  std::ofstream(latin_file, std::ios::binary) << latin.Write();
  std::string err;
  CHECK(server.Run({"review", "--db", server.db(), "--csv", latin_file}, &out, &err) == 1);
  CHECK_THAT(err, Catch::Contains("latin.csv line " + std::to_string(rows_of["bob"][2] + 1) +
                                  ": not UTF-8: byte 0xE9 is \"é\" in Windows-1252"));

  // The export now carries the decisions, as MTurk's does.
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "mturk-csv"}, &out) == 0);
  Table after{ParseCsv(out)};
  std::map<std::string, size_t> by_assignment;
  for (size_t r = 1; r < after.rows.size(); ++r) by_assignment[after.At(r, "AssignmentId")] = r;
  auto row_after = [&](const std::string& worker, int i) {
    return by_assignment.at(t.At(rows_of[worker][i], "AssignmentId"));
  };
  CHECK(after.At(row_after("alice", 0), "AssignmentStatus") == "Approved");
  CHECK_FALSE(after.At(row_after("alice", 0), "ApprovalTime").empty());
  CHECK(after.At(row_after("alice", 0), "RejectionTime").empty());
  CHECK(after.At(row_after("alice", 2), "AssignmentStatus") == "Rejected");
  CHECK(after.At(row_after("alice", 2), "RequesterFeedback") == reason_a);
  CHECK_FALSE(after.At(row_after("alice", 2), "RejectionTime").empty());
  CHECK(after.At(row_after("alice", 2), "LifetimeApprovalRate") == "66% (2/3)");
  CHECK(after.At(row_after("bob", 2), "AssignmentStatus") == "Submitted");
  CHECK(after.At(row_after("bob", 2), "LifetimeApprovalRate") == "50% (1/2)");

  // The workers' ledgers: approvals, rejections with the requester's words, payments.
  struct Expect {
    const ManoRunner* runner;
    int approved, rejected, pending;
    std::string reason;
  };
  for (const Expect& e : {Expect{&alice, 2, 1, 0, reason_a}, Expect{&bob, 1, 1, 1, reason_b}}) {
    ManoResult sync = e.runner->Run({"sync"});
    INFO(sync.out << sync.err);
    REQUIRE(sync.status == 0);
    ManoResult ledger = e.runner->Run({"ledger", "--json"});
    INFO(ledger.out << ledger.err);
    REQUIRE(ledger.status == 0);
    auto doc = Json(ledger.out);
    const rapidjson::Value* total = nullptr;
    for (auto& row : doc["rows"].GetArray())
      if (Str(row, "period") == "total" && Str(row, "account") == "all") total = &row;
    REQUIRE(total);
    CHECK((*total)["approved_count"].GetInt64() == e.approved);
    CHECK((*total)["rejected_count"].GetInt64() == e.rejected);
    CHECK((*total)["pending_count"].GetInt64() == e.pending);
    CHECK((*total)["approved_micros"].GetInt64() == 25000 * e.approved);
    REQUIRE(doc["rejections"].Size() == 1);
    CHECK(Str(doc["rejections"][0], "reason") == e.reason);
    ManoResult human = e.runner->Run({"ledger"});
    CHECK_THAT(human.out, Catch::Contains(e.reason));
  }
}
