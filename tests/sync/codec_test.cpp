#include "mano/sync/codec.h"

#include <catch2/catch.hpp>

#include "mano/sync/messages.h"
#include "mano/sync/presets.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/zstd_dictionary.h"
#include "mano/sync/zstd_stream_decoder.h"

using namespace mano::sync;

namespace {

SyncErrorKind KindOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const SyncError& e) {
    return e.kind();
  }
  FAIL("no SyncError thrown");
  return SyncErrorKind::kInternal;
}

void Le(std::string& s, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// A hand-made frame that declares no content size, a window of 2^window_log bytes, and
// `blocks` RLE blocks of 128 KiB each: a few bytes that expand to blocks * 128 KiB.
std::string RleBomb(int window_log, int blocks) {
  std::string f("\x28\xb5\x2f\xfd", 4);
  f += '\x00';                                     // no content size, not single-segment
  f += static_cast<char>((window_log - 10) << 3);  // window descriptor, mantissa 0
  for (int i = 0; i < blocks; ++i) {
    bool last = i == blocks - 1;
    Le(f, (last ? 1u : 0u) | (1u << 1) | (131072u << 3), 3);  // RLE block of 128 KiB
    f += 'A';
  }
  return f;
}

std::string SampleSubmit(int results, std::uint32_t seed) {
  SubmitRequest req;
  for (int i = 0; i < results; ++i) {
    SubmitResult r;
    r.assignment_id = "1" + std::to_string(1000 + seed * 100 + i);
    r.answer = SampleAnswer("relevance", seed * 31 + i);
    req.results.push_back(r);
  }
  return req.ToJson();
}

}  // namespace

TEST_CASE("Compress and Decompress round trip") {
  std::string body = SampleSubmit(100, 1);
  std::string z = Compress(body);
  CHECK(LooksLikeZstd(z));
  CHECK(z.size() < body.size() / 2);
  CHECK(Decompress(z) == body);
  CHECK(Decompress(Compress("")) == "");
}

TEST_CASE("Concatenated frames decode to the concatenation") {
  CHECK(Decompress(Compress("abc") + Compress("def")) == "abcdef");
}

TEST_CASE("Streaming decoder gives the same bytes when fed one byte at a time") {
  std::string body = SampleSubmit(50, 2);
  std::string z = Compress(body);
  ZstdStreamDecoder decoder;
  for (char c : z) decoder.Feed(std::string_view(&c, 1));
  decoder.Finish();
  CHECK(decoder.output() == body);
}

TEST_CASE("A frame that declares a size over the limit is refused before decoding") {
  std::string z = Compress(std::string(5u << 20, '\0'));
  CHECK(z.size() < 1000);
  ZstdStreamDecoder decoder(kMaxDecompressedBytes);
  CHECK(KindOf([&] { decoder.Feed(z); }) == SyncErrorKind::kTooLarge);
  CHECK(decoder.produced() == 0);
  CHECK(KindOf([&] { Decompress(z, 1000); }) == SyncErrorKind::kTooLarge);
}

TEST_CASE("A bomb without a declared size stops at the limit") {
  std::string bomb = RleBomb(23, 64);  // 8 MiB from ~200 bytes
  CHECK(bomb.size() < 300);
  ZstdStreamDecoder decoder(1u << 20);
  CHECK(KindOf([&] { decoder.Feed(bomb); }) == SyncErrorKind::kTooLarge);
  CHECK(decoder.produced() <= (1u << 20) + 1);
  // Under the limit the same kind of frame is fine.
  CHECK(Decompress(RleBomb(23, 2)) == std::string(2 * 131072, 'A'));
}

TEST_CASE("A window over 8 MB is refused") {
  CHECK(KindOf([] { Decompress(RleBomb(24, 1)); }) == SyncErrorKind::kTooLarge);
  CHECK_NOTHROW(Decompress(RleBomb(23, 1)));
}

TEST_CASE("Corrupt, truncated and foreign bodies are BadMessage") {
  std::string z = Compress(SampleSubmit(20, 3));
  CHECK(KindOf([&] { Decompress(z.substr(0, z.size() - 3)); }) == SyncErrorKind::kBadMessage);
  CHECK(KindOf([] { Decompress("{\"json\":true}"); }) == SyncErrorKind::kBadMessage);
  CHECK(KindOf([] { Decompress(""); }) == SyncErrorKind::kBadMessage);
  std::string corrupt = z;
  for (std::size_t i = 8; i < corrupt.size(); i += 5) corrupt[i] = static_cast<char>(~corrupt[i]);
  CHECK_THROWS_AS(Decompress(corrupt), SyncError);
}

TEST_CASE("A trained dictionary round trips and is required to decode") {
  std::vector<std::string> samples;
  for (std::uint32_t i = 0; i < 400; ++i) samples.push_back(SampleSubmit(3, i));
  ZstdDictionary dict(ZstdDictionary::Train(samples, 4096));
  CHECK(dict.id() != 0);
  std::string body = SampleSubmit(10, 999);
  std::string with = Compress(body, 3, &dict);
  CHECK(Decompress(with, kMaxDecompressedBytes, &dict) == body);
  CHECK(with.size() < Compress(body).size());
  CHECK(KindOf([&] { Decompress(with); }) == SyncErrorKind::kBadMessage);
  CHECK(KindOf([] { ZstdDictionary bad("tiny"); }) == SyncErrorKind::kBadMessage);
}
