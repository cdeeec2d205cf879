// WebClient: one libcurl easy handle (RAII) for the benchmark's baseline client, set like a
// simple web page's script: keep-alive, no compression unless asked, a plain header set.
//
// Post() and Get() never throw on HTTP or network failures: Response::status is 0 and
// Response::error says why when no reply came (a cut, a stall, a refusal). Timeouts: connect
// 10 s, abort when under 1 B/s for 10 s, 60 s in all.
// Thread safety: one WebClient per thread (a curl easy handle is not shared).
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <vector>

namespace mano::bench {

struct Response {
  long status = 0;  // 0: no HTTP reply
  std::string body;
  std::string error;
};

class WebClient {
 public:
  WebClient();  // throws std::runtime_error when libcurl cannot make a handle

  // Headers as "Name: value" lines; curl adds Host and Content-Length.
  Response Post(const std::string& url, const std::vector<std::string>& headers,
                const std::string& body);
  Response Get(const std::string& url, const std::vector<std::string>& headers);

 private:
  Response Perform(const std::string& url, const std::vector<std::string>& headers);

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl_;
};

// The headers a browser's fetch() of a JSON form sends (bar cookies), plus the bearer token
// that stands in for a session cookie.
std::vector<std::string> BrowserHeaders(const std::string& token);

// gzip (RFC 1952) of `data` at zlib's default level.
std::string Gzip(const std::string& data);

}  // namespace mano::bench
