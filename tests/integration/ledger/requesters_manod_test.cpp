// `mano requesters` against the real manod: two requesters (one named on JSONL tasks, one by
// a CSV's requester_id/requester_name columns), approvals, rejections, a bonus and the
// payments on different days (manod's clock moved, `manod review` dated by it); the report of
// the real `mano` program matches a hand computation, and its shareable file names neither
// the worker, her account, her token, nor the server.
#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "../client/mano_runner.h"
#include "mano/client/ledger/requester_report.h"
#include "mano/client/text_table.h"
#include "mano/sync/json_util.h"
#include "mano/sync/presets.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/sync_engine.h"
#include "manod_process.h"

using namespace mano;

namespace {

constexpr int64_t kDay = 86'400'000;

// The sample relevance task as task `id`, named by requester A1 "Acme Search".
std::string AcmeTask(const std::string& id) {
  std::string line;
  std::getline(std::ifstream(test::ManodProcess::DefaultSamples()), line);
  line.replace(line.find("\"id\":\"rel-1\""), 12,
               "\"id\":\"" + id + "\",\"requester\":{\"id\":\"A1\",\"name\":\"Acme Search\"}");
  return line;
}

}  // namespace

TEST_CASE("mano requesters adds up two requesters' decisions on different days", "[integration]") {
  test::ManoRunner mano;
  const std::string dir = mano.data_dir() + "-setup";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/acme.jsonl") << AcmeTask("a1") << "\n"
                                     << AcmeTask("a2") << "\n"
                                     << AcmeTask("a3") << "\n";
  // Beta's tasks pay 0.10 each (the template's 0.025 replaced).
  const std::string samples =
      std::filesystem::path(test::ManodProcess::DefaultSamples()).parent_path().string();
  std::ifstream tin(samples + "/mturk_template.json");
  std::string tmpl((std::istreambuf_iterator<char>(tin)), std::istreambuf_iterator<char>());
  tmpl.replace(tmpl.find("\"reward\":25000"), 14, "\"reward\":100000");
  tmpl.replace(tmpl.find("\"assignments\":3"), 15, "\"assignments\":1");
  std::ofstream(dir + "/beta_template.json") << tmpl;
  std::ofstream(dir + "/beta.csv") << "row_id,query,url,snippet,requester_id,requester_name\n"
                                   << "b1,q1,https://example.com/1,s1,B2,\"Beta Labs, Inc.\"\n"
                                   << "b2,q2,https://example.com/2,s2,B2,\"Beta Labs, Inc.\"\n";

  test::ManodProcess::Options server_options;
  server_options.imports = {dir + "/acme.jsonl", dir + "/beta.csv|" + dir + "/beta_template.json"};
  server_options.serve_args = {"--rate", "100000", "--burst", "100000"};
  test::ManodProcess server(server_options);
  const std::string token = server.Token("alice");
  std::map<std::string, std::string> server_id;  // task -> assignment
  std::map<std::string, int64_t> local_id;       // task -> local id
  {
    sync::EngineOptions options;
    options.transport.connect_timeout_ms = 2000;
    sync::SyncEngine engine(mano.data_dir(), options);
    engine.Login("alice", server.url(), token);
    const auto ids = engine.Claim("alice", 5, {"relevance"});
    REQUIRE(ids.size() == 5);
    storage::Store& store = engine.store();
    // Time on each task (the ledger's per-task time), in seconds.
    const std::map<std::string, int64_t> seconds = {
        {"a1", 600}, {"a2", 1200}, {"a3", 600}, {"mturk-b1", 1800}, {"mturk-b2", 900}};
    for (size_t i = 0; i < ids.size(); ++i) {
      const auto a = *store.GetAssignment(ids[i]);
      REQUIRE(seconds.count(a.task_id));
      server_id[a.task_id] = a.server_id;
      local_id[a.task_id] = a.id;
      store.TEST_AddLegacyActiveTime("alice", ids[i], seconds.at(a.task_id) * 1000, true);
      const auto answer = sync::SampleAnswer("relevance", static_cast<uint32_t>(i));
      store.SaveCheckpoint(ids[i], answer.ToJson(), "{}");
      sync::QueueResult(store, ids[i], answer);
    }
    REQUIRE(engine.RunPass(true).accounts.at(0).results_acked == 5);

    auto review = [&](std::vector<std::string> args) {
      args.insert(args.begin(),
                  {"review", "--db", server.db(), "--test-clock-file", server.dir() + "/clock"});
      REQUIRE(server.Run(args) == 0);
    };
    server.AdvanceClock(1 * kDay);  // day 1
    review({"--approve", server_id["a1"]});
    review({"--reject", server_id["a2"], "--reason", "copied answers"});
    server.AdvanceClock(2 * kDay);  // day 3
    review({"--approve", server_id["a3"], "--approve", server_id["mturk-b1"]});
    review({"--bonus", server_id["mturk-b1"], "--amount", "0.10", "--reason", "careful"});
    server.AdvanceClock(1 * kDay);  // day 4
    review({"--reject", server_id["mturk-b2"], "--reason", "too short"});
    engine.RunPass(true);
  }

  const auto r = mano.Run({"requesters", "--json"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  sync::JsonDocument doc(r.out);
  const auto rows = doc.Root().Member("requesters");
  REQUIRE(rows.Size() == 2);
  // By name: Acme Search, then Beta Labs.
  const auto acme = rows.At(0);
  CHECK(acme.Str("requester_id") == "A1");
  CHECK(acme.Str("requester_name") == "Acme Search");
  CHECK(acme.IntOf("done") == 3);
  CHECK(acme.IntOf("approved") == 2);
  CHECK(acme.IntOf("rejected") == 1);
  CHECK(acme.IntOf("earned_micros") == 50'000);  // 2 x 0.025
  CHECK(acme.Str("earned") == "0.05");
  CHECK(acme.IntOf("work_ms") == 2'400'000);            // 40 minutes
  CHECK(acme.Str("hourly_wage") == "0.08");             // 0.05 / (2/3) h = 0.075
  CHECK(acme.Str("rejection_rate_percent") == "33.3");  // 1 of 3 decided
  CHECK(acme.Str("late_refusal_percent") == "0.0");
  CHECK(acme.Str("median_days_to_approval") == "2.0");  // 1 and 3 days
  CHECK(acme.Str("median_days_to_payment") == "2.0");   // paid on approval
  CHECK(acme.Str("bonus") == "0.00");
  REQUIRE(acme.Member("reasons").Size() == 1);
  CHECK(acme.Member("reasons").At(0).Str("reason") == "copied answers");
  const auto beta = rows.At(1);
  CHECK(beta.Str("requester_id") == "B2");
  CHECK(beta.Str("requester_name") == "Beta Labs, Inc.");
  CHECK(beta.IntOf("done") == 2);
  CHECK(beta.IntOf("earned_micros") == 200'000);  // 0.10 + a 0.10 bonus
  CHECK(beta.IntOf("bonus_micros") == 100'000);
  CHECK(beta.Str("bonus") == "0.10");
  CHECK(beta.Str("hourly_wage") == "0.27");  // 0.20 / 0.75 h = 0.2667
  CHECK(beta.Str("rejection_rate_percent") == "50.0");
  CHECK(beta.Str("median_days_to_approval") == "3.0");
  CHECK(beta.Str("median_days_to_payment") == "3.0");
  CHECK(beta.Member("reasons").At(0).Str("reason") == "too short");

  // `mano show` names the requester, from the JSONL task and from the CSV's columns.
  CHECK(
      mano.Run({"show", std::to_string(local_id["a1"])}).out.find("Requester: Acme Search (A1)") !=
      std::string::npos);
  CHECK(mano.Run({"--lang", "es", "show", std::to_string(local_id["mturk-b1"])})
            .out.find("Solicitante: Beta Labs, Inc. (B2)") != std::string::npos);

  // The table and the CSV say the same.
  const auto text = mano.Run({"requesters"});
  REQUIRE(text.status == 0);
  CHECK(text.out.find("Acme Search (A1)") != std::string::npos);
  CHECK(text.out.find("1 x copied answers") != std::string::npos);
  // In the worker's language, within 80 columns.
  for (const char* lang : {"es", "fr", "ar"}) {
    const auto words = mano.Run({"--lang", lang, "requesters"});
    REQUIRE(words.status == 0);
    for (size_t at = 0, end; (end = words.out.find('\n', at)) != std::string::npos; at = end + 1) {
      INFO(lang << ": " << words.out.substr(at, end - at));
      CHECK(client::DisplayWidth(words.out.substr(at, end - at)) <= 80);
    }
  }
  CHECK(mano.Run({"--lang", "es", "requesters"}).out.find("Solicitante") != std::string::npos);
  const auto csv = mano.Run({"requesters", "--csv"});
  REQUIRE(csv.status == 0);
  CHECK(csv.out.find("A1,Acme Search,USD,3,2,1,0,0,0.05,50000,0.00,0,2400000,0.08,33.3,0.0,2.0,"
                     "2.0,1 x copied answers\n") != std::string::npos);

  // The shareable file: the same figures, nothing about the worker.
  const std::string share = mano.data_dir() + "-share.json";
  const auto s = mano.Run({"requesters", "--share", share});
  INFO(s.out << s.err);
  REQUIRE(s.status == 0);
  struct stat st {};
  REQUIRE(::stat(share.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::ifstream in(share);
  const std::string shared((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  sync::JsonDocument sdoc(shared);
  CHECK(sdoc.Root().Str("format") == "mano-requesters-share-v1");
  CHECK(sdoc.Root().Str("day").size() == 10);
  CHECK(sdoc.Root().Member("requesters").At(0).Str("median_days_to_approval") == "2.0");
  CHECK(shared.find("alice") == std::string::npos);
  CHECK(shared.find(token) == std::string::npos);
  CHECK(shared.find(server.url()) == std::string::npos);
  CHECK(shared.find("127.0.0.1") == std::string::npos);
  for (const auto& [task, id] : server_id) {
    CHECK(shared.find("\"" + id + "\"") == std::string::npos);  // assignment ids
    CHECK(shared.find(task) == std::string::npos);              // task ids
  }
  CHECK_FALSE(std::regex_search(shared, std::regex("[0-9]{2}:[0-9]{2}")));  // days only
  std::filesystem::remove_all(dir);
  std::filesystem::remove(share);
}
