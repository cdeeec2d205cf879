#include "server_clock.h"

#include <chrono>
#include <ctime>
#include <fstream>

namespace mano::manod {

int64_t ServerClock::NowMs() const {
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  if (!offset_file_.empty()) {
    std::ifstream in(offset_file_);
    long long offset = 0;
    if (in >> offset) now += offset;
  }
  return now;
}

int64_t ServerClock::MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string EncodeId(int64_t id) {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  if (id <= 0) return "0";
  std::string out;
  while (id > 0) {
    out.insert(out.begin(), kDigits[id % 36]);
    id /= 36;
  }
  return out;
}

int64_t DecodeId(const std::string& text) {
  if (text.empty() || text.size() > 12) return -1;
  int64_t v = 0;
  for (char c : text) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'z') {
      d = c - 'a' + 10;
    } else {
      return -1;
    }
    v = v * 36 + d;
  }
  return v;
}

std::string FormatUtc(int64_t ms, const char* pattern) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}

}  // namespace mano::manod
