#include "mano/sync/batch_sizer.h"

#include <algorithm>
#include <charconv>

#include "mano/storage/store.h"

namespace mano::sync {

namespace {

int64_t Clamp(int64_t bytes, const BatchSizerOptions& options) {
  const int64_t low = std::max<int64_t>(1, options.min_bytes);
  return std::clamp<int64_t>(bytes, low, std::max(low, options.max_bytes));
}

}  // namespace

BatchSizer::BatchSizer(BatchSizerOptions options)
    : options_(options), bytes_(Clamp(options.start_bytes, options)) {
  options_.max_items = std::max(1, options_.max_items);
}

void BatchSizer::Restore(int64_t bytes) {
  if (bytes > 0) bytes_ = Clamp(bytes, options_);
}

void BatchSizer::Delivered(int64_t elapsed_ms, int64_t sent_bytes) {
  if (elapsed_ms > options_.slow_ms) {
    bytes_ = Clamp(bytes_ / 2, options_);
  } else if (elapsed_ms <= options_.fast_ms && sent_bytes * 2 >= bytes_) {
    bytes_ = Clamp(bytes_ * 2, options_);
  }
}

void BatchSizer::Cut() { bytes_ = Clamp(bytes_ / 2, options_); }

int64_t LoadLinkBatchBytes(storage::Store& store, const std::string& account) {
  const auto text = store.GetCursor(account, kLinkBatchCursor);
  if (!text) return 0;
  int64_t bytes = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), bytes);
  if (error != std::errc() || end != text->data() + text->size()) return 0;
  return bytes;
}

void SaveLinkBatchBytes(storage::Store& store, const std::string& account, int64_t bytes) {
  if (LoadLinkBatchBytes(store, account) == bytes) return;
  store.SetCursor(account, kLinkBatchCursor, std::to_string(bytes));
}

}  // namespace mano::sync
