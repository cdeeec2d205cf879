// ApiService: POST /v1/submit (the uploads that large results go through: api_uploads.cpp).
#include <algorithm>
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

}  // namespace

struct ApiService::PendingResult {
  std::string path;       // "results[i]", for error messages
  sync::Receipt r;        // unsigned until the batch is durable
  sync::Answer answer;    // as read from "v" or the upload (empty once `dropped`)
  std::string sent_hash;  // sha256 of the answer sent; "" when it could not be read
  bool replay = false;    // the upload already serves this key's result
  // An uploaded answer is checked against its assignment's form (fixed when the task was
  // imported) before the store call and then let go, so that it is not held beside its
  // canonical text and the copy a database driver makes of it: `invalidity` is the check's
  // refusal ("" when valid). `canonical` (the attempt's) can bring the answer back.
  bool dropped = false;
  std::string invalidity;
  const std::string* canonical = nullptr;
  const sync::Answer& Answer() {
    if (dropped) {
      answer = sync::Answer::FromJson(*canonical);
      dropped = false;
    }
    return answer;
  }
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
  BudgetShare parsing;
  ReserveParsing(call, request.results, parsing);
  std::vector<sync::ReceiptDefaults> sent;
  sync::SubmitReply reply = SubmitResults(call, request.results, batch, &sent);
  if (!batch) return Json(call, 200, reply.ToJson());
  // One signature over the whole reply; each receipt leaves out what the request says.
  reply.sig = signer_.SignBatch(reply.receipts);
  return Json(call, 200, reply.ToBatchJson(sent));
}

void ApiService::ReserveParsing(const Call& call, const std::vector<sync::SubmitResult>& results,
                                BudgetShare& share) {
  // What reading the named uploads will hold: each about its length for its answer, and as
  // much again for the canonical text (docs/BENCHMARKS.md, "Uploaded answers"); counted by
  // Upload-Length. An upload already serving a result is not read again. (Asked of the
  // store's readers, which never wait for a commit in progress.)
  size_t bytes = 0;
  for (const sync::SubmitResult& result : results) {
    if (result.upload_id.empty()) continue;
    if (auto upload = store_.OpenUpload(call.worker.id, result.upload_id)) {
      bytes += static_cast<size_t>(upload->length());
    }
  }
  if (bytes == 0) return;
  // A request that names more than the whole budget takes all of it: it runs alone.
  const size_t budget = limits_.max_parse_bytes;
  if (!share.Take(&parsing_, budget, std::min(bytes, budget))) {
    throw ServerBusy("the server is reading other uploaded answers; retry in a moment");
  }
}

sync::SubmitReply ApiService::SubmitResults(Call& call,
                                            const std::vector<sync::SubmitResult>& results,
                                            bool batch, std::vector<sync::ReceiptDefaults>* out) {
  const size_t n = results.size();
  std::vector<PendingResult> pending(n);
  std::vector<SubmitAttempt> attempts;
  std::vector<size_t> owner;  // attempts[j] is the attempt of pending[owner[j]]
  attempts.reserve(n);
  owner.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    pending[i].path = "results[" + std::to_string(i) + "]";
    SubmitAttempt attempt;
    if (PrepareResult(call, results[i], pending[i], &attempt)) {
      attempts.push_back(std::move(attempt));
      owner.push_back(i);
      pending[i].canonical = &attempts.back().answer_json;  // reserved: never moves
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
  std::vector<sync::ReceiptDefaults>& sent = *out;
  sent.assign(n, {});
  reply.receipts.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    sent[i].key = pending[i].r.key;
    sent[i].assignment_id = pending[i].r.assignment_id;
    sent[i].answer_hash = pending[i].sent_hash;
    // The sender's own hash, when given: a receipt whose h differs then carries it.
    if (!results[i].answer_hash.empty()) sent[i].answer_hash = results[i].answer_hash;
    if (!batch) signer_.SignInPlace(pending[i].r);
    reply.receipts.push_back(std::move(pending[i].r));
  }
  return reply;
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
    p.replay = upload->attached_key.has_value();
    if (p.replay) r.answer_hash = upload->attached_hash;
    if (!p.replay) {
      std::unique_ptr<UploadChunks> chunks = store_.OpenUpload(call.worker.id, result.upload_id);
      if (!chunks) return refuse(path + ".u: no complete upload with this id");
      try {
        // Parsed as the store reads it, chunk by chunk: the upload is never whole in memory
        // (docs/BENCHMARKS.md, "Uploaded answers").
        p.answer =
            sync::Answer::FromJsonPieces([&] { return chunks->Next(); }, sync::kMaxUploadBytes);
      } catch (const sync::SyncError& e) {
        return refuse(path + ".u: " + e.what());
      }
      if (!chunks->whole()) return refuse(path + ".u: no complete upload with this id");
    }
  }
  std::optional<std::string> invalidity;
  if (!result.upload_id.empty() && !p.replay) {
    if (auto a = store_.GetAssignment(call.worker.id, DecodeId(result.assignment_id))) {
      invalidity = Invalidity(p, a->task_json);
    }
  }
  if (!p.replay) {
    canonical = p.answer.ToJson();
    r.answer_hash = sync::Sha256Hex(canonical);
  }
  if (invalidity) {
    p.invalidity = std::move(*invalidity);
    p.answer = sync::Answer();
    p.dropped = true;
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

std::string ApiService::Invalidity(PendingResult& p, const std::string& task_json) const {
  auto problems = sync::Validate(sync::Assignment::FromJson(task_json).form, p.Answer());
  if (problems.empty()) return "";
  return p.path + ".v." + problems[0].field + ": " + problems[0].message;
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
    if (f.stored_hash != p.sent_hash && (p.replay || f.stored_hash != p.Answer().LegacyHash())) {
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
  const std::string invalid = p.dropped ? p.invalidity : Invalidity(p, f.assignment->task_json);
  if (!invalid.empty()) return decided(sync::ReceiptStatus::kInvalid, invalid);
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

}  // namespace mano::manod
