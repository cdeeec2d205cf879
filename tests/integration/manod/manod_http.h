// Test-only HTTP helpers for the manod conformance suite: a blocking libcurl client that
// returns status, headers and body as they came (no decompression, no redirects), and a raw
// loopback socket for byte-level control (sending half a request and hanging up).
#pragma once

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace mano::test {

struct Reply {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string Header(const std::string& lower) const {
    auto it = headers.find(lower);
    return it == headers.end() ? "" : it->second;
  }
};

class Http {
 public:
  // `ca_file`: a PEM file of trusted certificates for https (empty: the system's).
  explicit Http(std::string base, std::string ca_file = {})
      : base_(std::move(base)), ca_file_(std::move(ca_file)) {}

  // `headers` as "Name: value". An empty `token` sends no Authorization header.
  Reply Send(const std::string& method, const std::string& path, const std::string& token,
             const std::string& body = {}, std::vector<std::string> headers = {}) const {
    CURL* curl = curl_easy_init();
    if (!curl) throw std::runtime_error("curl_easy_init failed");
    Reply reply;
    std::string url = base_ + path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (!ca_file_.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file_.c_str());
    if (method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
    if (method != "GET" && method != "HEAD") {
      bool typed = std::any_of(headers.begin(), headers.end(), [](const std::string& h) {
        return h.rfind("Content-Type:", 0) == 0;
      });
      if (!typed) headers.push_back("Content-Type: application/json");
      headers.push_back("Expect:");  // no 100-continue round trip
    }
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Http::OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Http::OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
      throw std::runtime_error(std::string("curl: ") + curl_easy_strerror(rc) + " on " + path);
    }
    return reply;
  }

  Reply Get(const std::string& path, const std::string& token,
            std::vector<std::string> headers = {}) const {
    return Send("GET", path, token, {}, std::move(headers));
  }
  Reply Post(const std::string& path, const std::string& token, const std::string& body,
             std::vector<std::string> headers = {}) const {
    return Send("POST", path, token, body, std::move(headers));
  }

 private:
  static size_t OnBody(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
  }
  static size_t OnHeader(char* data, size_t size, size_t n, void* user) {
    std::string line(data, size * n);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
      (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
    }
    return size * n;
  }
  std::string base_;
  std::string ca_file_;
};

// A plain TCP connection to 127.0.0.1:port; closes on destruction. `source` (e.g.
// "127.0.0.2", any of 127/8 works on Linux) is the client's address; empty: the kernel's pick.
class RawSocket {
 public:
  explicit RawSocket(uint16_t port, const std::string& source = {}) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ >= 0 && !source.empty()) {
      sockaddr_in from{};
      from.sin_family = AF_INET;
      inet_pton(AF_INET, source.c_str(), &from.sin_addr);
      if (bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
        throw std::runtime_error("cannot bind to " + source);
      }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
    timeval tv{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawSocket() { Close(); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  void Send(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      done += static_cast<size_t>(n);
    }
  }
  // Reads until the peer closes or the timeout; returns what came.
  std::string ReadAll() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd_, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
    peer_closed_ = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    return out;
  }
  // One recv (up to 64 KiB, within the timeout): enough for a small reply on loopback.
  std::string ReadOnce() {
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }
  // After ReadAll: whether the peer closed (or reset) the connection, rather than a timeout.
  bool peer_closed() const { return peer_closed_; }
  // Sends without throwing; false once the peer has closed.
  bool TrySend(const std::string& bytes) {
    try {
      Send(bytes);
      return true;
    } catch (const std::runtime_error&) {
      return false;
    }
  }
  void SetTimeout(int seconds) {
    timeval tv{seconds, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  bool peer_closed_ = false;
};

}  // namespace mano::test
