// Fuzz target: every wire message decoder (JSON bodies as the server and the client read
// them). The first byte picks the message type; the rest is the body. Invariant: a body that
// decodes re-encodes to JSON that decodes to the same JSON again.
#include <string_view>

#include "fuzz_target.h"
#include "mano/sync/messages.h"
#include "mano/sync/presets.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/task_spec.h"

using namespace mano::sync;

namespace {

template <class M>
void Decode(std::string_view body) {
  try {
    M m = M::FromJson(body);
    std::string once = m.ToJson();
    FUZZ_CHECK(M::FromJson(once).ToJson() == once);
  } catch (const SyncError&) {
    // Refusing hostile input with a SyncError is the expected outcome.
  }
}

using DecodeFn = void (*)(std::string_view);
constexpr DecodeFn kDecoders[] = {
    Decode<ClaimRequest>,  Decode<ClaimReply>,  Decode<AnchorRequest>, Decode<AnchorReply>,
    Decode<SubmitRequest>, Decode<SubmitReply>, Decode<EventsReply>,   Decode<ReturnRequest>,
    Decode<ReturnReply>,   Decode<ErrorBody>,   Decode<HealthReply>,   Decode<MeReply>,
    Decode<ReceiptKey>,    Decode<Assignment>,  Decode<TaskSpec>,      Decode<Form>,
};
constexpr std::size_t kCount = sizeof kDecoders / sizeof kDecoders[0];

std::string Tagged(std::size_t index, const std::string& body) {
  return std::string(1, static_cast<char>(index)) + body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  kDecoders[data[0] % kCount](body);
  return 0;
}

std::vector<std::string> FuzzSeeds() {
  std::vector<std::string> seeds;
  Assignment a;
  a.id = "2s9";
  a.task = "t1";
  a.kind = "bounding_boxes";
  a.form = PresetForm("bounding_boxes");
  a.assets = {AssetRef{"image", std::string(64, 'a'), 10, "image/png"}};
  SubmitRequest submit;
  for (const auto& kind : PresetKinds()) {
    SubmitResult r;
    r.assignment_id = "a" + kind.substr(0, 3);
    r.answer = SampleAnswer(kind, 3);
    submit.results.push_back(r);
  }
  Receipt receipt{"2s9",  "2s9",       ReceiptStatus::kInvalid, 422, 5, std::string(64, 'c'),
                  "c2ln", "score: bad"};
  seeds.push_back(Tagged(0, ClaimRequest{"k1", 5, {"relevance"}}.ToJson()));
  seeds.push_back(Tagged(1, ClaimReply{1, {a}}.ToJson()));
  seeds.push_back(Tagged(2, AnchorRequest{"2s9", std::string(32, 'a')}.ToJson()));
  seeds.push_back(Tagged(3, AnchorReply{1, 2}.ToJson()));
  seeds.push_back(Tagged(4, submit.ToJson()));
  seeds.push_back(Tagged(5, SubmitReply{1, {receipt}, ""}.ToJson()));
  seeds.push_back(Tagged(6, EventsReply{1,
                                        "c",
                                        true,
                                        {Event{1, EventType::kRejected, "2s9", "spam", 0, "", 1},
                                         Event{2, EventType::kBonus, "2s9", "", 5, "USD", 2}}}
                                .ToJson()));
  seeds.push_back(Tagged(7, ReturnRequest{"2s9"}.ToJson()));
  seeds.push_back(Tagged(8, ReturnReply{1, "returned"}.ToJson()));
  seeds.push_back(Tagged(9, ErrorBody{"bad_field", "m", "f"}.ToJson()));
  seeds.push_back(Tagged(10, HealthReply{}.ToJson()));
  seeds.push_back(Tagged(11, MeReply{"w", "USD", 1}.ToJson()));
  seeds.push_back(Tagged(12, ReceiptKey{"ed25519", "a2V5", "01234567"}.ToJson()));
  seeds.push_back(Tagged(13, a.ToJson()));
  for (const auto& t : SampleTasks()) {
    if (t.assets.empty() || !t.assets[0].path.empty()) seeds.push_back(Tagged(14, t.ToJson()));
  }
  seeds.push_back(Tagged(15, PresetForm("entity_update").ToJson()));
  return seeds;
}
