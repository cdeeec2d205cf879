#include "mano/storage/clock.h"

#include <chrono>
#include <cstdlib>
#include <fstream>

namespace mano::storage {

int64_t SystemClock::NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t SystemClock::MonotonicMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool TestFileClock::Read(int64_t& wall, int64_t& mono) const {
  std::ifstream in(path_);
  if (!(in >> wall)) return false;
  if (!(in >> mono)) mono = wall;
  return true;
}

int64_t TestFileClock::NowMs() {
  int64_t wall = 0, mono = 0;
  return Read(wall, mono) ? wall : SystemClock().NowMs();
}

int64_t TestFileClock::MonotonicMs() {
  int64_t wall = 0, mono = 0;
  return Read(wall, mono) ? mono : SystemClock().MonotonicMs();
}

std::shared_ptr<Clock> DefaultClock() {
  const char* file = std::getenv("MANO_TEST_CLOCK_FILE");
  if (file && *file) return std::make_shared<TestFileClock>(file);
  return std::make_shared<SystemClock>();
}

}  // namespace mano::storage
