// ServerApi: the protocol's endpoints as typed calls over a Transport (one server, one
// token). It builds request bodies (zstd-compressed when worth it), reads replies into the
// wire messages of messages.h, and turns every failure into one SyncError:
//   unreachable -> kOffline, cut or stalled -> kTimeout, captive portal -> kCaptive,
//   401/403 -> kAuth, 413 -> kTooLarge, other non-2xx -> kHttp (with the server's error
//   message), malformed or oversized replies -> kBadMessage / kTooLarge.
// Every exchange, failed or not, is reported to the byte counter given at construction
// (with whether it was prefetch, for the data budget) before anything is thrown.
// Messages never contain the token (the transport scrubs its errors; server error text is
// passed through Scrub too).
// Thread safety: not thread-safe; one ServerApi per transport per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mano/sync/messages.h"
#include "mano/sync/sync_exchange.h"
#include "mano/sync/transport.h"

namespace mano::sync {

enum class Traffic { kEssential, kPrefetch };

class ZstdDictionary;

// What a submit put on the wire (for the pass report's dictionary figures): body bytes plus
// the Content-Encoding header line when the body is zstd.
struct SubmitStats {
  std::size_t body_bytes = 0;          // what was sent
  std::size_t without_dict_bytes = 0;  // what it would have been without the dictionary
  bool used_dictionary = false;        // the body is a frame naming the dictionary
};

// GET /v1/dict/<kind>: the published dictionary, or that the one held is still current.
struct DictionaryReply {
  bool not_modified = false;  // 304: the id held is still the published one
  std::uint32_t id = 0;       // Mano-Dict-Id
  std::string bytes;
};

class ServerApi {
 public:
  using ByteCounter = std::function<void(Traffic, int64_t up, int64_t down)>;

  ServerApi(Transport& transport, std::string token_for_scrub, ByteCounter counter);

  ReceiptKey GetReceiptKey();
  MeReply GetMe();
  ClaimReply Claim(const ClaimRequest& request);
  AnchorReply Anchor(const AnchorRequest& request);
  // `results_json` is the comma-separated SubmitResult objects (outbox bodies). With a
  // `dictionary`, the body is compressed both with and without it and the smaller goes (a
  // dictionary never costs more than it saves); `stats` says which. A server that does not
  // know the dictionary answers 400 with field "dictionary" (kHttp): send again without.
  // With `batch` (one entry per result, in order) it asks for batch receipts
  // ("Mano-Receipts: batch-v1") and fills what a batch reply leaves out from it; the
  // reply's sig is then the batch signature, or empty when the server signed each receipt
  // (a server that predates batch receipts ignores the header).
  SubmitReply Submit(const std::string& results_json, std::size_t expected,
                     const ZstdDictionary* dictionary = nullptr, SubmitStats* stats = nullptr,
                     const std::vector<ReceiptDefaults>* batch = nullptr);
  // GET /v1/dict/<kind> as prefetch traffic, with If-None-Match when `held_id` is not 0.
  // nullopt when the server publishes none for the kind (404). A reply over `max_bytes`
  // is kTooLarge. The bytes are not checked here (ZstdDictionary does that).
  std::optional<DictionaryReply> GetDictionary(const std::string& kind, std::uint32_t held_id,
                                               int64_t max_bytes);
  // POST /v1/sync (docs/PROTOCOL.md section 16): `request` plus `results_json` (as for
  // Submit) as its results, `sent` one entry per result. The body goes with `dictionary`
  // when that makes it smaller, as for Submit (and the same 400 "dictionary" may come back).
  // nullopt when the server does not offer the endpoint (it answered 404): the caller uses
  // the single endpoints instead. The reply is checked against the request (sync_exchange.h).
  std::optional<SyncReply> Sync(const SyncRequest& request, const std::string& results_json,
                                const std::vector<ReceiptDefaults>& sent,
                                const ZstdDictionary* dictionary = nullptr,
                                SubmitStats* stats = nullptr);
  EventsReply Events(const std::string& after, int limit);
  ReturnReply Return(const std::string& assignment);

  // GET /v1/assets/<hash> from `offset` (Range), bytes handed to `sink`. Returns true when
  // the server honoured the Range (206) or offset was 0 (200); false when it sent the
  // whole body again from 0 (200 to a Range request: the caller must start over).
  bool GetAsset(const std::string& hash, int64_t offset,
                const std::function<bool(std::string_view)>& sink);

  // tus 1.0 uploads: create (returns the upload's path, e.g. "/v1/uploads/u7"), current
  // offset, and append a chunk at `offset` (returns the new offset).
  std::string CreateUpload(int64_t length);
  int64_t UploadOffset(const std::string& path);
  int64_t PatchUpload(const std::string& path, int64_t offset, std::string_view chunk);

  // Retry-After of the last reply that carried one (429/503), in ms.
  std::optional<int64_t> retry_after_ms() const { return retry_after_ms_; }

 private:
  HttpResponse Exchange(HttpRequest request, Traffic traffic, int ok_low = 200, int ok_high = 299);
  // Sets the body of `request` to `json`, compressed when worth it, with `dictionary` when
  // that is smaller still; says in `stats` what went.
  static void PackBody(HttpRequest& request, const std::string& json,
                       const ZstdDictionary* dictionary, SubmitStats* stats);
  template <class Reply, class... Context>
  Reply Parse(const HttpResponse& response, const char* what, const Context&... context);

  Transport& transport_;
  std::string token_;
  ByteCounter counter_;
  std::optional<int64_t> retry_after_ms_;
};

}  // namespace mano::sync
