// HttpRequest / HttpResponse: the plain values a Transport moves (see transport.h).
//
// A request names a path relative to the transport's server URL; the transport adds the
// bearer token, Accept-Encoding and the compression headers. A response always says how
// many bytes crossed the link (headers included), even when the exchange failed half way:
// the data budget counts what was moved, not what was useful.
// Failures of the link are values (Outcome), not exceptions: being offline is a state.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mano::sync {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";  // GET, POST, HEAD, PATCH
  std::string path;            // "/v1/me", appended to the server URL
  HeaderList headers;          // extra headers (never Authorization: the transport adds it)
  std::string body;            // bytes as they go on the wire
  // The body is already zstd-compressed: send `Content-Encoding: zstd`.
  bool body_is_zstd = false;
  std::string content_type = "application/json";
  bool auth = true;  // send the account's bearer token
  // Send only what the server needs (anchors must stay well under 200 bytes on the wire):
  // no User-Agent, Accept-Encoding or Content-Type.
  bool tiny = false;
  // A JSON reply is expected: a 200 with an HTML page (or a redirect) is a captive portal.
  bool expect_json = true;
  // Hard cap on the reply body after decompression (a zstd bomb stops here).
  int64_t max_reply_bytes = 16 << 20;
  // When set, reply body bytes go here as they arrive (asset downloads, so a cut download
  // keeps what it received) instead of into HttpResponse::body; no decompression. Return
  // false to abort the transfer.
  std::function<bool(std::string_view)> body_sink;
};

enum class Outcome {
  kOk,             // an HTTP reply arrived (any status code)
  kUnreachable,    // DNS, connect refused or timed out: the server was not reached
  kCut,            // the link broke or stalled in the middle of the exchange
  kCaptive,        // a captive portal answered instead of the server (HTML, redirect)
  kTls,            // TLS verification failed (never bypassed)
  kReplyTooLarge,  // the reply (decompressed) went over max_reply_bytes
  kBadEncoding,    // a reply claimed zstd but did not decode
  kRefused,        // the request was not sent: e.g. plain http:// to a non-loopback host
  kAborted,        // body_sink asked to stop
};

struct HttpResponse {
  Outcome outcome = Outcome::kUnreachable;
  int status = 0;          // HTTP status when outcome is kOk or kCaptive
  HeaderList headers;      // names lower-case, in arrival order (last response only)
  std::string body;        // decoded body (empty when body_sink was used)
  std::string error;       // one sentence when outcome != kOk; never contains the token
  int64_t bytes_up = 0;    // request line + headers + body, as sent
  int64_t bytes_down = 0;  // status line + headers + body, as received (compressed)
  // Delay the server asked for (Retry-After, seconds or HTTP-date), in ms.
  std::optional<int64_t> retry_after_ms;

  bool ok() const { return outcome == Outcome::kOk; }
  // Value of the first header named `name` (case-insensitive), or empty.
  std::string Header(std::string_view name) const;
};

// Parses a Retry-After value: delta-seconds or an HTTP-date (RFC 9110), relative to
// now_ms (Unix ms). Returns the delay in ms (>= 0), nullopt when it does not parse.
std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_ms);

}  // namespace mano::sync
