// Fuzz target: form reading and answer validation, the code the server runs on every result.
// Input: a form JSON, a NUL byte, an answer JSON. Invariants: Validate and ValidateForm
// never throw; a form that reads writes back to JSON that reads the same; the answer read whole,
// in pieces and as a value inside a message is the same answer or the same refusal.
#include <algorithm>
#include <string_view>

#include "fuzz_target.h"
#include "mano/sync/json_util.h"
#include "mano/sync/limits.h"
#include "mano/sync/presets.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/validate.h"

using namespace mano::sync;

namespace {

// What reading `text` gives: the answer's canonical JSON, or "!" and the refusal.
template <class Read>
std::string Outcome(Read read) {
  try {
    return read().ToJson();
  } catch (const SyncError& e) {
    return std::string("!") + e.what();
  }
}

void ReadersAgree(std::string_view text) {
  const std::string whole = Outcome([&] { return Answer::FromJson(text); });
  const std::size_t piece = 1 + text.size() % 7;
  std::size_t at = 0;
  const std::string pieces = Outcome([&] {
    return Answer::FromJsonPieces(
        [&] {
          std::string_view next = text.substr(std::min(at, text.size()), piece);
          at += piece;
          return next;
        },
        kMaxUploadBytes);
  });
  FUZZ_CHECK(whole == pieces);
  // Inside a message the refusals name "v." paths, and text after the answer can make the
  // message valid (`{"a":1},"w":2`): only answers both accept are compared.
  try {
    JsonDocument doc("{\"v\":" + std::string(text) + "}");
    const std::string inside = Answer::Read(doc.Root().Member("v")).ToJson();
    if (whole[0] != '!') FUZZ_CHECK(inside == whole);
  } catch (const SyncError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t nul = input.find('\0');
  if (nul == std::string_view::npos) return 0;
  ReadersAgree(input.substr(nul + 1));
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
