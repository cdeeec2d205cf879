#include "mano/sync/codec.h"

#include <zstd.h>

#include <algorithm>
#include <memory>

#include "mano/sync/sync_error.h"
#include "mano/sync/zstd_dictionary.h"
#include "mano/sync/zstd_stream_decoder.h"

namespace mano::sync {

namespace {

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

}  // namespace

std::string Compress(std::string_view input, int level, const ZstdDictionary* dictionary) {
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
  if (!cctx) throw SyncError(SyncErrorKind::kInternal, "ZSTD_createCCtx failed");
  if (dictionary) {
    ZSTD_CCtx_refCDict(cctx.get(), dictionary->cdict());
  } else {
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  }
  // Bodies are at most a few MB and their size is known, so zstd sizes the window to the
  // input: frames stay within the 8 MB window of RFC 9659 at every level we use.
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 1);
  std::string out(ZSTD_compressBound(input.size()), '\0');
  std::size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), input.data(), input.size());
  if (ZSTD_isError(n)) {
    throw SyncError(SyncErrorKind::kInternal,
                    std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
  }
  out.resize(n);
  return out;
}

std::string Decompress(std::string_view frame, std::size_t max_output,
                       const ZstdDictionary* dictionary) {
  if (frame.empty()) throw SyncError(SyncErrorKind::kBadMessage, "empty zstd body");
  ZstdStreamDecoder decoder(max_output, dictionary);
  decoder.Feed(frame);
  decoder.Finish();
  return decoder.TakeOutput();
}

bool LooksLikeZstd(std::string_view data) {
  static const char kMagic[4] = {'\x28', '\xb5', '\x2f', '\xfd'};
  return data.size() >= 4 && std::equal(kMagic, kMagic + 4, data.begin());
}

}  // namespace mano::sync
