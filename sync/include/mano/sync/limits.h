// Protocol limits shared by client and server (docs/PROTOCOL.md, "Limits").
//
// The server refuses anything above these with 413 (sizes) or 400 (lengths, counts); the
// client never sends more. Decoders in this module enforce the ones that concern them.
// Header-only constants; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mano::sync {

// Largest request or reply body on the wire (after Content-Encoding).
constexpr std::size_t kMaxBodyBytes = 1u << 20;  // 1 MiB
// Largest body after decompression (a zstd bomb stops here, before allocating more).
constexpr std::size_t kMaxDecompressedBytes = 4u << 20;  // 4 MiB
// zstd frames must declare a window no larger than this (RFC 9659).
constexpr std::size_t kMaxZstdWindowBytes = 8u << 20;  // 8 MiB
// Deepest nesting of arrays and objects in a JSON body (the root object is level 1). Checked
// by a linear scan before parsing, so a body of a million '[' costs one pass and no more.
constexpr std::size_t kMaxJsonDepth = 64;
// Bodies at or below this size are not worth compressing.
constexpr std::size_t kCompressThresholdBytes = 200;
// Results in one POST /v1/submit; assignments in one claim; events in one page.
constexpr std::size_t kMaxSubmitBatch = 500;
constexpr std::int64_t kMaxClaimCount = 100;
constexpr std::int64_t kMaxEventsLimit = 1000;
// Ids, idempotency keys, task kinds, field names: 1..64 bytes of [A-Za-z0-9._:-].
constexpr std::size_t kMaxIdLength = 64;
// Free text in an answer, in Unicode code points, when the form gives no max_length.
constexpr std::int64_t kDefaultMaxTextCodePoints = 10000;
// Absolute cap on any form's max_length (bigger answers go by upload).
constexpr std::int64_t kMaxTextCodePoints = 1000000;
// Fields per form, options per field, boxes per answer, labels per field.
constexpr std::size_t kMaxFields = 200;
constexpr std::size_t kMaxOptions = 500;
constexpr std::size_t kMaxBoxes = 2000;
// Results whose JSON answer is over this go by resumable upload (tus) instead of inline.
constexpr std::size_t kUploadThresholdBytes = 256u << 10;  // 256 KiB
// Largest single upload.
constexpr std::size_t kMaxUploadBytes = 64u << 20;  // 64 MiB
// A result as a client keeps it before sending (its answer, which may be an upload's size,
// with a, k and h), and the largest answer any reader of answers accepts.
constexpr std::size_t kMaxResultJsonBytes = kMaxUploadBytes + (1u << 20);
// Per worker, uploads that no result names yet ("open"), and the sum of their lengths; the
// server refuses a new one beyond either (429 upload_quota). An open upload expires (is
// deleted) this long after it was created; once a result names it, it never expires.
constexpr std::size_t kMaxOpenUploads = 32;
constexpr std::size_t kMaxOpenUploadBytes = 256u << 20;     // 256 MiB
constexpr std::int64_t kUploadExpiryMs = 24 * 3600 * 1000;  // a day
// Per-worker request rate: a token bucket of this size refilled at this rate (429 beyond).
constexpr int kRateBurst = 60;
constexpr int kRatePerSecond = 10;

}  // namespace mano::sync
