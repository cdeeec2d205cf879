// Incremental zstd decompression for bodies that arrive in pieces (a libcurl write callback,
// a libmicrohttpd upload callback). Same limits as Decompress: window <= kMaxZstdWindowBytes,
// output <= max_output, checked as bytes arrive, so a bomb is stopped after at most
// max_output bytes were produced.
//
// Owns a ZSTD_DCtx (RAII). Not thread-safe: one decoder per body.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "mano/sync/limits.h"

struct ZSTD_DCtx_s;
struct ZSTD_inBuffer_s;

namespace mano::sync {

class ZstdDictionary;

class ZstdStreamDecoder {
 public:
  // `dictionary` (may be null) must outlive the decoder.
  explicit ZstdStreamDecoder(std::size_t max_output = kMaxDecompressedBytes,
                             const ZstdDictionary* dictionary = nullptr);
  ~ZstdStreamDecoder();
  ZstdStreamDecoder(const ZstdStreamDecoder&) = delete;
  ZstdStreamDecoder& operator=(const ZstdStreamDecoder&) = delete;

  // Feeds the next compressed bytes and appends what they decode to `output()`.
  // Throws SyncError{kTooLarge} past max_output or on a window over the limit,
  // {kBadMessage} on corrupt input. After a throw the decoder is unusable.
  void Feed(std::string_view compressed);
  // Call at end of body: throws SyncError{kBadMessage} when the last frame is incomplete.
  void Finish();

  const std::string& output() const { return output_; }
  std::string TakeOutput() { return std::move(output_); }
  std::size_t produced() const { return produced_; }

 private:
  void CheckFrameStart(std::string_view next) const;
  // Decodes one output buffer's worth; true when the buffer filled up.
  bool Step(ZSTD_inBuffer_s& in);

  ZSTD_DCtx_s* dctx_ = nullptr;
  std::size_t max_output_;
  std::size_t produced_ = 0;
  bool mid_frame_ = false;
  std::string output_;
};

}  // namespace mano::sync
