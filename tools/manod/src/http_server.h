// HttpServer: manod's event-driven HTTP/1.1 front end over GNU libmicrohttpd.
//
// libmicrohttpd runs a small pool of threads, each with its own epoll loop, so thousands of
// slow connections cost a socket and a little memory each, never a thread.
//
// Before a byte of a body is read, the headers alone decide: framing that two parsers could
// read differently (Content-Length with Transfer-Encoding, or two differing Content-Lengths)
// is 400; the HeaderCheck hook (route and token) may refuse; a Content-Length over the route's
// limit is 413; a body that does not fit the global budget of bodies in flight is 503 with
// Retry-After. Each of these replies closes the connection, so the body is never read.
// A body is then buffered (a chunked one reserves the route's whole limit from the budget; one
// that grows past the limit is drained without being stored and refused with 413) and the
// handler is called once with the whole request.
//
// Routes for which KeepsPartial says so (tus PATCH) keep what they received instead: a body
// longer than the limit is read up to the limit and the handler is called with those bytes and
// `partial` set; the rest is never read (tus 1.0 lets a server stop reading; the client asks
// HEAD and goes on). Its reply is queued with `Connection: close`, but libmicrohttpd 0.9.75
// (Debian 12) refuses a reply before the body's end, and the connection is then closed without
// one. A body cut by the client (the connection dropped or was reaped before the last byte) is
// handed to the handler the same way once the connection is gone; that reply goes nowhere.
//
// Slow connections: at most `per_address_limit` from one address; request line and headers
// must all arrive within `header_timeout_seconds` of the connection opening or of the previous
// reply (a deadline, not an idle timer); a body must arrive at `body_min_rate` bytes/s after a
// grace of `body_grace_seconds` (mod_reqtimeout's rule). A reaper thread shuts such
// connections down four times a second (see connection_reaper.h, also for eviction near the
// connection limit). The handler runs on an MHD thread
// and must be thread-safe; it may throw, which turns into a 500 with a JSON error body.
// One line per request goes to stderr: method, path, status, bytes, milliseconds (never
// headers, so never a token).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct MHD_Daemon;

namespace mano::manod {

class ConnectionReaper;
class TlsTicketKey;

struct HttpRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names in lower case; repeats joined by ", "
  std::map<std::string, std::string> query;
  std::string body;
  // The body ended before its announced end: cut by the client, or stopped at the route's
  // limit. Only routes that keep partial bodies (HttpServer::KeepsPartial) see this.
  bool partial = false;

  // Header value or "" when absent.
  std::string Header(const std::string& lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class HttpServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    uint16_t port = 0;     // 0: any free port (see port())
    std::string cert_pem;  // TLS when both are set
    std::string key_pem;
    unsigned threads = 4;  // epoll loops
    unsigned connection_limit = 4096;
    unsigned timeout_seconds = 120;    // idle connections are closed after this
    unsigned per_address_limit = 128;  // connections from one address; 0: no limit
    unsigned header_timeout_seconds = 30;
    size_t body_min_rate = 500;  // bytes per second; 0: no minimum
    unsigned body_grace_seconds = 20;
    size_t body_budget = 256u << 20;  // bytes of bodies in flight, all connections together
  };
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  // The largest body accepted for (method, path); a larger one is answered 413.
  using BodyLimit = std::function<size_t(const std::string& method, const std::string& path)>;
  // Builds the reply for an error that happens before the handler runs (413 on a body).
  using ErrorReply = std::function<HttpResponse(int status, const std::string& message)>;
  // Called with a request whose body is not read yet (empty): a reply refuses it at once and
  // closes the connection; nullopt lets the body be read. Thread-safe, like Handler.
  using HeaderCheck = std::function<std::optional<HttpResponse>(const HttpRequest&)>;
  // Called with the headers of a request that passed HeaderCheck: true when the route keeps
  // the bytes of a body that is cut or longer than its limit (see above). Thread-safe.
  using KeepsPartial = std::function<bool(const HttpRequest&)>;

  // Starts listening at once. Throws std::runtime_error when it cannot.
  HttpServer(const Options& options, Handler handler, HeaderCheck header_check,
             BodyLimit body_limit, ErrorReply error_reply, KeepsPartial keeps_partial = nullptr);
  ~HttpServer();  // stops the daemon, closing every connection
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const { return port_; }
  // Connections shut down for missing the header deadline or the body's minimum rate.
  size_t reaped() const;

  // For libmicrohttpd's C callbacks only.
  struct Callbacks;

 private:
  Options options_;
  Handler handler_;
  HeaderCheck header_check_;
  BodyLimit body_limit_;
  ErrorReply error_reply_;
  KeepsPartial keeps_partial_;
  std::atomic<size_t> body_in_flight_{0};  // bytes reserved from options_.body_budget
  std::unique_ptr<ConnectionReaper> reaper_;
  std::unique_ptr<TlsTicketKey> tickets_;  // with TLS: sessions resume on new connections
  MHD_Daemon* daemon_ = nullptr;
  uint16_t port_ = 0;
};

}  // namespace mano::manod
