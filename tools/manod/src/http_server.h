// HttpServer: manod's event-driven HTTP/1.1 front end over GNU libmicrohttpd.
//
// libmicrohttpd runs a small pool of threads, each with its own epoll loop, so thousands of
// slow connections cost a socket and a little memory each, never a thread. A request's body is
// buffered up to a per-route limit (413 as soon as Content-Length says it is larger; a chunked
// body that grows past the limit is drained without being stored and then refused with 413),
// and the handler is called once with the whole request. The handler runs on an MHD thread
// and must be thread-safe; it may throw, which turns into a 500 with a JSON error body.
// One line per request goes to stderr: method, path, status, bytes, milliseconds (never
// headers, so never a token).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct MHD_Daemon;

namespace mano::manod {

struct HttpRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names in lower case
  std::map<std::string, std::string> query;
  std::string body;

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
    unsigned timeout_seconds = 120;  // idle connections are closed after this
  };
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  // The largest body accepted for (method, path); a larger one is answered 413.
  using BodyLimit = std::function<size_t(const std::string& method, const std::string& path)>;
  // Builds the reply for an error that happens before the handler runs (413 on a body).
  using ErrorReply = std::function<HttpResponse(int status, const std::string& message)>;

  // Starts listening at once. Throws std::runtime_error when it cannot.
  HttpServer(const Options& options, Handler handler, BodyLimit body_limit, ErrorReply error_reply);
  ~HttpServer();  // stops the daemon, closing every connection
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const { return port_; }

  // For libmicrohttpd's C callbacks only.
  struct Callbacks;

 private:
  Handler handler_;
  BodyLimit body_limit_;
  ErrorReply error_reply_;
  MHD_Daemon* daemon_ = nullptr;
  uint16_t port_ = 0;
};

}  // namespace mano::manod
