// ServerClock: the server's time in milliseconds since the Unix epoch, the time every deadline,
// anchor and receipt is stamped with. Tests move it forward without sleeping through
// `--test-clock-file`: the file holds a signed offset in milliseconds, read on every call
// (only when the option is given; production servers read the system clock alone).
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace mano::manod {

class ServerClock {
 public:
  explicit ServerClock(std::string offset_file = {}) : offset_file_(std::move(offset_file)) {}
  int64_t NowMs() const;
  // Milliseconds of a monotonic clock (for rate limits and durations).
  static int64_t MonotonicMs();

 private:
  std::string offset_file_;
};

// `ms` (since the epoch) in UTC, formatted with strftime's `pattern` (whole seconds).
std::string FormatUtc(int64_t ms, const char* pattern);

// Short assignment ids on the wire: base36 of the database row id ("1", "a", "2s").
std::string EncodeId(int64_t id);
// -1 when `text` is not a base36 number of at most 12 digits.
int64_t DecodeId(const std::string& text);

}  // namespace mano::manod
