#include "web_client.h"

#include <zlib.h>

#include <stdexcept>

namespace mano::bench {
namespace {

size_t Append(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// RAII for a curl_slist.
class HeaderList {
 public:
  explicit HeaderList(const std::vector<std::string>& lines) {
    for (const auto& line : lines) list_ = curl_slist_append(list_, line.c_str());
    list_ = curl_slist_append(list_, "Expect:");  // no 100-continue round trip
  }
  ~HeaderList() { curl_slist_free_all(list_); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

}  // namespace

WebClient::WebClient() : curl_(curl_easy_init(), &curl_easy_cleanup) {
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

Response WebClient::Post(const std::string& url, const std::vector<std::string>& headers,
                         const std::string& body) {
  curl_easy_reset(curl_.get());
  curl_easy_setopt(curl_.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl_.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl_.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  return Perform(url, headers);
}

Response WebClient::Get(const std::string& url, const std::vector<std::string>& headers) {
  curl_easy_reset(curl_.get());
  curl_easy_setopt(curl_.get(), CURLOPT_HTTPGET, 1L);
  return Perform(url, headers);
}

Response WebClient::Perform(const std::string& url, const std::vector<std::string>& headers) {
  HeaderList list(headers);
  Response response;
  curl_easy_setopt(curl_.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_.get(), CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(curl_.get(), CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl_.get(), CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl_.get(), CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl_.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl_.get(), CURLOPT_LOW_SPEED_TIME, 10L);
  curl_easy_setopt(curl_.get(), CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl_.get(), CURLOPT_NOSIGNAL, 1L);
  CURLcode code = curl_easy_perform(curl_.get());
  if (code != CURLE_OK) {
    response.error = curl_easy_strerror(code);
    return response;
  }
  curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::vector<std::string> BrowserHeaders(const std::string& token) {
  return {
      "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/119.0.0.0 Safari/537.36",
      "Accept: application/json, text/plain, */*",
      "Accept-Language: es-419,es;q=0.9,en;q=0.8",
      "Content-Type: application/json",
      "Authorization: Bearer " + token,
  };
}

std::string Gzip(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(stream.total_out);
  return out;
}

}  // namespace mano::bench
