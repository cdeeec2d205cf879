// CurlTransport: the Transport that ships, on libcurl, set up for bad links.
//
// - One CURL easy handle per server, kept for the transport's life so the connection
//   (and TLS session) is reused between requests; with TransportOptions::share, the
//   connections and TLS sessions live in a CurlShare instead, reused by every transport of
//   the process (accounts on the same server, transports made again after a login).
// - Connect timeout (10 s by default), low-speed abort (a link moving under
//   low_speed_bytes per second for low_speed_time_s is given up: a stalled half-open
//   connection is noticed in tens of seconds instead of never), TCP keepalive.
// - A deadline per request (RequestDeadlineMs): a grace for latency and server work plus
//   the exchange's bytes (request body, and the reply's Content-Length once it is known)
//   at an eighth of the link's measured speed, never slower than min_rate_bytes_per_s, and
//   never more than max_request_ms (10 minutes). A peer that trickles a reply just above
//   the low-speed limit is cut there (Outcome::kCut) instead of holding the pass for days;
//   downloads resume by Range and uploads by offset, so a cut costs no work.
// - Sends `Accept-Encoding: zstd` and decodes zstd replies itself with a hard cap on the
//   decompressed size (libcurl's own decoder has no cap); frames may ask for at most an
//   8 MB window (RFC 9659).
// - TLS verification is always on; ca_file may name the CA bundle. Plain http:// is used
//   only for loopback hosts (127.0.0.0/8, ::1, localhost) unless allow_insecure_http.
//   Redirects are never followed (our protocol has none; a redirect is a captive portal).
// - The bearer token goes in a header only, and is scrubbed from every error text.
// Thread safety: not thread-safe; one CurlTransport per thread (or per engine).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "mano/sync/curl_share.h"
#include "mano/sync/transfer_cancel.h"
#include "mano/sync/transport.h"

namespace mano::sync {

struct TransportOptions {
  std::string server_url;            // "https://host:port" (a trailing slash is ignored)
  std::string token;                 // bearer token; may be empty for unauthenticated calls
  std::string ca_file;               // empty: the system CA store
  bool allow_insecure_http = false;  // plain http:// to a non-loopback host
  long connect_timeout_ms = 10'000;
  long low_speed_bytes = 1;    // bytes/s below which the link counts as stalled...
  long low_speed_time_s = 20;  // ...for this many seconds (curl averages over 5 s more)
  // Per-request deadline (see above): grace, the slowest rate a link is assumed to have,
  // and the ceiling no request may pass whatever its size.
  long request_grace_ms = 20'000;
  long min_rate_bytes_per_s = 1024;
  long max_request_ms = 10 * 60'000;
  std::string user_agent = "mano/1";
  // When set, TransferCancel::Cancel() stops this transport's transfers at once (they end
  // as kCut) and refuses new connections (kUnreachable). Shared: must outlive the transport.
  std::shared_ptr<TransferCancel> cancel;
  // When set, connections, TLS sessions and DNS answers are shared with the other
  // transports on the same CurlShare (and outlive this transport).
  std::shared_ptr<CurlShare> share;
};

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(TransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  HttpResponse Send(const HttpRequest& request) override;

  // Bytes per second this transport's exchanges have moved lately (0 before the first).
  int64_t measured_rate() const { return measured_rate_; }

  const TransportOptions& options() const { return options_; }
  // Replaces the token (after login); the connection is kept.
  void SetToken(std::string token) { options_.token = std::move(token); }

  // Whether a server URL may be used: https://, or http:// to loopback (or allowed).
  // On false, *why (if given) says why in one sentence.
  static bool UrlAllowed(std::string_view url, bool allow_insecure_http, std::string* why);
  // True for 127.0.0.0/8, ::1 and localhost.
  static bool IsLoopbackHost(std::string_view host);
  // Whether a 200 reply looks like a captive portal's page rather than our JSON.
  static bool LooksCaptive(std::string_view content_type, std::string_view body);

 private:
  struct Handle;
  TransportOptions options_;
  std::unique_ptr<Handle> handle_;
  int64_t measured_rate_ = 0;
};

// The time an exchange of `bytes` (both directions) may take on a link measured at
// `measured_rate` bytes/s (0: not measured yet): request_grace_ms plus the bytes at
// max(min_rate_bytes_per_s, measured_rate / 8), capped at max_request_ms.
int64_t RequestDeadlineMs(int64_t bytes, int64_t measured_rate, const TransportOptions& options);

// Replaces every occurrence of `secret` in `text` by "[redacted]" (no-op for empty secret).
std::string Scrub(std::string text, std::string_view secret);

}  // namespace mano::sync
