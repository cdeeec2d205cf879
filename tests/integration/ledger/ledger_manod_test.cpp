// The worker's ledger against the real manod: claim, work (active time), submit, the
// requester approves, rejects with a reason and pays a bonus with `manod review`, a sync
// pulls the events; then the ledger adds up, and the evidence of the rejection carries a
// receipt that verifies against the key pinned at login, and fails once tampered with.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "mano/client/ledger/evidence.h"
#include "mano/client/ledger/ledger.h"
#include "mano/client/ledger/ledger_format.h"
#include "mano/sync/json_util.h"
#include "mano/sync/presets.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/sync_engine.h"
#include "manod_process.h"
#include "temp_dir.h"

using namespace mano;
using storage::AssignmentState;

TEST_CASE("reviews from manod reach the ledger and the evidence", "[integration]") {
  const test::TempDir temp_dir("mano-ledger-it");
  const std::string dir = temp_dir.path();
  {
    test::ManodProcess::Options server_options;
    server_options.serve_args = {"--rate", "100000", "--burst", "100000"};
    test::ManodProcess server(server_options);
    sync::EngineOptions options;
    options.transport.connect_timeout_ms = 2000;
    sync::SyncEngine engine(dir + "/client", options);
    const auto account = engine.Login("alice", server.url(), server.Token("alice"));
    const auto ids = engine.Claim("alice", 3, {"relevance"});
    REQUIRE(ids.size() == 3);

    // Work on each task: 2 minutes of active time recorded by the tracker's rule.
    storage::Store& store = engine.store();
    for (size_t i = 0; i < ids.size(); ++i) {
      store.TEST_AddLegacyActiveTime("alice", ids[i], 120'000, true);
      // As `mano answer` then `mano submit` do: a draft checkpoint, then the outbox.
      const auto answer = sync::SampleAnswer("relevance", static_cast<uint32_t>(i));
      store.SaveCheckpoint(ids[i], answer.ToJson(), "{}");
      sync::QueueResult(store, ids[i], answer);
    }
    store.TEST_AddLegacyActiveTime("alice", std::nullopt, 60'000, false);  // instructions, unpaid
    auto pass = engine.RunPass(true);
    REQUIRE(pass.accounts.at(0).results_acked == 3);

    const auto approved = *store.GetAssignment(ids[0]);
    const auto rejected = *store.GetAssignment(ids[1]);
    const std::string reason = "the score does not match the page";
    REQUIRE(server.Run({"review", "--db", server.db(), "--approve", approved.server_id}) == 0);
    REQUIRE(server.Run({"review", "--db", server.db(), "--reject", rejected.server_id, "--reason",
                        reason}) == 0);
    REQUIRE(server.Run({"review", "--db", server.db(), "--bonus", approved.server_id, "--amount",
                        "0.50", "--reason", "careful work"}) == 0);
    pass = engine.RunPass(true);
    CHECK(pass.accounts.at(0).events >= 3);
    REQUIRE(store.GetAssignment(ids[0])->state == AssignmentState::kApproved);
    REQUIRE(store.GetAssignment(ids[1])->state == AssignmentState::kRejected);

    client::ledger::LedgerOptions ledger_options;
    const auto report = client::ledger::ComputeLedger(store, ledger_options);
    const client::ledger::LedgerRow* total = nullptr;
    for (const auto& row : report.rows)
      if (row.period == "total" && row.account == "all") total = &row;
    REQUIRE(total);
    CHECK(total->approved == 1);
    CHECK(total->rejected == 1);
    CHECK(total->pending == 1);
    CHECK(total->approved_micros == approved.reward_micros);
    CHECK(total->bonus_micros == 500'000);
    CHECK(total->rejected_micros == rejected.reward_micros);
    CHECK(total->paid_ms == 120'000);
    CHECK(total->pending_ms == 120'000);
    CHECK(total->unpaid_ms == 180'000);  // the rejected task + instructions
    REQUIRE(report.rejections.size() == 1);
    CHECK(report.rejections[0].reason == reason);
    sync::JsonDocument json(client::ledger::LedgerJson(report));
    CHECK(json.Root().Member("rejections").At(0).Str("reason") == reason);

    const auto evidence = client::ledger::BuildEvidence(store, ids[1]);
    auto check = client::ledger::VerifyEvidence(evidence.json, account.receipt_key);
    INFO(check.problem);
    CHECK(check.ok);
    CHECK(evidence.summary.find(reason) != std::string::npos);
    // The sample's 0.025 USD reward is printed exactly, never rounded to 0.03.
    REQUIRE(rejected.reward_micros == 25'000);
    CHECK(evidence.summary.find("reward 0.025 USD") != std::string::npos);
    CHECK(evidence.worker_summary.find("0.025") != std::string::npos);
    const std::string text = client::ledger::RenderLedgerText(report);
    CHECK(text.find("0.025 USD") != std::string::npos);  // the rejection list
    CHECK(text.find("0.03") == std::string::npos);
    CHECK(json.Root().Member("rejections").At(0).Str("reward") == "0.025");
    // manod signed the receipts of the submit as one batch: the evidence carries it.
    CHECK(sync::JsonDocument(evidence.json).Root().Has("receipt_batch"));
    CHECK(evidence.summary.find("in one batch") != std::string::npos);
    std::string bad = evidence.json;
    const auto at = bad.find("\"score\": ");
    REQUIRE(at != std::string::npos);
    bad[at + 9] = bad[at + 9] == '0' ? '1' : '0';
    CHECK_FALSE(client::ledger::VerifyEvidence(bad, account.receipt_key).ok);
    CHECK(store.VerifyJournal().ok);
  }
}

// A server whose tasks pay in USD and EUR: the EUR payment and bonus reach the ledger as EUR, in
// a row of their own, never added to the USD.
TEST_CASE("a EUR payment from manod is recorded as EUR", "[integration]") {
  const test::TempDir temp_dir("mano-ledger-it");
  const std::string dir = temp_dir.path();
  {
    std::string line;
    std::getline(std::ifstream(test::ManodProcess::DefaultSamples()), line);
    REQUIRE(line.find("\"id\":\"rel-1\"") != std::string::npos);
    REQUIRE(line.find("\"currency\":\"USD\"") != std::string::npos);
    auto priced = [&](const std::string& id, const std::string& currency) {
      std::string l = line;
      l.replace(l.find("rel-1"), 5, id);
      l.replace(l.find("\"currency\":\"USD\""), 16, "\"currency\":\"" + currency + "\"");
      return l;
    };
    std::ofstream(dir + "/tasks.jsonl") << priced("usd-1", "USD") << "\n"
                                        << priced("eur-1", "EUR") << "\n";
    test::ManodProcess::Options server_options;
    server_options.imports = {dir + "/tasks.jsonl"};
    test::ManodProcess server(server_options);
    sync::SyncEngine engine(dir + "/client", sync::EngineOptions());
    engine.Login("alice", server.url(), server.Token("alice"));
    const auto ids = engine.Claim("alice", 2, {"relevance"});
    REQUIRE(ids.size() == 2);
    storage::Store& store = engine.store();
    std::map<std::string, std::string> server_id;  // currency -> assignment
    for (size_t i = 0; i < ids.size(); ++i) {
      const auto answer = sync::SampleAnswer("relevance", static_cast<uint32_t>(i));
      store.SaveCheckpoint(ids[i], answer.ToJson(), "{}");
      sync::QueueResult(store, ids[i], answer);
      const auto a = *store.GetAssignment(ids[i]);
      server_id[a.currency] = a.server_id;
    }
    REQUIRE(server_id.size() == 2);
    REQUIRE(engine.RunPass(true).accounts.at(0).results_acked == 2);
    REQUIRE(server.Run({"review", "--db", server.db(), "--approve", server_id["USD"], "--approve",
                        server_id["EUR"]}) == 0);
    REQUIRE(server.Run({"review", "--db", server.db(), "--bonus", server_id["EUR"], "--amount",
                        "0.50", "--reason", "careful work"}) == 0);
    engine.RunPass(true);

    const auto report = client::ledger::ComputeLedger(store, client::ledger::LedgerOptions());
    std::map<std::string, const client::ledger::LedgerRow*> total;  // currency -> row
    for (const auto& row : report.rows)
      if (row.period == "total" && row.account == "alice") total[row.currency] = &row;
    REQUIRE(total.count("USD"));
    REQUIRE(total.count("EUR"));
    CHECK(total["USD"]->approved_micros == 25'000);
    CHECK(total["USD"]->paid_out_micros == 25'000);
    CHECK(total["USD"]->bonus_micros == 0);
    CHECK(total["EUR"]->approved_micros == 25'000);
    CHECK(total["EUR"]->paid_out_micros == 25'000);
    CHECK(total["EUR"]->bonus_micros == 500'000);
    for (const auto& row : report.rows)
      if (row.period == "total" && row.account == "all") CHECK_FALSE(row.money_known);
  }
}
