#include "mano/sync/zstd_stream_decoder.h"

#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>

#include "mano/sync/codec.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/zstd_dictionary.h"

namespace mano::sync {

namespace {

// log2(kMaxZstdWindowBytes)
constexpr int kWindowLogMax = 23;
static_assert((std::size_t{1} << kWindowLogMax) == kMaxZstdWindowBytes);
constexpr std::size_t kChunk = 64 * 1024;

[[noreturn]] void Refuse(std::size_t code) {
  ZSTD_ErrorCode e = ZSTD_getErrorCode(code);
  if (e == ZSTD_error_frameParameter_windowTooLarge) {
    throw SyncError(SyncErrorKind::kTooLarge,
                    "zstd frame declares a window over 8 MB (RFC 9659 limit)");
  }
  if (e == ZSTD_error_dictionary_wrong) {
    throw SyncError(SyncErrorKind::kBadMessage, "zstd frame needs a dictionary we do not have");
  }
  throw SyncError(SyncErrorKind::kBadMessage,
                  std::string("corrupt zstd body: ") + ZSTD_getErrorName(code));
}

}  // namespace

ZstdStreamDecoder::ZstdStreamDecoder(std::size_t max_output, const ZstdDictionary* dictionary)
    : max_output_(max_output) {
  dctx_ = ZSTD_createDCtx();
  if (!dctx_) throw SyncError(SyncErrorKind::kInternal, "ZSTD_createDCtx failed");
  ZSTD_DCtx_setParameter(dctx_, ZSTD_d_windowLogMax, kWindowLogMax);
  if (dictionary) ZSTD_DCtx_refDDict(dctx_, dictionary->ddict());
}

ZstdStreamDecoder::~ZstdStreamDecoder() { ZSTD_freeDCtx(dctx_); }

void ZstdStreamDecoder::CheckFrameStart(std::string_view next) const {
  if (next.size() >= 4 && !LooksLikeZstd(next)) {
    throw SyncError(SyncErrorKind::kBadMessage, "body is not a zstd frame");
  }
  // A frame that declares a content size over the limit is refused before any work.
  unsigned long long declared = ZSTD_getFrameContentSize(next.data(), next.size());
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR &&
      declared > max_output_ - produced_) {
    throw SyncError(SyncErrorKind::kTooLarge, "zstd frame declares " + std::to_string(declared) +
                                                  " bytes, over the limit of " +
                                                  std::to_string(max_output_));
  }
}

bool ZstdStreamDecoder::Step(ZSTD_inBuffer_s& in) {
  // Never ask for more than one byte past the limit: that byte proves the overflow.
  std::size_t room = std::min(kChunk, max_output_ - produced_ + 1);
  std::size_t old = output_.size();
  output_.resize(old + room);
  ZSTD_outBuffer out{output_.data() + old, room, 0};
  std::size_t ret = ZSTD_decompressStream(dctx_, &out, &in);
  output_.resize(old + out.pos);
  produced_ += out.pos;
  if (ZSTD_isError(ret)) Refuse(ret);
  if (produced_ > max_output_) {
    throw SyncError(SyncErrorKind::kTooLarge, "zstd body decompresses past the limit of " +
                                                  std::to_string(max_output_) + " bytes");
  }
  mid_frame_ = ret != 0;
  return out.pos == room;  // the output buffer was filled: more may be waiting
}

void ZstdStreamDecoder::Feed(std::string_view compressed) {
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  while (in.pos < in.size) {
    // Concatenated frames are allowed; each new frame's header is checked first.
    if (!mid_frame_) CheckFrameStart(compressed.substr(in.pos));
    Step(in);
  }
  // Output may still be buffered inside zstd after all input is consumed.
  ZSTD_inBuffer none{nullptr, 0, 0};
  while (mid_frame_ && Step(none)) {
  }
}

void ZstdStreamDecoder::Finish() {
  if (mid_frame_) throw SyncError(SyncErrorKind::kBadMessage, "zstd body is truncated");
}

}  // namespace mano::sync
