#include "mano/sync/batch_sizer.h"

#include <algorithm>

namespace mano::sync {

BatchSizer::BatchSizer(BatchSizerOptions options)
    : options_(options),
      items_(std::clamp(options.start_items, 1, std::max(1, options.max_items))),
      bytes_(std::clamp<int64_t>(options.start_bytes, 1, std::max<int64_t>(1, options.max_bytes))) {
}

void BatchSizer::Scale(bool grow) {
  if (grow) {
    items_ = std::min(std::max(1, options_.max_items), items_ * 2);
    bytes_ = std::min(std::max<int64_t>(1, options_.max_bytes), bytes_ * 2);
  } else {
    items_ = std::max(1, items_ / 2);
    bytes_ = std::max<int64_t>(1024, bytes_ / 2);
  }
}

void BatchSizer::Delivered(int64_t elapsed_ms) {
  if (elapsed_ms <= options_.fast_ms) {
    Scale(true);
  } else if (elapsed_ms > options_.slow_ms) {
    Scale(false);
  }
}

void BatchSizer::Cut() { Scale(false); }

}  // namespace mano::sync
