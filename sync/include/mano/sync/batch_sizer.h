// BatchSizer: how many results (and bytes) to put in the next upload batch, sized to the
// link like TCP's congestion window: start small, double while batches go through
// quickly, halve after a batch was cut or was slow. A single item is always allowed, so a
// result larger than the byte limit still goes (alone).
// Thread safety: not thread-safe; one per account.
#pragma once

#include <cstdint>

namespace mano::sync {

struct BatchSizerOptions {
  int start_items = 2;
  int max_items = 100;
  int64_t start_bytes = 8 << 10;
  int64_t max_bytes = 1 << 20;
  int64_t fast_ms = 3'000;   // a batch acknowledged within this is "quick": grow
  int64_t slow_ms = 15'000;  // slower than this: shrink even though it went through
};

class BatchSizer {
 public:
  explicit BatchSizer(BatchSizerOptions options = {});

  int items() const { return items_; }
  int64_t bytes() const { return bytes_; }

  // A batch was acknowledged after `elapsed_ms`.
  void Delivered(int64_t elapsed_ms);
  // A batch was cut (or timed out) before its receipts came back.
  void Cut();

 private:
  void Scale(bool grow);
  BatchSizerOptions options_;
  int items_;
  int64_t bytes_;
};

}  // namespace mano::sync
