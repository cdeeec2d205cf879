// manod killed with SIGKILL in the middle of a batch and restarted; import/export round trips
// in both formats; the command line's contract (usage text, exit codes, refusals).
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "csv.h"
#include "file_bytes.h"
#include "mano/sync/json_util.h"
#include "manod_fixture.h"
#include "server_clock.h"
#include "sqlite_db.h"
#include "temp_dir.h"

using namespace mano::test;
using mano::sync::ReceiptStatus;

namespace {

// No tasks imported, not started yet.
ManodProcess::Options Bare() { return {.imports = {}, .start = false}; }

// A valid answer for any form: the first choices, the lowest values, one small box.
mano::sync::Answer FillAnswer(const mano::sync::Form& form, size_t seed) {
  using mano::sync::FieldType;
  mano::sync::Answer answer;
  for (const auto& f : form.fields) {
    switch (f.type) {
      case FieldType::kSingle:
        answer.Set(f.name, f.options.at(seed % f.options.size()).value);
        break;
      case FieldType::kMulti:
        answer.Set(f.name, std::vector<std::string>{f.options.at(0).value});
        break;
      case FieldType::kScale:
        answer.Set(f.name, static_cast<int64_t>(f.min.value_or(0)));
        break;
      case FieldType::kNumber:
        answer.Set(f.name, f.min.value_or(0.0) + 0.5);
        break;
      case FieldType::kText:
        answer.Set(f.name, "answer " + std::to_string(seed));
        break;
      case FieldType::kBoxes:
        answer.Set(f.name,
                   std::vector<mano::sync::Box>{{1, 1, 2, 2, f.labels.empty() ? "" : f.labels[0]}});
        break;
    }
  }
  return answer;
}

}  // namespace

namespace {

// 300 tasks claimed by alice, and one submit body answering all of them (keys "<id>:1").
struct BigBatch {
  std::vector<std::string> ids;
  std::string body;
};

BigBatch ClaimAndAnswer(ManodProcess& server) {
  server.Import(
      WriteFile(server.dir(), "bulk.jsonl", TaskLines("bulk-", 300, "bulk", "refuse", 3600000)));
  server.Start();
  Client alice{Http(server.url()), server.Token("alice")};
  BigBatch b;
  for (int k = 0; k < 3; ++k) {
    for (const auto& a : alice.Claim("bulk-" + std::to_string(k), 100).assignments) {
      b.ids.push_back(a.id);
    }
  }
  REQUIRE(b.ids.size() == 300);
  b.body = "{\"results\":[";
  for (size_t i = 0; i < b.ids.size(); ++i) {
    b.body += std::string(i ? "," : "") + "{\"a\":\"" + b.ids[i] + "\",\"k\":\"" + b.ids[i] +
              ":1\",\"v\":{\"score\":" + std::to_string(i % 5) + "}}";
  }
  b.body += "]}";
  return b;
}

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

}  // namespace

// One submit request is one transaction: killed inside it (every row written, COMMIT not yet
// run), the server keeps none of the batch, and the client's retry with the same keys gets
// every result accepted. On the old code (a transaction per result, no hold) the server never
// held and the first results were durable at the kill: the REQUIREs below fail.
TEST_CASE("SIGKILL inside a batch's transaction leaves the batch wholly absent", "[sqlite]") {
  TempDir holds("manod-hold");
  const std::string hold = holds.File("hold");
  ManodProcess::Options options = Bare();
  options.serve_args = {"--test-hold-file", hold};
  ManodProcess server(options);
  BigBatch b = ClaimAndAnswer(server);
  Client alice{Http(server.url()), server.Token("alice")};
  auto verifier = VerifierFrom(alice.http);

  std::ofstream(hold) << "hold\n";
  std::thread sender([&] {
    try {
      alice.http.Post("/v1/submit", alice.token, b.body);
    } catch (const std::exception&) {
      // The connection dies with the server: expected.
    }
  });
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!Exists(hold + ".held") && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const bool held = Exists(hold + ".held");
  server.Kill();
  sender.join();
  REQUIRE(held);
  std::filesystem::remove(hold);
  CHECK(server.QueryInt("SELECT COUNT(*) FROM results") == 0);
  CHECK(server.QueryInt("SELECT COUNT(*) FROM receipts") == 0);
  CHECK(server.QueryInt("SELECT COUNT(*) FROM assignments WHERE state<>'leased'") == 0);
  server.Start();
  auto reply = alice.Submit(b.body);
  REQUIRE(reply.receipts.size() == 300);
  for (size_t i = 0; i < b.ids.size(); ++i) {
    CHECK(reply.receipts[i].assignment_id == b.ids[i]);
    CHECK(reply.receipts[i].status == ReceiptStatus::kAccepted);
    CHECK(verifier.Verify(reply.receipts[i]));
  }
  CHECK(server.QueryInt("SELECT COUNT(*) FROM results") == 300);
}

// Killed as soon as the batch shows in the database (committed, its reply maybe not sent): the
// retry gets every receipt again, as duplicates with their stored time.
TEST_CASE("SIGKILL around a batch: no half-applied result, the retry gets receipts") {
  ManodProcess server(Bare());
  BigBatch b = ClaimAndAnswer(server);
  Client alice{Http(server.url()), server.Token("alice")};
  auto verifier = VerifierFrom(alice.http);
  const std::vector<std::string>& ids = b.ids;
  const std::string& body = b.body;

  // Send the batch; kill the server as soon as the first results are in the database.
  std::atomic<bool> done{false};
  std::thread sender([&] {
    try {
      alice.http.Post("/v1/submit", alice.token, body);
    } catch (const std::exception&) {
      // The connection dies with the server: expected.
    }
    done = true;
  });
  int64_t at_kill = 0;
  {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < give_up) {
      at_kill = server.QueryInt("SELECT COUNT(*) FROM results");
      if (at_kill > 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  server.Kill();
  sender.join();
  REQUIRE(at_kill > 0);
  CHECK(at_kill == 300);  // a batch shows whole or not at all

  std::set<std::string> stored;
  std::map<std::string, int64_t> stored_t;
  {
    int64_t results = server.QueryInt("SELECT COUNT(*) FROM results");
    CHECK(results >= at_kill);
    CHECK(server.QueryInt("SELECT COUNT(*) FROM receipts") == results);
    CHECK(server.QueryInt("SELECT COUNT(*) FROM assignments WHERE state='submitted'") == results);
    CHECK(
        server.QueryInt("SELECT COUNT(*) FROM results r JOIN assignments a ON a.id=r.assignment_id"
                        " WHERE a.state<>'submitted'") == 0);
    std::istringstream rows(server.Query("SELECT assignment_id, t FROM results"));
    for (std::string row; std::getline(rows, row);) {
      const size_t bar = row.find('|');
      std::string id = mano::manod::EncodeId(std::stoll(row.substr(0, bar)));
      stored.insert(id);
      stored_t[id] = std::stoll(row.substr(bar + 1));
    }
  }
  INFO("results in before the kill: " << stored.size());

  server.Start();
  auto reply = alice.Submit(body);
  REQUIRE(reply.receipts.size() == 300);
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto& r = reply.receipts[i];
    CHECK(r.assignment_id == ids[i]);
    CHECK(verifier.Verify(r));
    if (stored.count(ids[i])) {
      CHECK(r.status == ReceiptStatus::kDuplicate);
      CHECK(r.server_time == stored_t[ids[i]]);
    } else {
      CHECK(r.status == ReceiptStatus::kAccepted);
    }
  }
  CHECK(server.QueryInt("SELECT COUNT(*) FROM results") == 300);
  CHECK(server.QueryInt("SELECT COUNT(DISTINCT assignment_id) FROM results") == 300);
}

TEST_CASE("JSONL round trip: imported tasks, submitted answers, exported results") {
  ManodProcess server;  // the sample tasks
  Client alice{Http(server.url()), server.Token("alice")};
  auto claim = alice.Claim("all", 100);
  REQUIRE(claim.assignments.size() >= 6);
  std::map<std::string, std::string> sent;  // assignment -> canonical answer
  for (size_t i = 0; i < claim.assignments.size(); ++i) {
    const auto& a = claim.assignments[i];
    auto answer = FillAnswer(a.form, i);
    auto reply =
        alice.Submit("{\"results\":[{\"a\":\"" + a.id + "\",\"v\":" + answer.ToJson() + "}]}");
    INFO(a.kind << " " << reply.receipts[0].error);
    REQUIRE(reply.receipts[0].status == ReceiptStatus::kAccepted);
    sent[a.id] = answer.ToJson();
  }
  std::string out;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &out) == 0);
  std::istringstream lines(out);
  std::string line;
  size_t n = 0;
  while (std::getline(lines, line)) {
    mano::sync::JsonDocument doc(line);
    auto root = doc.Root();
    std::string a = root.Str("assignment");
    REQUIRE(sent.count(a) == 1);
    CHECK(root.Str("worker") == "alice");
    CHECK(root.Str("status") == "accepted");
    CHECK(mano::sync::Answer::Read(root.Member("answer")).ToJson() == sent[a]);
    CHECK(root.IntOf("submit_time") >= root.IntOf("accept_time"));
    ++n;
  }
  CHECK(n == sent.size());
  // Export to a file gives the same bytes.
  std::string file = server.dir() + "/out.jsonl";
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl", "--out", file}) == 0);
  CHECK(ReadFileBytes(file) == out);
}

TEST_CASE("MTurk round trip: batch-input CSV in, batch-results CSV out") {
  std::string samples = std::string(std::getenv("MANO_SOURCE_DIR")) + "/tools/manod/samples/";
  ManodProcess::Options o;
  o.imports = {samples + "mturk_batch.csv|" + samples + "mturk_template.json"};
  ManodProcess server(o);
  Client alice{Http(server.url()), server.Token("alice")};
  auto input = mano::manod::ParseCsv(ReadFileBytes(samples + "mturk_batch.csv"));
  REQUIRE(input.size() == 5);
  auto claim = alice.Claim("csv", 10);
  REQUIRE(claim.assignments.size() == 4);
  std::map<std::string, std::string> comments;  // HITId -> comment sent
  for (size_t i = 0; i < claim.assignments.size(); ++i) {
    const auto& a = claim.assignments[i];
    std::string comment = "ok, \\\"really\\\" " + std::to_string(i);
    auto r =
        alice.Submit("{\"results\":[{\"a\":\"" + a.id + "\",\"v\":{\"score\":" + std::to_string(i) +
                     ",\"comment\":\"" + comment + "\"}}]}");
    REQUIRE(r.receipts[0].status == ReceiptStatus::kAccepted);
    comments[a.task] = "ok, \"really\" " + std::to_string(i);
  }
  REQUIRE(server.Run({"review", "--db", server.db(), "--approve", claim.assignments[0].id}) == 0);

  std::string out;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "mturk-csv"}, &out) == 0);
  auto rows = mano::manod::ParseCsv(out);
  REQUIRE(rows.size() == 5);
  const auto& header = rows[0];
  auto col = [&](const std::string& name) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    FAIL("no column " << name);
    return size_t{0};
  };
  for (const char* name : {"HITId", "AssignmentId", "WorkerId", "AssignmentStatus", "AcceptTime",
                           "SubmitTime", "Answer.score", "Answer.comment"}) {
    col(name);
  }
  int approved = 0;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    CHECK(row[col("WorkerId")] == "alice");
    CHECK(row[col("Answer.comment")] == comments[row[col("HITId")]]);
    approved += row[col("AssignmentStatus")] == "Approved";
    CHECK(row[col("SubmitTime")].find("UTC") != std::string::npos);
    // The input variables come back exactly as they went in (quotes, commas, UTF-8).
    bool matched = false;
    for (size_t i = 1; i < input.size(); ++i) {
      if ("mturk-" + input[i][0] != row[col("HITId")]) continue;
      matched = true;
      for (size_t c = 0; c < input[0].size(); ++c) {
        CHECK(row[col("Input." + input[0][c])] == input[i][c]);
      }
    }
    CHECK(matched);
  }
  CHECK(approved == 1);
}

TEST_CASE("the command line: usage text, exit codes and refusals") {
  ManodProcess server(Bare());
  std::string out, err;
  for (auto args : std::vector<std::vector<std::string>>{{"--help"},
                                                         {"init", "--help"},
                                                         {"worker", "add", "--help"},
                                                         {"worker", "revoke", "--help"},
                                                         {"import", "--help"},
                                                         {"serve", "--help"},
                                                         {"review", "--help"},
                                                         {"withdraw", "--help"},
                                                         {"export", "--help"}}) {
    INFO(args[0]);
    CHECK(server.Run(args, &out) == 0);
    CHECK(out.find("Usage") != std::string::npos);
  }
  CHECK(server.Run({}) != 0);
  CHECK(server.Run({"init", "--db", server.db()}, &out, &err) != 0);  // never overwrites
  CHECK(err.find("exists") != std::string::npos);
  // The token is alone on the last line: 43 characters of base64url.
  std::string token = server.AddWorker("carol");
  CHECK(token.size() == 43);
  CHECK(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);
  CHECK(server.Run({"worker", "add", "--db", server.db(), "carol"}) != 0);
  CHECK(server.Run({"worker", "add", "--db", server.db(), "bad name"}) != 0);
  CHECK(server.Run({"worker", "revoke", "--db", server.db(), "nobody"}) != 0);
  CHECK(server.Run({"worker", "add", "--db", server.dir() + "/missing.db", "x"}) != 0);

  // Import is all or nothing, and names the line.
  std::string bad = WriteFile(server.dir(), "bad.jsonl",
                              {TaskLine("good", "k", "refuse", 1000), "{\"id\":\"b\"}"});
  CHECK(server.Run({"import", "--db", server.db(), bad}, &out, &err) != 0);
  CHECK(err.find("line 2") != std::string::npos);
  std::string csv = WriteFile(server.dir(), "b.csv", {"a,b", "1,2"});
  CHECK(server.Run({"import", "--db", server.db(), csv}) != 0);  // needs --template
  CHECK(server.Run({"export", "--db", server.db(), "--format", "xml"}) != 0);
  CHECK(server.Run({"review", "--db", server.db(), "--approve", "zz"}) != 0);

  // Plain HTTP off loopback is refused; a clean stop on SIGTERM exits 0.
  CHECK(server.Run({"serve", "--db", server.db(), "--listen", "0.0.0.0:0"}, &out, &err) != 0);
  CHECK(err.find("loopback") != std::string::npos);
  server.Start();
  Client c{Http(server.url()), token};
  CHECK(c.Claim("none", 5).assignments.empty());  // the bad import added nothing
  CHECK(server.Stop() == 0);
}
