// Shared set-up for the engine's integration tests: a real manod with small generated
// tasks (relevance tasks, plus bounding-box tasks with a PNG asset), an engine on a fresh
// data dir, and the checks that define "exactly once":
//   - `manod export` holds each queued result exactly once, with the answer as queued;
//   - each stored receipt is the server's: signed by the pinned key (alone or in its stored
//     batch), for the same hash, and replaying the same result returns it unchanged (status
//     duplicate, same t and h);
//   - claimed once: the (assignment, task) pairs the server leased to the worker (`manod
//     assignments`) are exactly the client's assignments, and no claim is left pending.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "flakynet_process.h"
#include "mano/sync/curl_transport.h"
#include "mano/sync/limits.h"
#include "mano/sync/presets.h"
#include "mano/sync/receipt_signer.h"
#include "mano/sync/result_builder.h"
#include "mano/sync/server_api.h"
#include "mano/sync/sync_engine.h"
#include "mano/sync/sync_error.h"
#include "manod_process.h"
#include "stored_receipt.h"
#include "temp_dir.h"

namespace mano::test {

inline bool LongRun() {
  const char* value = std::getenv("MANO_LONG");
  return value && std::string(value) == "1";
}

// A JSONL of `relevance` tasks (tiny forms, late results accepted if anchored) and
// `boxes` bounding-box tasks with a small PNG each.
inline std::string WriteTasks(const std::string& dir, int relevance, int boxes,
                              int64_t lease_ms = 3'600'000) {
  const std::string path = dir + "/tasks.jsonl";
  std::ofstream out(path);
  for (int i = 0; i < relevance + boxes; ++i) {
    sync::TaskSpec spec;
    const bool box = i >= relevance;
    spec.kind = box ? "bounding_boxes" : "relevance";
    for (const auto& sample : sync::SampleTasks()) {
      if (sample.kind == spec.kind) {
        spec = sample;
        break;
      }
    }
    spec.id = (box ? "box-" : "rel-") + std::to_string(i);
    spec.assignments = 1;
    spec.policy.late = sync::LatePolicy::kAcceptIfAnchored;
    spec.policy.renew_on_anchor = false;
    spec.policy.lease_ms = lease_ms;
    if (box) {
      for (auto& asset : spec.assets) {
        if (asset.type == "image/png") {
          asset.path.clear();
          asset.data = sync::MakeSamplePng(16 + i % 7, 16);  // distinct bytes per task
        }
      }
    }
    out << sync::ToJsonString(spec) << '\n';
  }
  return path;
}

inline ManodProcess::Options ServerOptions(const std::string& tasks) {
  ManodProcess::Options options;
  options.workers = {"alice", "bob"};
  options.imports = {tasks};
  options.serve_args = {"--rate", "100000", "--burst", "100000"};
  return options;
}

inline sync::EngineOptions FastEngineOptions() {
  sync::EngineOptions options;
  options.transport.connect_timeout_ms = 1500;
  options.transport.low_speed_time_s = 1;
  options.backoff.base_ms = 20;
  options.backoff.cap_ms = 200;
  options.backoff.min_ms = 10;
  options.backoff.seed = 11;
  options.anchor_window_ms = int64_t{1} << 40;  // anchor every checkpoint
  return options;
}

// Passes until the outbox is empty (or `max_passes`); returns whether it drained.
inline bool Drain(sync::SyncEngine& engine, const std::string& account, int max_passes = 20) {
  for (int i = 0; i < max_passes; ++i) {
    engine.RunPass(true, account);
    if (engine.store().OutboxStats(account).items == 0) return true;
  }
  return false;
}

// assignment server id -> answers exported (for exactly-once checks).
inline std::map<std::string, std::vector<std::string>> ExportedAnswers(ManodProcess& server) {
  std::string out;
  REQUIRE(server.Run({"export", "--db", server.db(), "--format", "jsonl"}, &out) == 0);
  std::map<std::string, std::vector<std::string>> answers;
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    const std::string line = out.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    sync::JsonDocument doc(line, sync::kMaxResultJsonBytes);  // an answer may be 64 MiB
    const auto root = doc.Root();
    const sync::Answer answer = sync::Answer::Read(root.Member("answer"));
    answers[root.Str("assignment")].push_back(answer.ToJson());
  }
  return answers;
}

// Every result queued in `expected` (server id -> answer) is in the export exactly once
// with that answer, and nothing else is.
inline void CheckExportHoldsOnce(ManodProcess& server,
                                 const std::map<std::string, sync::Answer>& expected) {
  const auto exported = ExportedAnswers(server);
  for (const auto& [id, answer] : expected) {
    INFO("assignment " << id);
    auto it = exported.find(id);
    REQUIRE(it != exported.end());
    CHECK(it->second.size() == 1);
    CHECK(it->second.front() == answer.ToJson());
  }
  CHECK(exported.size() == expected.size());
}

// One acknowledged result as the client keeps it: its assignment, the answer and the raw
// receipt it stored, with the signed batch the receipt belongs to (empty when it was signed
// on its own).
struct ClientResult {
  storage::Assignment local;
  sync::Answer answer;
  std::string receipt;
  std::string batch;      // the batch's canonical bytes
  std::string batch_sig;  // the batch's signature
};

// Each stored receipt is the server's: signed by the pinned key (`receipt_key`, base64), for
// the answer's hash (alone, or as a receipt of its signed batch), and replaying the same
// result returns it unchanged (status duplicate, same t, h and k).
inline void CheckReceiptsAreTheServers(ManodProcess& server, const std::string& token,
                                       const std::string& receipt_key,
                                       const std::vector<ClientResult>& results) {
  const auto verifier = sync::ReceiptVerifier::FromBase64(receipt_key);
  sync::TransportOptions t;
  t.server_url = server.url();
  t.token = token;
  sync::CurlTransport transport(t);
  sync::ServerApi api(transport, token, nullptr);
  for (const auto& [local, answer, receipt, batch, batch_sig] : results) {
    const std::string& id = local.server_id;
    INFO("receipt of " << id);
    REQUIRE_FALSE(receipt.empty());
    const auto mine = sync::Receipt::FromJson(receipt);
    CHECK(ReceiptVerifies(mine, batch, batch_sig, verifier));
    CHECK(mine.answer_hash == answer.Hash());
    // The server's copy: a replay of the same result must return the original receipt.
    auto built = sync::BuildResult(local, answer);
    if (built.body.size() > sync::kUploadThresholdBytes) {
      // Large answers go by upload: replay the same way, with a fresh upload.
      const std::string bytes = answer.ToJson();
      const std::string path = api.CreateUpload(static_cast<int64_t>(bytes.size()));
      REQUIRE(api.PatchUpload(path, 0, bytes) == static_cast<int64_t>(bytes.size()));
      sync::SubmitResult by_reference;
      by_reference.assignment_id = id;
      by_reference.key = built.key;
      by_reference.upload_id = path.substr(path.rfind('/') + 1);
      built.body = sync::ToJsonString(by_reference);
    }
    const auto replay = api.Submit(built.body, 1);
    REQUIRE(replay.receipts.size() == 1);
    const auto& theirs = replay.receipts[0];
    CHECK(theirs.status == sync::ReceiptStatus::kDuplicate);
    CHECK(theirs.server_time == mine.server_time);
    CHECK(theirs.answer_hash == mine.answer_hash);
    CHECK(theirs.key == mine.key);
  }
}

// `manod assignments --worker W --json`: assignment id -> task id of every assignment the
// server ever made to `worker` (any state). A task leased twice to the worker fails here.
inline std::map<std::string, std::string> ServerAssignments(ManodProcess& server,
                                                            const std::string& worker) {
  std::string out;
  REQUIRE(server.Run({"assignments", "--db", server.db(), "--worker", worker, "--json"}, &out) ==
          0);
  sync::JsonDocument doc(out);
  const auto root = doc.Root();
  std::map<std::string, std::string> leases;
  std::map<std::string, int> per_task;
  for (size_t i = 0; i < root.Size(); ++i) {
    const auto row = root.At(i);
    CHECK(row.Str("worker") == worker);
    leases[row.Str("id")] = row.Str("task");
    ++per_task[row.Str("task")];
  }
  for (const auto& [task, n] : per_task) {
    INFO("task " << task << " leased to " << worker << " " << n << " times");
    CHECK(n == 1);
  }
  return leases;
}

// Claimed exactly once, counted on the server: with no claim left pending on the client,
// the (assignment, task) pairs the server leased to `worker` are exactly the client's.
// A claim whose reply was lost and never retried with its key would leave a lease here that
// the client does not know; a retry with a new key would lease a second set.
inline void CheckClaimedOnce(ManodProcess& server, const std::string& worker,
                             const std::map<std::string, std::string>& client_assignments,
                             const std::string& pending_claim_key) {
  CHECK(pending_claim_key.empty());
  const auto leased = ServerAssignments(server, worker);
  for (const auto& [id, task] : leased) {
    auto mine = client_assignments.find(id);
    if (mine == client_assignments.end()) {
      FAIL_CHECK("server lease " << id << " (task " << task << ") is unknown to the client");
    } else if (mine->second != task) {
      FAIL_CHECK("assignment " << id << " is task " << task << " on the server, " << mine->second
                               << " on the client");
    }
  }
  for (const auto& [id, task] : client_assignments) {
    if (!leased.count(id)) FAIL_CHECK("client assignment " << id << " is not on the server");
  }
  CHECK_FALSE(leased.empty());
}

// Exactly once, for a client driven through a SyncEngine on `account` (worker of the same
// name): the export, the receipts, and the claims.
inline void CheckExactlyOnce(ManodProcess& server, sync::SyncEngine& engine,
                             const std::string& account,
                             const std::map<std::string, sync::Answer>& expected) {
  CheckExportHoldsOnce(server, expected);
  const auto stored = engine.store().GetAccount(account);
  REQUIRE(stored);
  std::vector<ClientResult> results;
  for (const auto& [id, answer] : expected) {
    INFO("receipt of " << id);
    const auto local = engine.store().FindAssignment(account, id);
    REQUIRE(local);
    const auto receipt = engine.store().GetReceipt(local->id);
    REQUIRE(receipt);
    const auto batch = engine.store().GetReceiptBatch(receipt->batch_id);
    results.push_back({*local, answer, receipt->raw, batch ? batch->canonical : "",
                       batch ? batch->signature : ""});
  }
  CheckReceiptsAreTheServers(server, stored->token, stored->receipt_key, results);
  std::map<std::string, std::string> mine;
  storage::AssignmentFilter filter;
  filter.account = account;
  for (const auto& a : engine.store().ListAssignments(filter)) mine[a.server_id] = a.task_id;
  CheckClaimedOnce(server, account, mine, engine.store().GetSyncState(account).pending_claim_key);
}

// A manod with `tasks` relevance tasks behind a flakynet proxy, the client's data dir, and
// the answers queued so far (for CheckExactlyOnce).
struct FaultWorld {
  TempDir temp_dir{"mano-faults"};  // removed after the server and the proxy stopped
  std::string dir = temp_dir.path();
  ManodProcess server;
  FlakynetProcess net;
  std::string client_dir = dir + "/client";
  std::map<std::string, sync::Answer> expected;
  uint32_t seed = 1;

  explicit FaultWorld(int tasks)
      : server(ServerOptions(WriteTasks(dir, tasks, 0))),
        net(FlakynetProcess::ToPort(server.port(), {"--profile", "good", "--seed", "7"})) {}

  std::string url() const { return "http://" + net.address(); }

  void Calm() {
    net.ControlOk("profile good");
    net.ControlOk("set cut_after_up 0");
    net.ControlOk("set cut_after_down 0");
    net.ControlOk("set cut_chance 0");
    net.ControlOk("cut reset");  // connections opened under the fault keep its limits
  }

  // Takes an open assignment (claiming one if none, with the link calm), checkpoints and
  // queues a fresh answer for it.
  void QueueOne(sync::SyncEngine& engine) {
    storage::AssignmentFilter filter;
    filter.account = "alice";
    filter.state = storage::AssignmentState::kClaimed;
    auto open = engine.store().ListAssignments(filter);
    int64_t id = 0;
    if (open.empty()) {
      // A claim left pending by a cut is retried with its key: it may bring back more, and
      // it may bring back only what it brought before (a pass killed after storing the
      // claim's assignments, before clearing its key), already answered: those take no new
      // answer (QueueResult keeps the first under the assignment's key), so claim again.
      for (int attempt = 0; attempt < 3 && id == 0; ++attempt) {
        const auto ids = engine.Claim("alice", 1);
        REQUIRE_FALSE(ids.empty());
        for (const int64_t claimed : ids) {
          const auto a = engine.store().GetAssignment(claimed);
          if (id == 0 && a && a->state == storage::AssignmentState::kClaimed) id = claimed;
        }
      }
      REQUIRE(id != 0);
    } else {
      id = open.front().id;
    }
    const auto a = engine.store().GetAssignment(id);
    const sync::Answer answer = sync::SampleAnswer(a->kind, seed++);
    engine.store().SaveCheckpoint(id, answer.ToJson(), "{}");
    sync::QueueResult(engine.store(), id, answer);
    expected[a->server_id] = answer;
  }
};

// A claim made under the fault of the moment (so every cycle of a fault test claims with the
// link as it is); a cut leaves the claim pending on the client, to be retried with its key.
inline void ClaimUnderFault(sync::SyncEngine& engine) {
  try {
    engine.Claim("alice", 1);
  } catch (const sync::SyncError&) {
  }
}

inline sync::EngineOptions FaultOptions() {
  auto options = FastEngineOptions();
  options.want[""] = sync::QueueWant{2, {}};  // prefetch claims run under the faults too
  options.batch.start_bytes = 512;  // a result or two per batch: many batches under the faults
  options.batch.min_bytes = 512;
  return options;
}

}  // namespace mano::test
