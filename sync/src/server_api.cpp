#include "mano/sync/server_api.h"

#include <cstdint>

#include "mano/sync/codec.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/curl_transport.h"
#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/zstd_dictionary.h"

namespace mano::sync {
namespace {

std::string Body(HttpRequest& request, std::string json) {
  if (json.size() > kCompressThresholdBytes) {
    request.body_is_zstd = true;
    return Compress(json);
  }
  return json;
}

}  // namespace

ServerApi::ServerApi(Transport& transport, std::string token_for_scrub, ByteCounter counter)
    : transport_(transport), token_(std::move(token_for_scrub)), counter_(std::move(counter)) {}

HttpResponse ServerApi::Exchange(HttpRequest request, Traffic traffic, int ok_low, int ok_high) {
  if (request.max_reply_bytes > static_cast<int64_t>(kMaxDecompressedBytes)) {
    request.max_reply_bytes = kMaxDecompressedBytes;
  }
  HttpResponse response = transport_.Send(request);
  if (counter_) counter_(traffic, response.bytes_up, response.bytes_down);
  if (response.retry_after_ms) retry_after_ms_ = response.retry_after_ms;
  switch (response.outcome) {
    case Outcome::kOk:
      break;
    case Outcome::kUnreachable:
      throw SyncError(SyncErrorKind::kOffline, response.error);
    case Outcome::kCut:
    case Outcome::kAborted:
      throw SyncError(SyncErrorKind::kTimeout, response.error);
    case Outcome::kCaptive:
      throw SyncError(SyncErrorKind::kCaptive, response.error, {}, response.status);
    case Outcome::kTls:
      throw SyncError(SyncErrorKind::kConfig, response.error);
    case Outcome::kReplyTooLarge:
      throw SyncError(SyncErrorKind::kTooLarge, response.error);
    case Outcome::kBadEncoding:
      throw SyncError(SyncErrorKind::kBadMessage, response.error);
    case Outcome::kRefused:
      throw SyncError(SyncErrorKind::kConfig, response.error);
  }
  const int status = response.status;
  if (status >= ok_low && status <= ok_high) return response;
  std::string detail;
  std::string field;
  try {
    const ErrorBody body = ErrorBody::FromJson(response.body);
    detail = body.message;
    field = body.field;
  } catch (const SyncError&) {
    detail = response.body.empty() ? "no explanation" : "an unreadable error body";
  }
  const std::string message = Scrub("The server answered " + std::to_string(status) + " to " +
                                        request.method + " " + request.path + ": " + detail + ".",
                                    token_);
  if (status == 401 || status == 403) throw SyncError(SyncErrorKind::kAuth, message, field, status);
  if (status == 413) throw SyncError(SyncErrorKind::kTooLarge, message, field, status);
  throw SyncError(SyncErrorKind::kHttp, message, field, status);
}

template <class Reply, class... Context>
Reply ServerApi::Parse(const HttpResponse& response, const char* what, const Context&... context) {
  try {
    JsonDocument doc(response.body);
    return Reply::Read(doc.Root(), context...);
  } catch (const SyncError& error) {
    throw SyncError(error.kind(),
                    std::string("The server's reply to ") + what + " is malformed: " + error.what(),
                    error.field(), response.status);
  }
}

ReceiptKey ServerApi::GetReceiptKey() {
  HttpRequest request;
  request.path = "/.well-known/mano/receipt-key";
  request.auth = false;
  return Parse<ReceiptKey>(Exchange(request, Traffic::kEssential), "receipt-key");
}

MeReply ServerApi::GetMe() {
  HttpRequest request;
  request.path = "/v1/me";
  return Parse<MeReply>(Exchange(request, Traffic::kEssential), "me");
}

ClaimReply ServerApi::Claim(const ClaimRequest& claim) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/claim";
  request.body = Body(request, claim.ToJson());
  return Parse<ClaimReply>(Exchange(request, Traffic::kPrefetch), "claim");
}

AnchorReply ServerApi::Anchor(const AnchorRequest& anchor) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/anchor";
  request.body = anchor.ToJson();  // tiny: never compressed
  request.tiny = true;
  return Parse<AnchorReply>(Exchange(request, Traffic::kEssential), "anchor");
}

SubmitReply ServerApi::Submit(const std::string& results_json, std::size_t expected,
                              const ZstdDictionary* dictionary, SubmitStats* stats,
                              const std::vector<ReceiptDefaults>* batch) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/submit";
  const std::string json = "{\"results\":[" + results_json + "]}";
  PackBody(request, json, dictionary, stats);
  if (batch) request.headers.emplace_back("Mano-Receipts", "batch-v1");
  const HttpResponse response = Exchange(request, Traffic::kEssential);
  SubmitReply reply = Parse<SubmitReply>(response, "submit", batch);
  if (reply.receipts.size() != expected) {
    throw SyncError(SyncErrorKind::kBadMessage,
                    "The server sent " + std::to_string(reply.receipts.size()) +
                        " receipts for a batch of " + std::to_string(expected) + " results.",
                    "receipts", response.status);
  }
  return reply;
}

void ServerApi::PackBody(HttpRequest& request, const std::string& json,
                         const ZstdDictionary* dictionary, SubmitStats* stats) {
  request.body = Body(request, json);
  // Bytes on the wire: a zstd body also costs its "Content-Encoding: zstd" header line, which
  // decides for one-result batches (a 43-byte JSON body against a 30-byte frame plus 24).
  constexpr std::size_t kEncodingHeaderBytes = sizeof("Content-Encoding: zstd\r\n") - 1;
  SubmitStats sent;
  sent.without_dict_bytes = request.body.size() + (request.body_is_zstd ? kEncodingHeaderBytes : 0);
  sent.body_bytes = sent.without_dict_bytes;
  if (dictionary) {
    std::string packed = Compress(json, 3, dictionary);
    if (packed.size() + kEncodingHeaderBytes < sent.without_dict_bytes) {
      sent.body_bytes = packed.size() + kEncodingHeaderBytes;
      request.body = std::move(packed);
      request.body_is_zstd = true;
      sent.used_dictionary = true;
    }
  }
  if (stats) *stats = sent;
}

std::optional<SyncReply> ServerApi::Sync(const SyncRequest& sync, const std::string& results_json,
                                         const std::vector<ReceiptDefaults>& sent,
                                         const ZstdDictionary* dictionary, SubmitStats* stats) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/sync";
  PackBody(request, sync.ToJsonWith(results_json), dictionary, stats);
  HttpResponse response;
  try {
    response = Exchange(request, Traffic::kEssential);
  } catch (const SyncError& error) {
    if (error.kind() == SyncErrorKind::kHttp && error.http_status() == 404) return std::nullopt;
    throw;
  }
  try {
    JsonDocument doc(response.body);
    return SyncReply::Read(doc.Root(), sent, sync.anchors.size(), sync.claim.has_value(),
                           sync.events.has_value());
  } catch (const SyncError& error) {
    throw SyncError(error.kind(), std::string("The server's reply to sync is malformed: ") + error.what(),
                    error.field(), response.status);
  }
}

std::optional<DictionaryReply> ServerApi::GetDictionary(const std::string& kind,
                                                        std::uint32_t held_id, int64_t max_bytes) {
  HttpRequest request;
  request.path = "/v1/dict/" + kind;
  request.expect_json = false;
  request.max_reply_bytes = max_bytes;
  if (held_id != 0) {
    request.headers.emplace_back("If-None-Match", "W/\"" + std::to_string(held_id) + "\"");
  }
  HttpResponse response;
  try {
    response = Exchange(request, Traffic::kPrefetch, 200, 304);
  } catch (const SyncError& error) {
    if (error.kind() == SyncErrorKind::kHttp && error.http_status() == 404) return std::nullopt;
    throw;
  }
  DictionaryReply reply;
  if (response.status == 304) {
    reply.not_modified = true;
    reply.id = held_id;
    return reply;
  }
  const std::string id = response.Header("mano-dict-id");
  if (response.status != 200 || id.empty() || id.size() > 10 ||
      id.find_first_not_of("0123456789") != std::string::npos || std::stoull(id) > UINT32_MAX) {
    throw SyncError(SyncErrorKind::kBadMessage,
                    "The server's dictionary for kind " + kind + " came without a usable id.",
                    "Mano-Dict-Id", response.status);
  }
  reply.id = static_cast<std::uint32_t>(std::stoull(id));
  reply.bytes = std::move(response.body);
  return reply;
}

EventsReply ServerApi::Events(const std::string& after, int limit) {
  HttpRequest request;
  request.path = "/v1/events?limit=" + std::to_string(limit);
  if (!after.empty()) request.path += "&after=" + after;
  return Parse<EventsReply>(Exchange(request, Traffic::kEssential), "events");
}

ReturnReply ServerApi::Return(const std::string& assignment) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/return";
  request.body = ReturnRequest{assignment}.ToJson();
  return Parse<ReturnReply>(Exchange(request, Traffic::kEssential), "return");
}

bool ServerApi::GetAsset(const std::string& hash, int64_t offset,
                         const std::function<bool(std::string_view)>& sink) {
  HttpRequest request;
  request.path = "/v1/assets/" + hash;
  request.expect_json = false;
  request.body_sink = sink;
  if (offset > 0) request.headers.emplace_back("Range", "bytes=" + std::to_string(offset) + "-");
  const HttpResponse response = Exchange(request, Traffic::kPrefetch);
  return offset == 0 || response.status == 206;
}

std::string ServerApi::CreateUpload(int64_t length) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/uploads";
  request.headers = {{"Upload-Length", std::to_string(length)}, {"Tus-Resumable", "1.0.0"}};
  request.expect_json = false;
  const HttpResponse response = Exchange(request, Traffic::kEssential);
  std::string location = response.Header("location");
  // Accept an absolute URL too: keep only its path.
  if (const size_t scheme = location.find("://"); scheme != std::string::npos) {
    const size_t slash = location.find('/', scheme + 3);
    location = slash == std::string::npos ? "" : location.substr(slash);
  }
  if (location.rfind("/v1/uploads/", 0) != 0) {
    throw SyncError(SyncErrorKind::kBadMessage,
                    "The server created an upload without a usable Location header.", "Location",
                    response.status);
  }
  return location;
}

namespace {
int64_t OffsetHeader(const HttpResponse& response) {
  const std::string value = response.Header("upload-offset");
  try {
    size_t used = 0;
    const long long offset = std::stoll(value, &used);
    if (used == value.size() && offset >= 0) return offset;
  } catch (const std::exception&) {
  }
  throw SyncError(SyncErrorKind::kBadMessage, "The server's Upload-Offset header is not a number.",
                  "Upload-Offset", response.status);
}
}  // namespace

int64_t ServerApi::UploadOffset(const std::string& path) {
  HttpRequest request;
  request.method = "HEAD";
  request.path = path;
  request.headers = {{"Tus-Resumable", "1.0.0"}};
  request.expect_json = false;
  return OffsetHeader(Exchange(request, Traffic::kEssential));
}

int64_t ServerApi::PatchUpload(const std::string& path, int64_t offset, std::string_view chunk) {
  HttpRequest request;
  request.method = "PATCH";
  request.path = path;
  request.content_type = "application/offset+octet-stream";
  request.headers = {{"Tus-Resumable", "1.0.0"},
                     {"Upload-Offset", std::to_string(offset)},
                     {"Upload-Checksum", "sha256 " + Base64Encode(Sha256(chunk))}};
  request.body = std::string(chunk);
  request.expect_json = false;
  return OffsetHeader(Exchange(request, Traffic::kEssential));
}

}  // namespace mano::sync
