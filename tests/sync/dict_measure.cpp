// Measurement, not a test: bytes of small submit batches compressed with zstd alone vs
// with a zstd dictionary trained on other batches of the same kind (the /v1/dict/<kind>
// path of the protocol). Prints one table row per kind and batch size.
//   build-engine/obj/bin/sync_dict_measure
#include <cstdio>
#include <string>
#include <vector>

#include "mano/sync/codec.h"
#include "mano/sync/messages.h"
#include "mano/sync/presets.h"
#include "mano/sync/zstd_dictionary.h"

using namespace mano::sync;

namespace {

std::string Batch(const std::string& kind, int size, uint32_t seed) {
  std::string json = "{\"results\":[";
  for (int i = 0; i < size; ++i) {
    SubmitResult result;
    result.assignment_id = "a" + std::to_string(seed * 131 + i);
    result.key = result.assignment_id + ":1";
    result.answer = SampleAnswer(kind, seed * 17 + static_cast<uint32_t>(i));
    if (i) json += ',';
    json += ToJsonString(result);
  }
  return json + "]}";
}

}  // namespace

int main() {
  std::printf(
      "| kind | results/batch | raw bytes | zstd -3 | zstd -19 | zstd + dict | dict size |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const std::string& kind : PresetKinds()) {
    std::vector<std::string> samples;
    for (uint32_t seed = 1000; seed < 1400; ++seed)
      samples.push_back(Batch(kind, 1 + seed % 4, seed));
    std::string trained;
    try {
      trained = ZstdDictionary::Train(samples, 4096);
    } catch (const std::exception& e) {
      std::printf("| %s | - | - | - | - | training failed: %s | - |\n", kind.c_str(), e.what());
      continue;
    }
    const ZstdDictionary dictionary(trained, 3);
    for (int size : {1, 2, 4, 8, 32}) {
      long raw = 0, plain = 0, high = 0, dict = 0;
      const int runs = 50;
      for (uint32_t seed = 1; seed <= runs; ++seed) {
        const std::string body = Batch(kind, size, seed);
        raw += static_cast<long>(body.size());
        plain += static_cast<long>(Compress(body, 3).size());
        high += static_cast<long>(Compress(body, 19).size());
        dict += static_cast<long>(Compress(body, 3, &dictionary).size());
      }
      std::printf("| %s | %d | %ld | %ld | %ld | %ld | %zu |\n", kind.c_str(), size, raw / runs,
                  plain / runs, high / runs, dict / runs, trained.size());
    }
  }
  return 0;
}
