// ApiService: the tus 1.0 uploads that large results go through (core protocol, creation,
// checksum and termination extensions; docs/PROTOCOL.md section 11). Every reply on /v1/uploads
// carries Tus-Resumable (Handle adds it); OPTIONS needs no token.
#include <cstdlib>

#include "api_call.h"
#include "api_service.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/limits.h"
#include "tus_checksum.h"

namespace mano::manod {

namespace {

constexpr const char* kTusVersion = "1.0.0";
constexpr const char* kPatchType = "application/offset+octet-stream";

bool ParseSize(const std::string& text, int64_t* out) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  *out = std::strtoll(text.c_str(), nullptr, 10);
  return true;
}

HttpResponse TusReply(int status) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Tus-Resumable", kTusVersion);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// Media types compare case-insensitively; parameters (none are defined) are ignored.
bool IsPatchType(std::string value) {
  value = value.substr(0, value.find(';'));
  value.erase(value.find_last_not_of(" \t") + 1);
  for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return value == kPatchType;
}

}  // namespace

bool ApiService::IsUploadPath(const std::string& path) {
  return path == "/v1/uploads" || path.rfind("/v1/uploads/", 0) == 0;
}

void ApiService::MarkTus(HttpResponse& reply) {
  for (const auto& header : reply.headers) {
    if (header.first == "Tus-Resumable") return;
  }
  reply.headers.emplace_back("Tus-Resumable", kTusVersion);
}

std::optional<HttpResponse> ApiService::CheckTusHeaders(const HttpRequest& request,
                                                        bool check_token) {
  // tus 1.0: every tus request but OPTIONS MUST carry Tus-Resumable; without it, or with
  // another version, the server cannot know the client speaks this protocol. Other methods
  // (GET) are not tus requests: they get 405 from Uploads.
  const std::string& m = request.method;
  if (m == "OPTIONS") return std::nullopt;
  const bool tus_method = m == "POST" || m == "HEAD" || m == "PATCH" || m == "DELETE";
  const std::string version = request.Header("tus-resumable");
  if (tus_method && version != kTusVersion) {
    HttpResponse r = Error(412, "bad_request",
                           version.empty() ? "a tus request carries Tus-Resumable: 1.0.0"
                                           : "only tus 1.0.0 is supported",
                           "Tus-Resumable");
    r.headers.emplace_back("Tus-Version", kTusVersion);
    return r;
  }
  HttpResponse refusal;
  if (check_token && !WorkerOf(request, &refusal)) return refusal;
  if (request.method == "PATCH" && !IsPatchType(request.Header("content-type"))) {
    return Error(415, "bad_request", std::string("a PATCH carries Content-Type: ") + kPatchType,
                 "Content-Type");
  }
  return std::nullopt;
}

bool ApiService::KeepsPartial(const HttpRequest& request) const {
  // With Upload-Checksum the bytes can be checked only whole: a part is never kept.
  return request.method == "PATCH" && request.path.rfind("/v1/uploads/", 0) == 0 &&
         request.Header("upload-checksum").empty();
}

HttpResponse ApiService::Uploads(Call& call) {
  const std::string& m = call.request.method;
  const std::string& p = call.request.path;
  if (m == "OPTIONS") return TusOptions();
  HttpResponse r;
  if (auto refusal = CheckTusHeaders(call.request, false)) return *refusal;
  if (!Authenticate(call, &r)) return r;
  ExpireUploads(call.now);
  if (p == "/v1/uploads") {
    if (m == "POST") return CreateUpload(call);
    r = Error(405, "bad_request", "method " + m + " is not allowed on " + p);
    r.headers.emplace_back("Allow", "POST, OPTIONS");
    return r;
  }
  std::string id = p.substr(12);
  if (m == "HEAD") return UploadOffset(call, id);
  if (m == "PATCH") return PatchUpload(call, id);
  if (m == "DELETE") return DeleteUpload(call, id);
  r = Error(405, "bad_request", "use HEAD, PATCH or DELETE on an upload");
  r.headers.emplace_back("Allow", "HEAD, PATCH, DELETE, OPTIONS");
  return r;
}

HttpResponse ApiService::TusOptions() const {
  HttpResponse r = TusReply(204);
  r.headers.emplace_back("Tus-Version", kTusVersion);
  r.headers.emplace_back("Tus-Extension", "creation,checksum,termination");
  r.headers.emplace_back("Tus-Max-Size", std::to_string(sync::kMaxUploadBytes));
  r.headers.emplace_back("Tus-Checksum-Algorithm", kTusChecksumAlgorithms);
  return r;
}

HttpResponse ApiService::CreateUpload(Call& call) {
  int64_t length = 0;
  if (!ParseSize(call.request.Header("upload-length"), &length)) {
    return Error(400, "bad_field", "Upload-Length must be a byte count", "Upload-Length");
  }
  if (length > static_cast<int64_t>(sync::kMaxUploadBytes)) {
    return Error(413, "too_large", "the upload is larger than the limit", "Upload-Length");
  }
  std::string id = sync::HexEncode(sync::RandomBytes(12));
  switch (store_.CreateUpload(call.worker.id, id, length, call.now, limits_.upload_quota)) {
    case UploadOutcome::kCreated:
      break;
    case UploadOutcome::kTooMany:
    case UploadOutcome::kTooManyBytes: {
      HttpResponse r =
          Error(429, "upload_quota",
                "this worker has " + std::to_string(limits_.upload_quota.max_open) +
                    " uploads, or " + std::to_string(limits_.upload_quota.max_open_bytes >> 20) +
                    " MiB of them, that no result names yet; submit them (or wait until they "
                    "expire) before starting another",
                "Upload-Length");
      r.headers.emplace_back("Retry-After", "60");
      return r;
    }
  }
  HttpResponse r = TusReply(201);
  r.headers.emplace_back("Location", "/v1/uploads/" + id);
  r.headers.emplace_back("Upload-Offset", "0");
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = "{\"id\":\"" + id + "\"}";
  return r;
}

HttpResponse ApiService::UploadOffset(Call& call, const std::string& id) {
  auto upload = store_.GetUpload(call.worker.id, id);
  if (!upload) return Error(404, "not_found", "no such upload");
  HttpResponse r = TusReply(200);
  r.headers.emplace_back("Upload-Offset", std::to_string(upload->offset));
  r.headers.emplace_back("Upload-Length", std::to_string(upload->length));
  return r;
}

HttpResponse ApiService::DeleteUpload(Call& call, const std::string& id) {
  switch (store_.DeleteUpload(call.worker.id, id)) {
    case ChangeOutcome::kNotFound:
      return Error(404, "not_found", "no such upload");
    case ChangeOutcome::kConflict:
      // Its answer is a stored result's now: that stays (section 11).
      return Error(409, "conflict", "a stored result names this upload; it cannot be deleted");
    case ChangeOutcome::kDone:
      break;
  }
  return TusReply(204);
}

HttpResponse ApiService::PatchUpload(Call& call, const std::string& id) {
  int64_t offset = 0;
  if (!ParseSize(call.request.Header("upload-offset"), &offset)) {
    return Error(400, "bad_field", "Upload-Offset must be a byte offset", "Upload-Offset");
  }
  const std::string checksum = call.request.Header("upload-checksum");
  if (!checksum.empty()) {
    switch (CheckUploadChecksum(checksum, call.request.body)) {
      case ChecksumCheck::kMatch:
        break;
      case ChecksumCheck::kUnsupported:
        return Error(400, "bad_field",
                     std::string("Upload-Checksum must be \"<algorithm> <base64>\" with one of ") +
                         kTusChecksumAlgorithms,
                     "Upload-Checksum");
      case ChecksumCheck::kMismatch:
        // tus's checksum extension answers a mismatch with 460.
        return Error(460, "bad_field", "the bytes do not match Upload-Checksum", "Upload-Checksum");
    }
  }
  auto upload = store_.GetUpload(call.worker.id, id);
  if (!upload) return Error(404, "not_found", "no such upload");
  if (offset == upload->offset &&
      offset + static_cast<int64_t>(call.request.body.size()) > upload->length) {
    return Error(413, "too_large", "the bytes go past Upload-Length", "Upload-Offset");
  }
  int64_t current = 0;
  switch (store_.AppendUpload(call.worker.id, id, offset, call.request.body, &current)) {
    case ChangeOutcome::kNotFound:
      return Error(404, "not_found", "no such upload");
    case ChangeOutcome::kConflict: {
      HttpResponse r =
          Error(409, "conflict", "Upload-Offset is not the upload's offset", "Upload-Offset");
      r.headers.emplace_back("Upload-Offset", std::to_string(current));
      return r;
    }
    case ChangeOutcome::kDone:
      break;
  }
  // A PATCH longer than the per-PATCH limit was stopped there (HttpServer): the client asks
  // HEAD, or reads this Upload-Offset, and sends the rest.
  HttpResponse r = TusReply(204);
  r.headers.emplace_back("Upload-Offset", std::to_string(current));
  return r;
}

}  // namespace mano::manod
