// Fuzz target: the client's side of every exchange (ServerApi in sync/), fed hostile replies
// through a canned Transport. The first byte picks the call, the second the HTTP status; then
// header lines "name: value", an empty line, and the body. Claim, submit (per-receipt and batch
// receipts, then their signatures checked), events, uploads, dictionaries, assets; and the
// parser of stored batch bytes. Invariant: only SyncError leaves, and what a call returns
// holds what its contract says.
#include <string_view>

#include "fuzz_target.h"
#include "mano/sync/messages.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/receipt_signer.h"
#include "mano/sync/server_api.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/transport.h"

using namespace mano::sync;

namespace {

class CannedTransport : public Transport {
 public:
  explicit CannedTransport(mano::sync::HttpResponse reply) : reply_(std::move(reply)) {}
  mano::sync::HttpResponse Send(const HttpRequest&) override { return reply_; }

 private:
  mano::sync::HttpResponse reply_;
};

constexpr int kStatuses[] = {200, 201, 204, 206, 304, 400, 401, 404, 409, 413, 429, 460, 500, 503};

mano::sync::HttpResponse Reply(int status, std::string_view rest) {
  mano::sync::HttpResponse r;
  r.outcome = Outcome::kOk;
  r.status = status;
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  r.body = std::string(rest);
  return r;
}

const ReceiptVerifier& Verifier() {
  static const ReceiptVerifier verifier =
      ReceiptVerifier::FromBase64(ReceiptSigner::Generate().ToReceiptKey().key);
  return verifier;
}

const std::vector<ReceiptDefaults> kSent = {{"k1", "a1", std::string(64, 'a')},
                                            {"k2", "a2", std::string(64, 'b')}};
const char kResults[] = "{\"a\":\"a1\",\"k\":\"k1\",\"v\":{}},{\"a\":\"a2\",\"k\":\"k2\",\"v\":{}}";

void Call(unsigned which, ServerApi& api) {
  switch (which % 14) {
    case 0:
      api.GetReceiptKey();
      break;
    case 1:
      api.GetMe();
      break;
    case 2:
      FUZZ_CHECK(api.Claim(ClaimRequest{"k", 3, {}}).assignments.size() <= 100);
      break;
    case 3:
      api.Anchor(AnchorRequest{"a1", std::string(32, 'a')});
      break;
    case 4:
    case 5: {
      const bool batch = which % 14 == 5;
      SubmitReply reply = api.Submit(kResults, 2, nullptr, nullptr, batch ? &kSent : nullptr);
      FUZZ_CHECK(reply.receipts.size() == 2);
      if (batch && !reply.sig.empty()) {
        Verifier().VerifyBatch(CanonicalBatchBytes(reply.receipts), reply.sig);
      } else {
        for (const auto& r : reply.receipts) Verifier().Verify(r);
      }
      break;
    }
    case 6:
      api.Events("", 100);
      break;
    case 7:
      api.Return("a1");
      break;
    case 8:
      FUZZ_CHECK(api.CreateUpload(100).rfind("/v1/uploads/", 0) == 0);
      break;
    case 9:
      FUZZ_CHECK(api.UploadOffset("/v1/uploads/u1") >= 0);
      break;
    case 10:
      api.PatchUpload("/v1/uploads/u1", 10, "0123456789");
      break;
    case 11:
      api.GetDictionary("relevance", 0, 1 << 20);
      break;
    case 12: {
      int64_t got = 0;
      api.GetAsset(std::string(64, 'a'), 5, [&](std::string_view bytes) {
        got += static_cast<int64_t>(bytes.size());
        return true;
      });
      break;
    }
    default:
      break;
  }
}

std::string Tagged(unsigned call, unsigned status, const std::string& headers,
                   const std::string& body) {
  return std::string(1, static_cast<char>(call)) + std::string(1, static_cast<char>(status)) +
         headers + "\n" + body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const unsigned which = data[0];
  const int status = kStatuses[data[1] % std::size(kStatuses)];
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  if (which % 14 == 13) {
    // Stored batch bytes read back (the evidence export and receipt checks do this).
    auto parsed = ParseBatchBytes(rest);
    if (parsed) FUZZ_CHECK(CanonicalBatchBytes(*parsed) == rest);
    return 0;
  }
  CannedTransport transport(Reply(status, rest));
  ServerApi api(transport, "secret-token", nullptr);
  try {
    Call(which, api);
  } catch (const SyncError& e) {
    FUZZ_CHECK(std::string_view(e.what()).find("secret-token") == std::string_view::npos);
  }
  return 0;
}

std::vector<std::string> FuzzSeeds() {
  Assignment a;
  a.id = "2s9";
  a.task = "t1";
  a.kind = "relevance";
  Receipt r1{"k1", "a1", ReceiptStatus::kAccepted, 200, 5, std::string(64, 'a'), "c2ln", ""};
  Receipt r2{"k2", "a2", ReceiptStatus::kInvalid, 422, 5, std::string(64, 'b'), "c2ln", "bad"};
  SubmitReply submit{1, {r1, r2}, ""};
  SubmitReply batch{1, {r1, r2}, "c2ln"};
  const std::string json = "content-type: application/json\n";
  return {
      Tagged(0, 0, json, ReceiptKey{"ed25519", "a2V5", "01234567"}.ToJson()),
      Tagged(1, 0, json, MeReply{"w", "USD", 1}.ToJson()),
      Tagged(2, 0, json, ClaimReply{1, {a}}.ToJson()),
      Tagged(3, 0, json, AnchorReply{1, 2}.ToJson()),
      Tagged(4, 0, json, submit.ToJson()),
      Tagged(5, 0, json, batch.ToBatchJson(kSent)),
      Tagged(6, 0, json,
             EventsReply{1,
                         "c",
                         true,
                         {Event{1, EventType::kRejected, "2s9", "spam", 0, "", 1},
                          Event{2, EventType::kPayment, "2s9", "", 5, "EUR", 2}}}
                 .ToJson()),
      Tagged(7, 0, json, ReturnReply{1, "returned"}.ToJson()),
      Tagged(8, 1, "location: /v1/uploads/u1\nupload-offset: 0\n", "{\"id\":\"u1\"}"),
      Tagged(9, 0, "upload-offset: 7\nupload-length: 100\n", ""),
      Tagged(10, 2, "upload-offset: 20\n", ""),
      Tagged(11, 0, "mano-dict-id: 7\netag: W/\"7\"\n", std::string(64, 'd')),
      Tagged(12, 3, "content-range: bytes 5-9/10\n", "56789"),
      std::string("\x0d\x00", 2) + CanonicalBatchBytes({r1, r2}),
      Tagged(2, 8, json, ErrorBody{"too_deep", "m", ""}.ToJson()),
      Tagged(8, 10, "retry-after: 60\n" + json, ErrorBody{"upload_quota", "m", "x"}.ToJson()),
  };
}
