// A store in a fresh temp directory driven by a ManualClock, plus helpers that script what
// the engine and the UI would do (claim, submit, receive events, work for a while).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "mano/storage/clock.h"
#include "mano/storage/store.h"
#include "temp_dir.h"

namespace mano::test {

class LedgerFixture {
 public:
  // 2026-11-23T00:00:00Z, a Monday.
  static constexpr int64_t kMonday = 1'795'392'000'000;
  static constexpr int64_t kHour = 3'600'000;
  static constexpr int64_t kMinute = 60'000;

  LedgerFixture() {
    clock_ = std::make_shared<storage::ManualClock>(kMonday + 8 * kHour);
    Open();
  }
  ~LedgerFixture() { store_.reset(); }

  storage::Store& store() { return *store_; }
  std::string data_dir() const { return dir_ + "/data"; }
  // Closes the store (e.g. to change its file behind its back) and opens it again.
  void Close() { store_.reset(); }
  void Open() {
    storage::OpenOptions options;
    options.clock = clock_;
    store_ = std::make_unique<storage::Store>(storage::Store::Open(data_dir(), options));
  }
  storage::ManualClock& clock() { return *clock_; }
  const std::string& dir() const { return dir_; }

  void AddAccount(const std::string& name, const std::string& currency,
                  const std::string& receipt_key = "") {
    storage::Account a;
    a.name = name;
    a.server_url = "http://127.0.0.1:1";
    a.token = "t";
    a.receipt_key = receipt_key;
    a.currency = currency;
    store_->AddAccount(a);
  }

  int64_t Claim(const std::string& account, const std::string& server_id, int64_t reward,
                const std::string& currency = "USD") {
    storage::Assignment a;
    a.account = account;
    a.server_id = server_id;
    a.task_id = "task-" + server_id;
    a.kind = "relevance";
    a.payload = "{\"id\":\"" + server_id + "\"}";
    a.assets = "[]";
    a.deadline_server_ms = clock_->NowMs() + 24 * kHour;
    a.reward_micros = reward;
    a.currency = currency;
    a.claimed_at_ms = clock_->NowMs();
    return store_->UpsertAssignment(a);
  }

  void Event(const std::string& account, int64_t seq, const std::string& type,
             const std::string& server_id, int64_t t, const std::string& extra = "") {
    std::string payload = "{\"seq\":" + std::to_string(seq) + ",\"type\":\"" + type + "\"";
    if (!server_id.empty()) payload += ",\"a\":\"" + server_id + "\"";
    if (!extra.empty()) payload += "," + extra;
    payload += ",\"t\":" + std::to_string(t) + "}";
    store_->ApplyEvents(account, {storage::Event{seq, type, server_id, payload, t}},
                        "c" + std::to_string(seq));
  }

 private:
  mano::test::TempDir temp_{"mano-ledger"};
  std::string dir_ = temp_.path();
  std::shared_ptr<storage::ManualClock> clock_;
  std::unique_ptr<storage::Store> store_;
};

}  // namespace mano::test
