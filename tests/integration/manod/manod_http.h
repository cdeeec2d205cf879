// Test-only HTTP helpers for the manod conformance suite: a blocking libcurl client that
// returns status, headers and body as they came (no decompression, no redirects). For
// byte-level control (half a request, a hang-up) tests use tests/support/loopback_socket.h.
#pragma once

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "loopback_socket.h"

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

}  // namespace mano::test
