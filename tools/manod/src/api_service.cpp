#include "api_service.h"

#include <zstd.h>

#include <cstdlib>

#include "api_call.h"
#include "http_fields.h"
#include "mano/sync/codec.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/json_util.h"
#include "mano/sync/limits.h"
#include "mano/sync/messages.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/sync_exchange.h"
#include "utf8_locator.h"

namespace mano::manod {

namespace {

// A body nested deeper than sync::kMaxJsonDepth: refused before any parse (400 too_deep).
class NestingTooDeep : public sync::SyncError {
 public:
  NestingTooDeep()
      : SyncError(sync::SyncErrorKind::kBadMessage,
                  "the body nests arrays and objects deeper than " +
                      std::to_string(sync::kMaxJsonDepth) + " levels") {}
};

}  // namespace

ApiService::Limits ApiService::Limits::Defaults() {
  return Limits{sync::kMaxBodyBytes,
                8u << 20,
                sync::kMaxDecompressedBytes,
                sync::kMaxSubmitBatch,
                sync::kRatePerSecond,
                sync::kRateBurst,
                UploadQuota{static_cast<int64_t>(sync::kMaxOpenUploads),
                            static_cast<int64_t>(sync::kMaxOpenUploadBytes)},
                sync::kUploadExpiryMs};
}

ApiService::ApiService(ServerStore& store, sync::ReceiptSigner signer, const ServerClock& clock,
                       Limits limits, DictRegistry* dictionaries)
    : store_(store),
      signer_(std::move(signer)),
      clock_(clock),
      limits_(limits),
      rate_(limits.rate_per_second, limits.rate_burst),
      dictionaries_(dictionaries) {}

size_t ApiService::BodyLimit(const std::string& method, const std::string& path) const {
  if (method == "PATCH" && path.rfind("/v1/uploads/", 0) == 0) return limits_.max_patch_body;
  return limits_.max_json_body;
}

HttpResponse ApiService::Error(int status, const std::string& code, const std::string& message,
                               const std::string& field) {
  // Messages quote the request (its path, a header): keep the reply valid JSON whatever came.
  sync::ErrorBody body{code, sync::ToValidUtf8(message), sync::ToValidUtf8(field)};
  HttpResponse r;
  r.status = status;
  r.body = body.ToJson();
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

HttpResponse ApiService::Json(const Call& call, int status, std::string body) const {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("Vary", "Accept-Encoding");
  r.body = std::move(body);
  EncodeReply(call, r, sync::kCompressThresholdBytes);
  return r;
}

void ApiService::EncodeReply(const Call& call, HttpResponse& r, size_t threshold) {
  // Small bodies and bodies zstd does not shrink go as they are, unless identity is refused
  // (`identity;q=0`, `*;q=0`), or preferred (a higher weight than zstd's).
  if (!call.accept_zstd) return;
  if (!call.identity_refused && r.body.size() <= threshold) return;
  std::string packed = sync::Compress(r.body);
  if (packed.size() < r.body.size() || call.identity_refused) {
    r.headers.emplace_back("Content-Encoding", "zstd");
    r.body = std::move(packed);
  }
}

std::string ApiService::DecodeBody(const Call& call) const {
  std::string body = DecodeBytes(call);
  if (sync::JsonNestedDeeperThan(body, sync::kMaxJsonDepth)) throw NestingTooDeep();
  return body;
}

std::string ApiService::DecodeBytes(const Call& call) const {
  std::string encoding = call.request.Header("content-encoding");
  if (encoding.empty() || IsCoding(encoding, "identity")) {
    if (call.request.body.size() > limits_.max_decompressed) {
      throw sync::SyncError(sync::SyncErrorKind::kTooLarge, "the body is larger than the limit");
    }
    return call.request.body;
  }
  if (!IsCoding(encoding, "zstd")) {
    throw sync::SyncError(sync::SyncErrorKind::kConfig, "unsupported Content-Encoding " + encoding,
                          "Content-Encoding", 415);
  }
  // A frame that names a dictionary (section 13) is decoded with that one, under the same
  // limits (output cap, window rule) as any other frame.
  const std::string& body = call.request.body;
  const unsigned id = ZSTD_getDictID_fromFrame(body.data(), body.size());
  if (id == 0) return sync::Decompress(body, limits_.max_decompressed);
  auto dictionary = dictionaries_ ? dictionaries_->ById(id) : nullptr;
  if (!dictionary) {
    throw sync::SyncError(sync::SyncErrorKind::kBadMessage,
                          "the body is compressed with zstd dictionary " + std::to_string(id) +
                              ", which this server does not know; send it without a dictionary "
                              "or fetch GET /v1/dict/<kind> again",
                          "dictionary");
  }
  return sync::Decompress(body, limits_.max_decompressed, dictionary.get());
}

std::optional<WorkerRecord> ApiService::WorkerOf(const HttpRequest& request,
                                                 HttpResponse* refusal) {
  const std::string auth = request.Header("authorization");
  const std::optional<std::string_view> token = BearerToken(auth);
  if (!token || token->size() > 128) {
    *refusal = Error(401, "unauthorized", "a bearer token is required");
    refusal->headers.emplace_back("WWW-Authenticate", "Bearer");
    return std::nullopt;
  }
  auto worker = store_.WorkerByTokenHash(sync::Sha256Hex(std::string(*token)));
  if (!worker || worker->revoked) {
    *refusal = Error(401, "unauthorized", "the token is unknown or revoked");
    refusal->headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return std::nullopt;
  }
  return worker;
}

std::optional<HttpResponse> ApiService::CheckHeaders(const HttpRequest& request) {
  HttpResponse refusal;
  if (!offer_sync_ && request.path == "/v1/sync") {
    return Error(404, "not_found", "no such endpoint: " + request.path);
  }
  switch (RouteKindOf(request.path)) {
    case RouteKind::kUnknown:
      return WithTime(Error(404, "not_found", "no such endpoint: " + request.path),
                      clock_.NowMs());
    case RouteKind::kPublic:
      return std::nullopt;
    case RouteKind::kToken:
      if (IsUploadPath(request.path)) {
        auto tus = CheckTusHeaders(request, true);
        if (tus) {
          *tus = WithTime(std::move(*tus), clock_.NowMs());
          MarkTus(*tus);
        }
        return tus;
      }
      if (!WorkerOf(request, &refusal)) return WithTime(refusal, clock_.NowMs());
      return std::nullopt;
  }
  return std::nullopt;
}

ApiService::RouteKind ApiService::RouteKindOf(const std::string& p) {
  if (p == "/v1/health" || p == "/.well-known/mano/receipt-key") return RouteKind::kPublic;
  bool known = p == "/v1/me" || p == "/v1/claim" || p == "/v1/anchor" || p == "/v1/submit" ||
               p == "/v1/return" || p == "/v1/events" || p == "/v1/uploads" || p == "/v1/sync" ||
               p.rfind("/v1/assets/", 0) == 0 || p.rfind("/v1/uploads/", 0) == 0 ||
               p.rfind("/v1/dict/", 0) == 0;
  return known ? RouteKind::kToken : RouteKind::kUnknown;
}

bool ApiService::Authenticate(Call& call, HttpResponse* refusal) {
  auto worker = WorkerOf(call.request, refusal);
  if (!worker) return false;
  int64_t wait = rate_.Take(worker->id, ServerClock::MonotonicMs());
  if (wait > 0) {
    *refusal = Error(429, "rate_limited", "too many requests; retry after the delay given");
    refusal->headers.emplace_back("Retry-After", std::to_string(wait));
    return false;
  }
  call.worker = *worker;
  return true;
}

HttpResponse ApiService::Handle(const HttpRequest& request) {
  HttpResponse reply = Dispatch(request);
  if (IsUploadPath(request.path)) MarkTus(reply);
  return reply;
}

HttpResponse ApiService::Dispatch(const HttpRequest& request) {
  Call call{request, {}, 0, false, {}, false};
  call.now = clock_.NowMs();
  // Replies are compressed only for a client that lists zstd (section 3), at a weight not
  // below identity's.
  if (request.headers.count("accept-encoding")) {
    const std::string accept = request.Header("accept-encoding");
    const double zstd = CodingWeight(accept, "zstd");
    const double identity = CodingWeight(accept, "identity");
    call.accept_zstd = zstd > 0 && zstd >= identity;
    call.identity_refused = identity == 0;
  }
  return WithTime(HandleCall(call), call.now);
}

HttpResponse ApiService::WithTime(HttpResponse reply, int64_t now) {
  // Section 6: every JSON object reply carries t, error bodies too.
  if (reply.status < 400 || reply.body.rfind("{\"error\":", 0) != 0) return reply;
  try {
    sync::ErrorBody body = sync::ErrorBody::FromJson(reply.body);
    body.server_time = now;
    reply.body = body.ToJson();
  } catch (const sync::SyncError&) {
  }
  return reply;
}

HttpResponse ApiService::HandleCall(Call& call) {
  try {
    return Route(call);
  } catch (const NestingTooDeep& e) {
    return Error(400, "too_deep", e.what());
  } catch (const ServerBusy& e) {
    HttpResponse busy = Error(503, "unavailable", e.what());
    busy.headers.emplace_back("Retry-After", "1");
    return busy;
  } catch (const sync::SyncError& e) {
    switch (e.kind()) {
      case sync::SyncErrorKind::kTooLarge:
        return Error(413, "too_large", e.what(), e.field());
      case sync::SyncErrorKind::kBadMessage: {
        if (e.field().empty()) {
          // The shared parser refuses bad UTF-8 knowing only a byte offset; name the field.
          std::optional<std::string> where;
          try {
            where = LocateInvalidUtf8(DecodeBody(call));
          } catch (const std::exception&) {
          }
          if (where) return Error(400, "bad_field", "invalid UTF-8 in " + *where, *where);
        }
        if (e.field() == "dictionary") {
          return Error(400, "unknown_dictionary", e.what(), e.field());
        }
        return Error(400, e.field().empty() ? "bad_request" : "bad_field", e.what(), e.field());
      }
      case sync::SyncErrorKind::kConfig:
        if (e.http_status() == 415) return Error(415, "unsupported_encoding", e.what());
        return Error(500, "internal", e.what());
      default:
        return Error(500, "internal", e.what());
    }
  }
}

HttpResponse ApiService::Route(Call& call) {
  const std::string& m = call.request.method;
  const std::string& p = call.request.path;
  auto method_is = [&](const char* want, HttpResponse* wrong) {
    if (m == want || (std::string(want) == "GET" && m == "HEAD")) return true;
    *wrong = Error(405, "bad_request", "method " + m + " is not allowed on " + p);
    wrong->headers.emplace_back("Allow", std::string(want) == "GET" ? "GET, HEAD" : want);
    return false;
  };
  HttpResponse r;
  if (p == "/v1/health") return method_is("GET", &r) ? Health(call) : r;
  if (p == "/.well-known/mano/receipt-key") return method_is("GET", &r) ? ReceiptKey(call) : r;
  if (RouteKindOf(p) == RouteKind::kUnknown || (!offer_sync_ && p == "/v1/sync")) {
    return Error(404, "not_found", "no such endpoint: " + p);
  }
  if (IsUploadPath(p)) return Uploads(call);
  if (!Authenticate(call, &r)) return r;
  ExpireUploads(call.now);
  if (p == "/v1/me") return method_is("GET", &r) ? Me(call) : r;
  if (p == "/v1/claim") return method_is("POST", &r) ? Claim(call) : r;
  if (p == "/v1/anchor") return method_is("POST", &r) ? Anchor(call) : r;
  if (p == "/v1/submit") return method_is("POST", &r) ? Submit(call) : r;
  if (p == "/v1/sync") return method_is("POST", &r) ? Sync(call) : r;
  if (p == "/v1/return") return method_is("POST", &r) ? Return(call) : r;
  if (p == "/v1/events") return method_is("GET", &r) ? Events(call) : r;
  if (p.rfind("/v1/assets/", 0) == 0) {
    return method_is("GET", &r) ? Asset(call, p.substr(11)) : r;
  }
  if (p.rfind("/v1/dict/", 0) == 0) {
    return method_is("GET", &r) ? Dictionary(call, p.substr(9)) : r;
  }
  return Error(404, "not_found", "no such endpoint: " + p);
}

void ApiService::ExpireUploads(int64_t now) {
  int64_t due = next_expiry_ms_.load();
  if (now < due || !next_expiry_ms_.compare_exchange_strong(due, now + 60000)) return;
  store_.ExpireUploads(now - limits_.upload_expiry_ms);
}

HttpResponse ApiService::Health(Call& call) {
  sync::HealthReply reply;
  reply.server_time = call.now;
  if (offer_sync_) reply.features = {sync::kSyncFeature};
  return Json(call, 200, reply.ToJson());
}

HttpResponse ApiService::ReceiptKey(Call& call) {
  return Json(call, 200, signer_.ToReceiptKey().ToJson());
}

HttpResponse ApiService::Me(Call& call) {
  sync::MeReply reply;
  reply.worker = call.worker.name;
  reply.server_time = call.now;
  WorkerMoney money = store_.Money(call.worker.id);
  reply.currency = money.currency;
  for (const auto& total : money.totals) {
    reply.totals.push_back({total.currency, total.paid, total.bonus});
  }
  return Json(call, 200, reply.ToJson());
}

HttpResponse ApiService::Claim(Call& call) {
  auto request = sync::ClaimRequest::FromJson(DecodeBody(call));
  if (request.count < 1 || request.count > sync::kMaxClaimCount) {
    return Error(400, "bad_field",
                 "count must be between 1 and " + std::to_string(sync::kMaxClaimCount), "count");
  }
  if (request.kinds.size() > 64) return Error(400, "bad_field", "too many kinds", "kinds");
  return Json(call, 200, ClaimFor(call, request).ToJson());
}

sync::ClaimReply ApiService::ClaimFor(Call& call, const sync::ClaimRequest& request) {
  auto leased = store_.Claim(call.worker.id, request.key, static_cast<int>(request.count),
                             request.kinds, call.now);
  sync::ClaimReply reply;
  reply.server_time = call.now;
  for (const auto& rec : leased) reply.assignments.push_back(ToAssignment(rec));
  return reply;
}

sync::Assignment ToAssignment(const AssignmentRecord& rec) {
  sync::Assignment a = sync::Assignment::FromJson(rec.task_json);
  a.id = EncodeId(rec.id);
  a.deadline = rec.deadline;
  return a;
}

HttpResponse ApiService::Asset(Call& call, const std::string& hash) {
  bool hex = hash.size() == 64 && hash.find_first_not_of("0123456789abcdef") == std::string::npos;
  // Unknown assets and other workers' assets look the same: 404.
  if (!hex || !store_.WorkerMaySeeAsset(call.worker.id, hash)) {
    return Error(404, "not_found", "no such asset");
  }
  int64_t total = 0;
  std::string type;
  auto probe = store_.ReadAsset(hash, 0, 0, &total, &type);
  if (!probe) return Error(404, "not_found", "no such asset");
  // Immutable bytes named by their hash: the hash is a strong ETag. RFC 9110 section 13.2.2
  // order: If-None-Match (304) before Range, and If-Range decides whether Range applies.
  const std::string etag = "\"" + hash + "\"";
  HttpResponse r;
  r.headers.emplace_back("Accept-Ranges", "bytes");
  r.headers.emplace_back("ETag", etag);
  if (IfNoneMatchMatches(call.request.Header("if-none-match"), etag)) {
    r.status = 304;
    return r;
  }
  RangeAnswer range;
  if (IfRangeHolds(call.request.Header("if-range"), etag)) {
    range = ParseRange(call.request.Header("range"), total);
  }
  if (range.kind == RangeAnswer::Kind::kUnsatisfiable) {
    HttpResponse refused = Error(416, "bad_request", "the range lies past the end of the asset");
    refused.headers.emplace_back("Content-Range", "bytes */" + std::to_string(total));
    return refused;
  }
  const bool part = range.kind == RangeAnswer::Kind::kPart;
  const int64_t start = part ? range.first : 0;
  const int64_t end = part ? range.last : total - 1;
  auto bytes = store_.ReadAsset(hash, start, end - start + 1, &total, &type);
  if (!bytes) return Error(404, "not_found", "no such asset");
  r.status = part ? 206 : 200;
  r.body = std::move(*bytes);
  r.headers.emplace_back("Content-Type", type.empty() ? "application/octet-stream" : type);
  if (part) {
    r.headers.emplace_back("Content-Range", "bytes " + std::to_string(start) + "-" +
                                                std::to_string(end) + "/" + std::to_string(total));
  }
  return r;
}

HttpResponse ApiService::Anchor(Call& call) {
  auto request = sync::AnchorRequest::FromJson(DecodeBody(call));
  AssignmentRecord after;
  switch (store_.Anchor(call.worker.id, DecodeId(request.assignment_id), request.checkpoint_hash,
                        call.now, &after)) {
    case ChangeOutcome::kNotFound:
      return Error(404, "not_found", "no such assignment", "a");
    case ChangeOutcome::kConflict:
      return Error(409, "conflict", "the assignment is no longer leased", "a");
    case ChangeOutcome::kDone:
      break;
  }
  sync::AnchorReply reply;
  reply.server_time = call.now;
  reply.deadline = after.deadline;
  return Json(call, 200, reply.ToJson());
}

HttpResponse ApiService::Return(Call& call) {
  auto request = sync::ReturnRequest::FromJson(DecodeBody(call));
  switch (store_.Return(call.worker.id, DecodeId(request.assignment_id), call.now)) {
    case ChangeOutcome::kNotFound:
      return Error(404, "not_found", "no such assignment", "a");
    case ChangeOutcome::kConflict:
      return Error(409, "conflict", "the assignment was submitted, ended or is past its deadline",
                   "a");
    case ChangeOutcome::kDone:
      break;
  }
  sync::ReturnReply reply;
  reply.server_time = call.now;
  return Json(call, 200, reply.ToJson());
}

HttpResponse ApiService::Events(Call& call) {
  int64_t after = 0;
  int64_t limit = 100;
  auto number = [](const std::string& text, int64_t* out) {
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    *out = std::strtoll(text.c_str(), nullptr, 10);
    return true;
  };
  auto it = call.request.query.find("after");
  if (it != call.request.query.end() && !it->second.empty() && !number(it->second, &after)) {
    return Error(400, "bad_field", "after must be a cursor from an earlier reply", "after");
  }
  it = call.request.query.find("limit");
  if (it != call.request.query.end() &&
      (!number(it->second, &limit) || limit < 1 || limit > sync::kMaxEventsLimit)) {
    return Error(400, "bad_field",
                 "limit must be between 1 and " + std::to_string(sync::kMaxEventsLimit), "limit");
  }
  return Json(call, 200, EventsAfter(call, after, limit).ToJson());
}

sync::EventsReply ApiService::EventsAfter(Call& call, int64_t after, int64_t limit) {
  auto rows = store_.Events(call.worker.id, after, static_cast<int>(limit + 1));
  sync::EventsReply reply;
  reply.server_time = call.now;
  reply.more = rows.size() > static_cast<size_t>(limit);
  if (reply.more) rows.pop_back();
  int64_t cursor = after;
  for (const auto& row : rows) {
    sync::Event e;
    e.seq = row.seq;
    e.type = sync::ParseEventType(row.type).value_or(sync::EventType::kApproved);
    e.assignment_id = EncodeId(row.assignment_id);
    e.reason = row.reason;
    e.amount = row.amount;
    if (row.amount != 0) e.currency = row.currency;
    e.server_time = row.t;
    reply.events.push_back(std::move(e));
    cursor = row.seq;
  }
  reply.cursor = std::to_string(cursor);
  return reply;
}

HttpResponse ApiService::Dictionary(Call& call, const std::string& kind) {
  auto published =
      dictionaries_ && sync::IsValidId(kind) ? dictionaries_->Published(kind) : std::nullopt;
  if (!published) return Error(404, "not_found", "no dictionary for this kind");
  // Immutable bytes named by their id: the id is the ETag (weak, as the bytes may go out
  // zstd-encoded), and a client that still holds the published one gets a bodiless 304.
  const std::string etag = "W/\"" + std::to_string(published->first.id) + "\"";
  HttpResponse r;
  r.headers.emplace_back("Mano-Dict-Id", std::to_string(published->first.id));
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", "private, max-age=86400");
  r.headers.emplace_back("Vary", "Accept-Encoding");
  if (IfNoneMatchMatches(call.request.Header("if-none-match"), etag)) {
    r.status = 304;
    return r;
  }
  r.headers.emplace_back("Content-Type", "application/octet-stream");
  r.body = std::move(published->second);
  EncodeReply(call, r, 0);
  return r;
}

}  // namespace mano::manod
