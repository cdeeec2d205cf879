// Clock: the seam through which the store (and anything else) reads time.
// NowMs() is wall-clock time, int64 milliseconds since the Unix epoch; it can jump
// (dead CMOS battery, manual change). MonotonicMs() never goes backwards within one
// process and has an arbitrary origin; it is used to carry server time forward between
// contacts. SystemClock is what ships; ManualClock is for tests (thread-safe: atomics).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace mano::storage {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() = 0;
  virtual int64_t MonotonicMs() = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() override;
  int64_t MonotonicMs() override;
};

// A clock tests drive by hand. Advance() moves both wall and monotonic time;
// SetNow() moves only wall time (to simulate a clock that jumps).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_ms = 1'790'000'000'000) : now_(now_ms), mono_(0) {}
  int64_t NowMs() override { return now_.load(); }
  int64_t MonotonicMs() override { return mono_.load(); }
  void Advance(int64_t ms) {
    now_ += ms;
    mono_ += ms;
  }
  void SetNow(int64_t now_ms) { now_ = now_ms; }

 private:
  std::atomic<int64_t> now_;
  std::atomic<int64_t> mono_;
};

// TEST_ hook: a clock read from a file, so tests can drive the time of real `mano`
// processes (the terminal UI in tmux, the command line) without sleeping. The file holds
// "WALL_MS" or "WALL_MS MONO_MS" (MONO_MS defaults to WALL_MS; giving it lets a test play a
// laptop that slept: wall time moves, monotonic time does not). Read on every call, so a test
// replaces it atomically (write another file, rename it over); an
// unreadable file reads as the system clock. Never used unless the environment names it.
class TestFileClock final : public Clock {
 public:
  explicit TestFileClock(std::string path) : path_(std::move(path)) {}
  int64_t NowMs() override;
  int64_t MonotonicMs() override;

 private:
  bool Read(int64_t& wall, int64_t& mono) const;
  std::string path_;
};

// The clock the programs use: SystemClock, or a TestFileClock when the environment
// variable MANO_TEST_CLOCK_FILE names a file (tests only).
std::shared_ptr<Clock> DefaultClock();

}  // namespace mano::storage
