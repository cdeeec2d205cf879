#include "mano/sync/http_request.h"

#include <curl/curl.h>
#include <strings.h>

#include <cctype>
#include <string>

#include "mano/sync/text_trim.h"

namespace mano::sync {

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_ms) {
  value = TrimView(value);
  if (value.empty()) return std::nullopt;
  bool digits = true;
  for (char c : value) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) {
    if (value.size() > 9) return int64_t{999'999'999} * 1000;  // absurd: cap, don't overflow
    return std::stoll(std::string(value)) * 1000;
  }
  // curl_getdate understands the three HTTP-date forms of RFC 9110.
  const time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when == static_cast<time_t>(-1)) return std::nullopt;
  const int64_t delay = static_cast<int64_t>(when) * 1000 - now_ms;
  return delay > 0 ? delay : 0;
}

}  // namespace mano::sync
