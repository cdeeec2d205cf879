// zstd for bodies on the wire (Content-Encoding: zstd), with hard limits against bombs.
//
// Decompress refuses, before allocating, a frame that declares a content size over
// `max_output` or a window over kMaxZstdWindowBytes (RFC 9659), and stops streaming the moment
// the output would pass `max_output` (frames that do not declare their size cannot sneak past).
// Concatenated frames are accepted (their total output counts). Failures throw SyncError:
// kTooLarge for limits, kBadMessage for corrupt or truncated frames or a missing dictionary.
// Functions are thread-safe (each call uses its own context).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "mano/sync/limits.h"

namespace mano::sync {

class ZstdDictionary;

// Compresses `input` into one frame that records its content size (no checksum: 4 bytes
// matter on tiny bodies and TLS already guards integrity).
// With a dictionary, the dictionary's level is used and `level` ignored.
std::string Compress(std::string_view input, int level = 3,
                     const ZstdDictionary* dictionary = nullptr);

std::string Decompress(std::string_view frame, std::size_t max_output = kMaxDecompressedBytes,
                       const ZstdDictionary* dictionary = nullptr);

// True when `data` starts with the zstd frame magic number (28 b5 2f fd).
bool LooksLikeZstd(std::string_view data);

}  // namespace mano::sync
