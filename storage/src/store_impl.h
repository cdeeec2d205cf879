// Store::Impl: the state behind a Store (connection, options, clock, report) and the
// helpers the per-area source files share. Internal to storage/.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mano/storage/database.h"
#include "mano/storage/store.h"
#include "mano/storage/transaction.h"
#include "open_files.h"

namespace mano::storage {

struct Store::Impl {
  // Declared first so it is released last, after the connection has closed.
  OpenFiles::Registration registration;
  std::unique_ptr<Database> db;
  OpenOptions options;
  std::shared_ptr<Clock> clock;
  OpenReport report;
  std::string data_dir;
  // Newest local time seen (persisted in meta "newest_local_ms", plus this process).
  int64_t newest_local_ms = 0;
  // Per account: (server time, monotonic time) at the last contact in this process.
  std::map<std::string, std::pair<int64_t, int64_t>> contact_anchor;

  // Reads the local clock and remembers the newest value seen.
  int64_t Now();
  // Appends one journal entry inside the caller's transaction; returns its seq.
  int64_t Journal(const std::string& account, std::optional<int64_t> assignment_id,
                  std::string_view type, std::string_view payload);
  // Sets the state of an assignment inside the caller's transaction (+ journal entry).
  // `given_reason` becomes the assignment's state_reason.
  void ChangeState(int64_t id, AssignmentState to, std::string_view reason,
                   std::string_view given_reason = {});
  // Stores receipts (and `batch`, when given and any receipt is new) inside the caller's
  // transaction; see Store::ApplyReceipts.
  int ApplyReceipts(const std::string& account, const std::vector<Receipt>& receipts,
                    const ReceiptBatch* batch);
  // Inserts `a`, or updates the task fields of the row with its (account, server_id), inside
  // the caller's transaction; see Store::UpsertAssignment. Returns the local id.
  int64_t UpsertAssignment(const Assignment& a);
  // Clears `account`'s pending claim key if it is still `key`, inside the caller's
  // transaction; see Store::EndClaim.
  bool ClearClaimKey(const std::string& account, const std::string& key);
  // Persists newest_local_ms (inside the caller's transaction).
  void SaveNewestLocal();
  [[noreturn]] void NotFound(const std::string& what) const;
  void RequireAccount(const std::string& account);
};

// Calls `fn` with every row `page(after_seq)` returns, page after page in seq order, until a
// page comes back empty: a whole table read with one page in memory at a time.
template <typename Page, typename Fn>
void ForEachRow(const Page& page, const Fn& fn) {
  for (int64_t after = 0;;) {
    auto rows = page(after);
    if (rows.empty()) return;
    after = rows.back().seq;
    for (auto& row : rows) fn(row);
  }
}

// Minimal JSON string escaping for the journal payloads storage writes itself.
std::string JsonQuote(std::string_view s);

}  // namespace mano::storage
