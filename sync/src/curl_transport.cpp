#include "mano/sync/curl_transport.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <openssl/ssl.h>
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <mutex>

#include "mano/sync/codec.h"
#include "mano/sync/curl_share.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/text_trim.h"

namespace mano::sync {
namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// Decodes a zstd body with the protocol codec, which stops as soon as the output would
// pass `limit` bytes and refuses windows over 8 MB (RFC 9659).
Outcome DecodeZstd(std::string_view in, int64_t limit, std::string* out) {
  try {
    *out = Decompress(in, static_cast<std::size_t>(limit));
    return Outcome::kOk;
  } catch (const SyncError& error) {
    return error.kind() == SyncErrorKind::kTooLarge ? Outcome::kReplyTooLarge
                                                    : Outcome::kBadEncoding;
  }
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits "scheme://host:port/..." into scheme and host (brackets removed from IPv6).
bool SplitUrl(std::string_view url, std::string* scheme, std::string* host) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return false;
  *scheme = Lower(url.substr(0, colon));
  std::string_view rest = url.substr(colon + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) return false;  // no userinfo
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return false;
    *host = std::string(rest.substr(1, close - 1));
  } else {
    *host = std::string(rest.substr(0, rest.find(':')));
  }
  return !host->empty();
}

struct Exchange {
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  const TransportOptions* options = nullptr;
  std::string raw;  // reply body as received
  bool too_large = false;
  bool aborted = false;
  int64_t up = 0;    // bytes handed to the socket (HTTP level, before TLS)
  int64_t down = 0;  // bytes read from it
  int64_t measured_rate = 0;
  std::chrono::steady_clock::time_point started;
  int64_t deadline_ms = 0;  // set when the deadline passed: the one that applied
  TransferCancel* cancel = nullptr;  // quit asked for (TransportOptions::cancel), or null
  CURL* easy = nullptr;
  bool tls_seen = false;     // the TLS session was looked at (once, at the reply's start)
  bool tls = false;          // the exchange ran over TLS
  bool tls_resumed = false;  // ...on a connection whose handshake resumed a session
};

// Whether the connection runs TLS and resumed a session. Only while the transfer runs:
// libcurl lets go of the connection (and its SSL*) when it ends.
void LookAtTls(Exchange* ex) {
  if (ex->tls_seen || !ex->easy) return;
  ex->tls_seen = true;
  curl_tlssessioninfo* info = nullptr;
  if (curl_easy_getinfo(ex->easy, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || !info) return;
  if (info->backend != CURLSSLBACKEND_OPENSSL || !info->internals) return;
  ex->tls = true;
  ex->tls_resumed = SSL_session_reused(static_cast<SSL*>(info->internals)) == 1;
}

// libcurl calls this at least once a second: the deadline follows what is known of the
// exchange's size (the reply's Content-Length arrives with its headers).
int OnTransferInfo(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                   curl_off_t ulnow) {
  auto* ex = static_cast<Exchange*>(user);
  if (ex->cancel && ex->cancel->cancelled()) return 1;
  const int64_t bytes = std::max<int64_t>(ultotal, ulnow) + std::max<int64_t>(dltotal, dlnow);
  const int64_t deadline = RequestDeadlineMs(bytes, ex->measured_rate, *ex->options);
  const int64_t elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - ex->started)
                              .count();
  if (elapsed <= deadline) return 0;
  ex->deadline_ms = deadline;
  return 1;
}

// Counts every byte of the exchange, headers included. CURLINFO_REQUEST_SIZE and
// SIZE_UPLOAD_T overlap when a small body is sent with the headers, so count here instead.
int OnDebug(CURL*, curl_infotype type, char*, size_t size, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  if (type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT)
    ex->up += static_cast<int64_t>(size);
  if (type == CURLINFO_HEADER_IN || type == CURLINFO_DATA_IN)
    ex->down += static_cast<int64_t>(size);
  return 0;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string_view line(data, size * n);
  LookAtTls(ex);
  if (line.rfind("HTTP/", 0) == 0) {
    ex->response->headers.clear();  // a new response (e.g. after 100 Continue)
  } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    ex->response->headers.emplace_back(Lower(Trim(line.substr(0, colon))),
                                       Trim(line.substr(colon + 1)));
  }
  return size * n;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const std::string_view chunk(data, size * n);
  if (ex->request->body_sink) {
    if (!ex->request->body_sink(chunk)) {
      ex->aborted = true;
      return 0;
    }
    return chunk.size();
  }
  if (static_cast<int64_t>(ex->raw.size() + chunk.size()) > ex->request->max_reply_bytes) {
    ex->too_large = true;
    return 0;
  }
  ex->raw.append(chunk);
  return chunk.size();
}

curl_socket_t OnOpenSocket(void* user, curlsocktype, curl_sockaddr* address) {
  int fd = static_cast<TransferCancel*>(user)->Open(address->family, address->socktype,
                                                    address->protocol);
  return fd < 0 ? CURL_SOCKET_BAD : fd;
}

int OnCloseSocket(void* user, curl_socket_t fd) {
  return static_cast<TransferCancel*>(user)->Close(fd);
}

Outcome OutcomeOf(CURLcode code) {
  switch (code) {
    case CURLE_OK:
      return Outcome::kOk;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return Outcome::kUnreachable;
    case CURLE_OPERATION_TIMEDOUT:
      return Outcome::kCut;  // refined by the caller
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      return Outcome::kTls;
    default:
      return Outcome::kCut;
  }
}

}  // namespace

// The easy handle, attached to the process's CurlShare when there is one: the share keeps
// the connections and TLS sessions when this handle goes, for the next transport.
struct CurlTransport::Handle {
  CURL* easy = nullptr;
  std::shared_ptr<CurlShare> share;
  explicit Handle(std::shared_ptr<CurlShare> s) : share(std::move(s)) {
    CurlShare::GlobalInit();
    easy = curl_easy_init();
    // curl_easy_reset (before each request) keeps the share: it is set once.
    if (easy && share && share->handle()) curl_easy_setopt(easy, CURLOPT_SHARE, share->handle());
  }
  ~Handle() {
    if (easy) curl_easy_cleanup(easy);  // detaches from the share; its connections stay there
  }
};

int64_t RequestDeadlineMs(int64_t bytes, int64_t measured_rate, const TransportOptions& options) {
  const int64_t rate = std::max<int64_t>({1, options.min_rate_bytes_per_s, measured_rate / 8});
  const int64_t transfer_ms =
      std::max<int64_t>(0, bytes) / rate * 1000 + std::max<int64_t>(0, bytes) % rate * 1000 / rate;
  return std::min<int64_t>(options.max_request_ms, options.request_grace_ms + transfer_ms);
}

std::string Scrub(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "[redacted]");
  }
  return text;
}

bool CurlTransport::IsLoopbackHost(std::string_view host) {
  const std::string h = Lower(host);
  if (h == "localhost" || h == "localhost." || h == "::1") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    static const in6_addr loop = IN6ADDR_LOOPBACK_INIT;
    return memcmp(&v6, &loop, sizeof v6) == 0;
  }
  return false;
}

bool CurlTransport::UrlAllowed(std::string_view url, bool allow_insecure_http, std::string* why) {
  std::string scheme, host;
  auto refuse = [why](std::string text) {
    if (why) *why = std::move(text);
    return false;
  };
  if (!SplitUrl(url, &scheme, &host)) {
    return refuse("The server address is not a URL of the form https://host[:port].");
  }
  if (scheme == "https") return true;
  if (scheme != "http")
    return refuse("Only https:// (or http:// on loopback) server addresses are allowed.");
  if (IsLoopbackHost(host) || allow_insecure_http) return true;
  return refuse("Plain http:// is allowed only to this machine (loopback); use https:// for " +
                host + ".");
}

bool CurlTransport::LooksCaptive(std::string_view content_type, std::string_view body) {
  const std::string type = Lower(content_type);
  if (type.find("text/html") != std::string::npos) return true;
  if (type.find("application/xhtml") != std::string::npos) return true;
  for (char c : body) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    return c == '<';
  }
  return false;
}

CurlTransport::CurlTransport(TransportOptions options)
    : options_(std::move(options)), handle_(std::make_unique<Handle>(options_.share)) {
  while (!options_.server_url.empty() && options_.server_url.back() == '/') {
    options_.server_url.pop_back();
  }
}

CurlTransport::~CurlTransport() = default;

HttpResponse CurlTransport::Send(const HttpRequest& request) {
  HttpResponse response;
  std::string why;
  if (!UrlAllowed(options_.server_url, options_.allow_insecure_http, &why)) {
    response.outcome = Outcome::kRefused;
    response.error = Scrub(why, options_.token);
    return response;
  }
  if (!handle_->easy) {
    response.outcome = Outcome::kRefused;
    response.error = "The HTTP library could not be initialised.";
    return response;
  }
  CURL* easy = handle_->easy;
  curl_easy_reset(easy);  // keeps the connection cache: the link is reused

  const std::string url = options_.server_url + request.path;
  Slist headers;
  auto add = [&headers](const std::string& line) {
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (next) {
      headers.release();
      headers.reset(next);
    }
  };
  if (request.auth && !options_.token.empty()) add("Authorization: Bearer " + options_.token);
  if (!request.body_sink && !request.tiny) add("Accept-Encoding: zstd");
  if (request.method != "GET" && request.method != "HEAD") {
    // An empty value removes curl's default (application/x-www-form-urlencoded).
    add(request.tiny ? std::string("Content-Type:") : "Content-Type: " + request.content_type);
    if (request.body_is_zstd) add("Content-Encoding: zstd");
  }
  add("Expect:");  // no 100-continue round trip on slow links
  add("Accept:");  // curl's "Accept: */*" says nothing: 13 bytes saved per request
  for (const auto& [name, value] : request.headers) add(name + ": " + value);

  char error_buffer[CURL_ERROR_SIZE] = {0};
  Exchange ex;
  ex.request = &request;
  ex.response = &response;
  ex.options = &options_;
  ex.measured_rate = measured_rate_;
  ex.started = std::chrono::steady_clock::now();
  ex.easy = easy;

  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  if (!request.tiny) curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_bytes);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, options_.low_speed_time_s);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, options_.max_request_ms);  // the ceiling
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, OnTransferInfo);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &ex);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, 30L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, 10L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, OnDebug);
  curl_easy_setopt(easy, CURLOPT_DEBUGDATA, &ex);
  curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);  // feeds OnDebug only; nothing is printed
  if (TransferCancel* cancel = options_.cancel.get()) {
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, cancel);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, OnCloseSocket);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, cancel);
    ex.cancel = cancel;  // OnTransferInfo checks it beside the deadline
  }

  if (request.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    if (request.method != "POST") {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
  }

  const CURLcode code = curl_easy_perform(easy);
  long connects = 0;
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
  if (connects > 0 && options_.share) options_.share->CountConnection(ex.tls, ex.tls_resumed);

  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  response.bytes_up = ex.up;
  response.bytes_down = ex.down;
  response.status = static_cast<int>(status);
  // The link's speed, for the next deadlines: latency makes small exchanges look slow,
  // which only loosens them.
  curl_off_t total_us = 0;
  curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total_us);
  if (total_us > 0 && ex.up + ex.down > 0) {
    const int64_t sample = (ex.up + ex.down) * 1'000'000 / total_us;
    measured_rate_ = measured_rate_ == 0 ? sample : (3 * measured_rate_ + sample) / 4;
  }

  if (const std::string retry = response.Header("retry-after"); !retry.empty()) {
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    response.retry_after_ms = ParseRetryAfter(retry, now_ms);
  }

  if (code != CURLE_OK) {
    if (ex.too_large) {
      response.outcome = Outcome::kReplyTooLarge;
      response.error = "The server's reply was larger than the limit of " +
                       std::to_string(request.max_reply_bytes) + " bytes.";
    } else if (ex.aborted) {
      response.outcome = Outcome::kAborted;
      response.error = "The transfer was stopped by the receiver.";
    } else if (ex.deadline_ms > 0) {
      response.outcome = Outcome::kCut;
      response.error = Scrub("The link to " + options_.server_url + " was too slow: the request " +
                                 "took longer than its deadline of " +
                                 std::to_string(ex.deadline_ms / 1000) + " s.",
                             options_.token);
    } else {
      response.outcome = OutcomeOf(code);
      // A timeout before a single byte went out (connect or TLS never finished) means the
      // server was not reached; after that it is a cut (a stall or a half-open link).
      if (code == CURLE_OPERATION_TIMEDOUT && ex.up == 0) response.outcome = Outcome::kUnreachable;
      std::string text = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
      response.error =
          Scrub("The link to " + options_.server_url + " failed: " + text + ".", options_.token);
    }
    return response;
  }

  const bool redirect = status >= 300 && status < 400;
  if (request.expect_json &&
      (redirect || (status == 200 && !request.body_sink &&
                    LooksCaptive(response.Header("content-type"), ex.raw)))) {
    response.outcome = Outcome::kCaptive;
    response.error = "A captive portal (a Wi-Fi login page) answered instead of " +
                     Scrub(options_.server_url, options_.token) + ".";
    return response;
  }

  if (!request.body_sink) {
    if (Lower(response.Header("content-encoding")) == "zstd") {
      const Outcome decoded = DecodeZstd(ex.raw, request.max_reply_bytes, &response.body);
      if (decoded != Outcome::kOk) {
        response.outcome = decoded;
        response.body.clear();
        response.error = decoded == Outcome::kReplyTooLarge
                             ? "The server's reply decompressed to more than the limit of " +
                                   std::to_string(request.max_reply_bytes) + " bytes."
                             : std::string("The server's reply is not valid zstd.");
        return response;
      }
    } else {
      response.body = std::move(ex.raw);
    }
    if (request.expect_json && status == 200 &&
        LooksCaptive(response.Header("content-type"), response.body)) {
      response.outcome = Outcome::kCaptive;
      response.error = "A captive portal (a Wi-Fi login page) answered instead of " +
                       Scrub(options_.server_url, options_.token) + ".";
      return response;
    }
  }
  response.outcome = Outcome::kOk;
  return response;
}

}  // namespace mano::sync
