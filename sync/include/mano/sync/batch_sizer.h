// BatchSizer: how many bytes of results to put in the next upload batch, sized to the link.
//
// The bound is bytes (the results' JSON before compression), not a count: a batch takes
// results while their bytes fit, up to the protocol's kMaxSubmitBatch results. The window
// starts from what this link last carried (Restore(), from the store: LoadLinkBatchBytes),
// or from start_bytes for a link never used. It doubles while full batches go through
// quickly, holds while they take between fast_ms and slow_ms, and halves after a batch was
// cut or was slow (never below min_bytes). A single result is always allowed, so a result
// larger than the window still goes (alone).
// Thread safety: not thread-safe; one per account.
#pragma once

#include <cstdint>
#include <string>

#include "mano/sync/limits.h"

namespace mano::storage {
class Store;
}

namespace mano::sync {

struct BatchSizerOptions {
  // Window for a link with no memory: 500 short results (a score, an id: about 300 bytes of
  // JSON each; the protocol's most per submit) in one batch, tens of kB on the wire once
  // compressed. A batch of large incompressible answers costs more; a cut halves it.
  int64_t start_bytes = 256 << 10;
  int64_t min_bytes = 1 << 10;
  int64_t max_bytes = 1 << 20;
  // A cap on results per batch (tests use it to force small batches).
  int max_items = static_cast<int>(kMaxSubmitBatch);
  int64_t fast_ms = 5'000;   // a batch acknowledged within this is "quick": grow
  int64_t slow_ms = 15'000;  // slower than this: shrink even though it went through
};

class BatchSizer {
 public:
  explicit BatchSizer(BatchSizerOptions options = {});

  // Results to read for the next batch (the byte window decides how many go).
  int items() const { return options_.max_items; }
  // Bytes the next batch may carry.
  int64_t bytes() const { return bytes_; }

  // Starts from a window remembered for this link (clamped to [min_bytes, max_bytes]);
  // 0 or less keeps the current one.
  void Restore(int64_t bytes);
  // A batch of `sent_bytes` was acknowledged after `elapsed_ms`. It grows the window only
  // when it filled at least half of it: a small batch says nothing about the link.
  void Delivered(int64_t elapsed_ms, int64_t sent_bytes);
  // A batch was cut (or timed out) before its receipts came back.
  void Cut();

 private:
  BatchSizerOptions options_;
  int64_t bytes_;
};

// The per-account cursor (Store::GetCursor) holding the last window: what this link last
// carried, so the next process starts there.
inline constexpr const char* kLinkBatchCursor = "link.batch_bytes";
// The remembered window of `account`, or 0 when none is stored (or it is unreadable).
int64_t LoadLinkBatchBytes(storage::Store& store, const std::string& account);
// Stores `bytes` as the account's window (a no-op when it is already stored).
void SaveLinkBatchBytes(storage::Store& store, const std::string& account, int64_t bytes);

}  // namespace mano::sync
