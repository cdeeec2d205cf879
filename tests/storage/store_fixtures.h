// Test helpers for storage tests: a unique temporary folder removed at scope end (the
// shared TempDir of tests/support), and a Store opened in it on a ManualClock with one
// account and one assignment.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "../support/file_bytes.h"
#include "../support/temp_dir.h"
#include "mano/storage/database.h"
#include "mano/storage/store.h"

namespace mano::storage::test {

using TempDir = mano::test::TempDir;  // tests/support/temp_dir.h
using mano::test::ReadFileBytes;  // tests/support/file_bytes.h

inline Account TestAccount(const std::string& name = "alice") {
  return Account{name, "http://127.0.0.1:1", "token-" + name, "a2V5", "USD", 0, ""};
}

inline Assignment TestAssignment(const std::string& account = "alice",
                                 const std::string& server_id = "srv-1") {
  Assignment a;
  a.account = account;
  a.server_id = server_id;
  a.task_id = "task-" + server_id;
  a.kind = "rating";
  a.payload = R"({"form":[]})";
  a.assets = "[]";
  a.deadline_server_ms = 1'790'000'600'000;
  a.reward_micros = 1'250'000;
  a.currency = "USD";
  a.claimed_at_ms = 1'790'000'000'000;
  return a;
}

// Runs `sql` on a second connection to the database file at `path` (e.g. a trigger that
// injects a failure into the store's next write).
inline void ExecOnOtherConnection(const std::string& path, std::string_view sql) {
  Database other(path, SQLITE_OPEN_READWRITE, "");
  other.Exec(sql);
}

// A fresh store in its own folder, on a ManualClock, with account "alice".
struct Fixture {
  TempDir dir;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  Store store = Open();

  Store Open(OpenOptions options = {}) {
    options.clock = clock;
    Store s = Store::Open(dir.path(), options);
    if (!s.GetAccount("alice")) s.AddAccount(TestAccount());
    return s;
  }
};

}  // namespace mano::storage::test
