// Fuzz target: zstd frame decoding as bodies arrive (Content-Encoding: zstd). Invariants:
// output never exceeds the limit; one-shot and chunked decoding agree; and compressing the
// input itself round trips.
#include <string_view>

#include "fuzz_target.h"
#include "mano/sync/codec.h"
#include "mano/sync/messages.h"
#include "mano/sync/presets.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/zstd_stream_decoder.h"

using namespace mano::sync;

namespace {

constexpr std::size_t kLimit = 256 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string whole;
  bool whole_ok = true;
  try {
    whole = Decompress(input, kLimit);
    FUZZ_CHECK(whole.size() <= kLimit);
  } catch (const SyncError&) {
    whole_ok = false;
  }
  // The same bytes in chunks of a size taken from the input.
  std::size_t chunk = size ? 1 + data[size / 2] % 97 : 1;
  try {
    ZstdStreamDecoder decoder(kLimit);
    for (std::size_t at = 0; at < size; at += chunk) decoder.Feed(input.substr(at, chunk));
    decoder.Finish();
    FUZZ_CHECK(decoder.produced() <= kLimit);
    if (whole_ok && size > 0) FUZZ_CHECK(decoder.output() == whole);
  } catch (const SyncError&) {
    FUZZ_CHECK(!whole_ok || size == 0);
  }
  if (size <= 4096) FUZZ_CHECK(Decompress(Compress(input), kLimit) == input);
  return 0;
}

std::vector<std::string> FuzzSeeds() {
  std::vector<std::string> seeds;
  SubmitRequest req;
  for (std::uint32_t i = 0; i < 20; ++i) {
    SubmitResult r;
    r.assignment_id = "a" + std::to_string(i);
    r.answer = SampleAnswer("relevance", i);
    req.results.push_back(r);
  }
  seeds.push_back(Compress(req.ToJson()));
  seeds.push_back(Compress(std::string(300000, 'x')));  // over the limit, declared
  seeds.push_back(Compress("") + Compress("abc"));
  seeds.push_back(Compress(PresetForm("relevance").ToJson(), 19));
  return seeds;
}
