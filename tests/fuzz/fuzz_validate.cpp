// Fuzz target: form reading and answer validation, the code the server runs on every result.
// Input: a form JSON, a NUL byte, an answer JSON. Invariants: Validate and ValidateForm
// never throw; a form that reads writes back to JSON that reads the same.
#include <string_view>

#include "fuzz_target.h"
#include "mano/sync/presets.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/validate.h"

using namespace mano::sync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t nul = input.find('\0');
  if (nul == std::string_view::npos) return 0;
  Form form;
  try {
    form = Form::FromJson(input.substr(0, nul));
    FUZZ_CHECK(Form::FromJson(form.ToJson()).ToJson() == form.ToJson());
  } catch (const SyncError&) {
    return 0;
  }
  (void)ValidateForm(form);
  try {
    Answer answer = Answer::FromJson(input.substr(nul + 1));
    FUZZ_CHECK(Answer::FromJson(answer.ToJson()) == answer);
    for (const auto& e : Validate(form, answer)) FUZZ_CHECK(!e.message.empty());
  } catch (const SyncError&) {
  }
  return 0;
}

std::vector<std::string> FuzzSeeds() {
  std::vector<std::string> seeds;
  for (const auto& kind : PresetKinds()) {
    for (std::uint32_t seed = 0; seed < 3; ++seed) {
      seeds.push_back(PresetForm(kind).ToJson() + std::string(1, '\0') +
                      SampleAnswer(kind, seed).ToJson());
    }
  }
  seeds.push_back(
      std::string(R"({"fields":[{"name":"n","type":"number","min":-1.5,"max":1e9},)"
                  R"({"name":"m","type":"multi","options":[{"value":"a"}],"max":1}]})") +
      std::string(1, '\0') + R"({"n":3.25,"m":["a","a"]})");
  return seeds;
}
