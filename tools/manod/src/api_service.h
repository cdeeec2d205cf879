// ApiService: protocol v1 on top of a ServerStore — routing, auth, limits, compression and
// every endpoint of docs/PROTOCOL.md. It turns one HttpRequest into one HttpResponse and knows
// nothing of sockets (HttpServer calls it) or of SQL (the store does that).
//
// Requests are decoded with the shared protocol code in mano::sync (messages, validation,
// zstd codec with its bomb limits, receipt signing), never with a copy of it.
// Auth is checked against the store on every request, so a revoked token fails at once.
// Thread safety: Handle() may be called from several threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "budget_share.h"
#include "dict_registry.h"
#include "http_server.h"
#include "mano/sync/receipt_signer.h"
#include "rate_limiter.h"
#include "server_clock.h"
#include "server_store.h"

namespace mano::manod {

class ApiService {
 public:
  struct Limits {
    size_t max_json_body;     // compressed or not, as it comes on the wire
    size_t max_patch_body;    // one PATCH of an upload
    size_t max_decompressed;  // after Content-Encoding: zstd
    size_t max_batch;         // results per submit
    double rate_per_second;   // per worker
    double rate_burst;
    UploadQuota upload_quota;  // per worker, over uploads no result names yet
    int64_t upload_expiry_ms;  // such an upload is deleted this long after its creation
    // Uploaded answers being read at once, all requests together (their uploads' lengths):
    // beyond it a submit or sync naming uploads is 503 with Retry-After; one that names more
    // than the whole runs when nothing else is being read.
    size_t max_parse_bytes = 2 * sync::kMaxUploadBytes;
    static Limits Defaults();
  };

  // `store`, `clock` and `dictionaries` must outlive the service. Without dictionaries,
  // GET /v1/dict/<kind> answers 404 and frames naming a dictionary are refused (400).
  ApiService(ServerStore& store, sync::ReceiptSigner signer, const ServerClock& clock,
             Limits limits, DictRegistry* dictionaries = nullptr);

  HttpResponse Handle(const HttpRequest& request);
  // Tests only: POST /v1/sync becomes an unknown endpoint (404) and /v1/health lists no
  // features, as on a server from before it. Call before serving.
  void TEST_WithoutSync() { offer_sync_ = false; }
  // `reply` with `t` set to `now` in its body when it is an error body (section 6).
  static HttpResponse WithTime(HttpResponse reply, int64_t now);
  // What can be decided before the body is read (HttpServer::HeaderCheck): 404 for an unknown
  // route, 401 for a route that needs a token when the token is missing, unknown or revoked.
  // The request rate is charged later, by Handle().
  std::optional<HttpResponse> CheckHeaders(const HttpRequest& request);
  // True for a request whose cut or overlong body keeps its first bytes (HttpServer::
  // KeepsPartial): a tus PATCH without Upload-Checksum.
  bool KeepsPartial(const HttpRequest& request) const;
  // Largest body accepted for a route (for HttpServer).
  size_t BodyLimit(const std::string& method, const std::string& path) const;
  // A JSON error reply: {"error":{"code":...,"message":...,"field":...}}.
  static HttpResponse Error(int status, const std::string& code, const std::string& message,
                            const std::string& field = {});

 private:
  struct Call;  // one request being served (defined in the .cpp files)
  // Thrown when the server has no room for a request now: 503 with Retry-After.
  struct ServerBusy : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  enum class RouteKind { kUnknown, kPublic, kToken };
  static RouteKind RouteKindOf(const std::string& path);
  // The worker the Authorization header names, or nullopt and a 401 in *refusal.
  std::optional<WorkerRecord> WorkerOf(const HttpRequest& request, HttpResponse* refusal);

  HttpResponse HandleCall(Call& call);
  HttpResponse Route(Call& call);
  HttpResponse Dispatch(const HttpRequest& request);
  // Compresses `r`'s body with zstd when the request accepts it (Call::accept_zstd) and it is
  // over `threshold` bytes and shrinks, or at any size when identity is refused.
  static void EncodeReply(const Call& call, HttpResponse& r, size_t threshold);
  // Deletes expired uploads, at most once a minute of server time (on any worker's request).
  void ExpireUploads(int64_t now);
  HttpResponse Json(const Call& call, int status, std::string body) const;
  bool Authenticate(Call& call, HttpResponse* refusal);
  // The body after Content-Encoding, refused (400 too_deep) when nested deeper than
  // sync::kMaxJsonDepth; throws sync::SyncError.
  std::string DecodeBody(const Call& call) const;
  std::string DecodeBytes(const Call& call) const;  // Content-Encoding only

  HttpResponse Health(Call& call);
  HttpResponse ReceiptKey(Call& call);
  HttpResponse Me(Call& call);
  HttpResponse Claim(Call& call);
  HttpResponse Asset(Call& call, const std::string& hash);
  HttpResponse Anchor(Call& call);
  HttpResponse Return(Call& call);
  HttpResponse Events(Call& call);
  HttpResponse Dictionary(Call& call, const std::string& kind);
  // The parts each endpoint and POST /v1/sync share (one decision code per part).
  sync::ClaimReply ClaimFor(Call& call, const sync::ClaimRequest& request);
  sync::EventsReply EventsAfter(Call& call, int64_t after, int64_t limit);
  // api_sync.cpp: POST /v1/sync (docs/PROTOCOL.md section 16).
  HttpResponse Sync(Call& call);
  // api_submit.cpp
  HttpResponse Submit(Call& call);
  // Decides and stores `results` (one transaction) and returns their receipts, unsigned when
  // `batch` (the caller signs the batch), each signed otherwise; `sent` gets what batch
  // receipts leave out.
  // Takes from the budget of answers being read (Limits::max_parse_bytes) what the uploads
  // the results name will cost, for as long as `share` lives; throws ServerBusy when there is
  // no room now.
  void ReserveParsing(const Call& call, const std::vector<sync::SubmitResult>& results,
                      BudgetShare& share);
  sync::SubmitReply SubmitResults(Call& call, const std::vector<sync::SubmitResult>& results,
                                  bool batch, std::vector<sync::ReceiptDefaults>* sent);
  // One result of a submit on its way: its receipt, unsigned until the batch is durable.
  struct PendingResult;
  // What is decided before the transaction (the upload, the size): false when `p` has its
  // receipt already; true when `attempt` is filled for the store.
  bool PrepareResult(const Call& call, const sync::SubmitResult& result, PendingResult& p,
                     SubmitAttempt* attempt);
  // Inside the transaction: the receipt for what the store found.
  SubmitDecision DecideResult(const Call& call, PendingResult& p, const SubmitFacts& f) const;
  // The invalid receipt's reason when p's answer does not fit the task's form, else "".
  std::string Invalidity(PendingResult& p, const std::string& task_json) const;
  // api_uploads.cpp
  static bool IsUploadPath(const std::string& path);
  static void MarkTus(HttpResponse& reply);  // adds Tus-Resumable when missing
  // Tus-Resumable (412), then the token if asked (401), then a PATCH's Content-Type (415).
  std::optional<HttpResponse> CheckTusHeaders(const HttpRequest& request, bool check_token);
  HttpResponse Uploads(Call& call);
  HttpResponse TusOptions() const;
  HttpResponse CreateUpload(Call& call);
  HttpResponse UploadOffset(Call& call, const std::string& id);
  HttpResponse PatchUpload(Call& call, const std::string& id);
  HttpResponse DeleteUpload(Call& call, const std::string& id);  // tus termination

  ServerStore& store_;
  sync::ReceiptSigner signer_;
  const ServerClock& clock_;
  Limits limits_;
  RateLimiter rate_;
  DictRegistry* dictionaries_;
  std::atomic<int64_t> next_expiry_ms_{0};
  std::atomic<size_t> parsing_{0};  // bytes taken from limits_.max_parse_bytes
  bool offer_sync_ = true;
};

}  // namespace mano::manod
