// ApiService: POST /v1/submit and the tus-style uploads that large results go through.
#include <cstdlib>
#include <vector>

#include "api_call.h"
#include "api_service.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/jcs.h"
#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/validate.h"

namespace mano::manod {

namespace {

// A lease handed back, revoked or withdrawn is gone for its worker: results for it are
// answered not_found, like an assignment that never existed.
bool IsEnded(const std::string& state) {
  return state == "returned" || state == "revoked" || state == "withdrawn";
}

bool ParseSize(const std::string& text, int64_t* out) {
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  *out = std::strtoll(text.c_str(), nullptr, 10);
  return true;
}

// True when the request asks for batch receipts: "Mano-Receipts" lists "batch-v1" (a
// comma-separated list, so later forms can be offered beside it).
bool WantsBatchReceipts(const std::string& header) {
  size_t start = 0;
  while (start <= header.size()) {
    size_t end = header.find(',', start);
    if (end == std::string::npos) end = header.size();
    std::string token = header.substr(start, end - start);
    token.erase(0, token.find_first_not_of(" \t"));
    token.erase(token.find_last_not_of(" \t") + 1);
    if (token == "batch-v1") return true;
    start = end + 1;
  }
  return false;
}

constexpr const char* kUploadTaken =
    ".u: this upload already serves another result; each result needs an upload of its own";

HttpResponse TusReply(int status) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Tus-Resumable", "1.0.0");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

struct ApiService::PendingResult {
  std::string path;       // "results[i]", for error messages
  sync::Receipt r;        // unsigned until the batch is durable
  sync::Answer answer;    // as read from "v" or the upload
  std::string sent_hash;  // sha256 of the answer sent; "" when it could not be read
  bool replay = false;    // the upload already serves this key's result
};

namespace {

void Finish(sync::Receipt& r, sync::ReceiptStatus status, const std::string& error) {
  r.status = status;
  r.code = sync::ReceiptStatusCode(status);
  r.error = error;
  r.sig.clear();
}

}  // namespace

HttpResponse ApiService::Submit(Call& call) {
  std::string body = DecodeBody(call);
  auto request = sync::SubmitRequest::FromJsonJudging(body);
  if (request.results.empty() || request.results.size() > limits_.max_batch) {
    return Error(400, "bad_field",
                 "results must hold 1 to " + std::to_string(limits_.max_batch) + " items",
                 "results");
  }
  const bool batch = WantsBatchReceipts(call.request.Header("mano-receipts"));
  const size_t n = request.results.size();
  std::vector<PendingResult> pending(n);
  std::vector<SubmitAttempt> attempts;
  std::vector<size_t> owner;  // attempts[j] is the attempt of pending[owner[j]]
  attempts.reserve(n);
  owner.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    pending[i].path = "results[" + std::to_string(i) + "]";
    SubmitAttempt attempt;
    if (PrepareResult(call, request.results[i], pending[i], &attempt)) {
      attempts.push_back(std::move(attempt));
      owner.push_back(i);
    }
  }
  // The whole request is one transaction (shared with concurrent requests: group commit).
  // Receipts are sent only once it is durable; a crash before leaves none of it stored.
  if (!attempts.empty()) {
    store_.SubmitBatch(attempts, [&](size_t j, const SubmitFacts& f) {
      return DecideResult(call, pending[owner[j]], f);
    });
  }
  sync::SubmitReply reply;
  reply.server_time = call.now;
  std::vector<sync::ReceiptDefaults> sent(n);
  reply.receipts.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    sent[i].key = pending[i].r.key;
    sent[i].assignment_id = pending[i].r.assignment_id;
    sent[i].answer_hash = pending[i].sent_hash;
    // The sender's own hash, when given: a receipt whose h differs then carries it.
    if (!request.results[i].answer_hash.empty())
      sent[i].answer_hash = request.results[i].answer_hash;
    if (!batch) signer_.SignInPlace(pending[i].r);
    reply.receipts.push_back(std::move(pending[i].r));
  }
  if (!batch) return Json(call, 200, reply.ToJson());
  // One signature over the whole reply; each receipt leaves out what the request says.
  reply.sig = signer_.SignBatch(reply.receipts);
  return Json(call, 200, reply.ToBatchJson(sent));
}

bool ApiService::PrepareResult(const Call& call, const sync::SubmitResult& result, PendingResult& p,
                               SubmitAttempt* attempt) {
  sync::Receipt& r = p.r;
  r.key = result.EffectiveKey();
  r.assignment_id = result.assignment_id;
  r.server_time = call.now;
  const std::string& path = p.path;
  auto refuse = [&](const std::string& error) {
    Finish(r, sync::ReceiptStatus::kInvalid, error);
    return false;
  };
  // A number JCS cannot keep exactly: this result alone is invalid; h stays "" (unread).
  if (!result.inexact.empty()) return refuse(result.inexact);
  p.answer = result.answer;
  std::string canonical;
  // An upload serves one result. Named again under the key of the result it serves (a
  // retry), its answer is that result's: nothing is read again.
  if (!result.upload_id.empty()) {
    if (!call.uploads_named.insert(result.upload_id).second) {
      return refuse(path + ".u: an earlier result of this request names the same upload");
    }
    auto upload = store_.GetUpload(call.worker.id, result.upload_id);
    if (!upload || upload->offset != upload->length) {
      return refuse(path + ".u: no complete upload with this id");
    }
    if (upload->attached_key && *upload->attached_key != r.key) {
      return refuse(path + kUploadTaken);
    }
    // An answer is read whole as JSON, at most kMaxDecompressedBytes: do not read bytes that
    // can only be refused.
    if (upload->length > static_cast<int64_t>(sync::kMaxDecompressedBytes)) {
      return refuse(path + ".u: the upload is larger than an answer may be (" +
                    std::to_string(sync::kMaxDecompressedBytes >> 20) + " MiB)");
    }
    p.replay = upload->attached_key.has_value();
    if (p.replay) r.answer_hash = upload->attached_hash;
    auto bytes = p.replay ? std::nullopt : store_.ReadUpload(call.worker.id, result.upload_id);
    if (!p.replay && !bytes) return refuse(path + ".u: no complete upload with this id");
    try {
      if (bytes) p.answer = sync::Answer::FromJson(*bytes);
    } catch (const sync::SyncError& e) {
      return refuse(path + ".u: " + e.what());
    }
  }
  if (!p.replay) {
    canonical = p.answer.ToJson();
    r.answer_hash = sync::Sha256Hex(canonical);
  }
  p.sent_hash = r.answer_hash;  // the content sent (a duplicate's original has the same hash)
  if (result.upload_id.empty() && canonical.size() > sync::kUploadThresholdBytes) {
    return refuse(path + ".v: answers over 256 KiB must be sent by upload (\"u\")");
  }
  *attempt = SubmitAttempt{call.worker.id,
                           r.key,
                           DecodeId(result.assignment_id),
                           std::move(canonical),
                           r.answer_hash,
                           result.upload_id,
                           call.now};
  return true;
}

SubmitDecision ApiService::DecideResult(const Call& call, PendingResult& p,
                                        const SubmitFacts& f) const {
  sync::Receipt& r = p.r;
  SubmitDecision d;
  auto decided = [&](sync::ReceiptStatus status, const std::string& error) {
    Finish(r, status, error);
    return d;
  };
  if (f.stored_receipt) {
    // A result stored before RFC 8785 holds the version-1 hash of the same answer.
    if (f.stored_hash != p.sent_hash &&
        (p.replay || f.stored_hash != p.answer.LegacyHash())) {
      return decided(sync::ReceiptStatus::kConflict, "this key was used for another answer");
    }
    // The original decision again: its time, marked duplicate (signed anew once the batch
    // is durable, because the signature covers the status); h under this version's
    // canonical JSON.
    const std::string h = r.answer_hash;
    r = sync::Receipt::FromJson(*f.stored_receipt);
    if (!p.replay) {
      r.answer_hash = h;
      r.canonical_version = sync::kCanonJcs;
    }
    return decided(sync::ReceiptStatus::kDuplicate, "");
  }
  // Attached meanwhile to another key's result (a concurrent submit), or a replay whose
  // result is missing (never: result and receipt are stored together).
  if (f.upload_attached_key || p.replay) {
    return decided(sync::ReceiptStatus::kInvalid, p.path + kUploadTaken);
  }
  if (!f.assignment || IsEnded(f.assignment->state)) {
    return decided(sync::ReceiptStatus::kNotFound, "no such assignment");
  }
  sync::Assignment task = sync::Assignment::FromJson(f.assignment->task_json);
  auto problems = sync::Validate(task.form, p.answer);
  if (!problems.empty()) {
    return decided(sync::ReceiptStatus::kInvalid,
                   p.path + ".v." + problems[0].field + ": " + problems[0].message);
  }
  if (f.assignment_has_result || f.assignment->state != "leased") {
    return decided(sync::ReceiptStatus::kConflict,
                   "the assignment already has a result under another key");
  }
  sync::ReceiptStatus status = sync::ReceiptStatus::kAccepted;
  if (call.now > f.assignment->deadline) {
    bool anchored = f.first_anchor_t && *f.first_anchor_t <= f.assignment->deadline;
    bool take = task.policy.late == sync::LatePolicy::kAccept ||
                (task.policy.late == sync::LatePolicy::kAcceptIfAnchored && anchored);
    status = take ? sync::ReceiptStatus::kLateAccepted : sync::ReceiptStatus::kLateRefused;
  }
  const bool stored = status != sync::ReceiptStatus::kLateRefused;
  Finish(r, status, stored ? "" : "the deadline has passed and the task refuses late results");
  if (stored) {
    d.receipt_json = r.ToJson();  // unsigned: a replay is signed anew
    d.record_receipt = true;
    d.store_result = true;
    d.status = sync::ReceiptStatusName(status);
  }
  return d;
}

HttpResponse ApiService::CreateUpload(Call& call) {
  std::string version = call.request.Header("tus-resumable");
  if (!version.empty() && version != "1.0.0") {
    HttpResponse r = Error(412, "bad_request", "only tus 1.0.0 is supported", "Tus-Resumable");
    r.headers.emplace_back("Tus-Version", "1.0.0");
    return r;
  }
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

HttpResponse ApiService::PatchUpload(Call& call, const std::string& id) {
  int64_t offset = 0;
  if (!ParseSize(call.request.Header("upload-offset"), &offset)) {
    return Error(400, "bad_field", "Upload-Offset must be a byte offset", "Upload-Offset");
  }
  std::string checksum = call.request.Header("upload-checksum");
  if (!checksum.empty()) {
    if (checksum.rfind("sha256 ", 0) != 0) {
      return Error(400, "bad_field", "Upload-Checksum must be \"sha256 <base64>\"",
                   "Upload-Checksum");
    }
    if (checksum.substr(7) != sync::Base64Encode(sync::Sha256(call.request.body))) {
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
      r.headers.emplace_back("Tus-Resumable", "1.0.0");
      return r;
    }
    case ChangeOutcome::kDone:
      break;
  }
  HttpResponse r = TusReply(204);
  r.headers.emplace_back("Upload-Offset", std::to_string(current));
  return r;
}

}  // namespace mano::manod
