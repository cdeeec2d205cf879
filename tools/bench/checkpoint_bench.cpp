// checkpoint_bench: latency of a durable checkpoint of a 2 KB draft (Store::SaveCheckpoint,
// content changing every time) beside a bare write+fsync of 2 KB on the same disk.
//   checkpoint_bench [--runs N] [--saves M] [--dir DIR]
// Each run uses a fresh folder under DIR (default: the current directory, so run it on
// the disk you care about); store and bare measurements alternate run by run. Prints p50
// and p99 per run, then the median over runs with min and max.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_main.h"
#include "mano/storage/store.h"

namespace {

using mano::bench::Clock;
using mano::bench::Median;
constexpr size_t kDraftBytes = 2048;
constexpr int kWarmup = 20;

struct Percentiles {
  double p50;
  double p99;
};

Percentiles Summarise(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * ms.size()))]; };
  return {at(0.50), at(0.99)};
}

std::string MakeTempDir(const std::string& parent) {
  std::string tmpl = parent + "/checkpoint-bench-XXXXXX";
  if (!mkdtemp(tmpl.data())) {
    std::perror("mkdtemp");
    std::exit(1);
  }
  return tmpl;
}

std::vector<double> StoreRun(const std::string& dir, int saves) {
  mano::storage::Store store = mano::storage::Store::Open(dir);
  store.AddAccount({"bench", "http://127.0.0.1:1", "t", "k", "USD", 0, ""});
  mano::storage::Assignment a;
  a.account = "bench";
  a.server_id = "bench-1";
  int64_t id = store.UpsertAssignment(a);
  std::string draft(kDraftBytes, 'x');
  std::vector<double> ms;
  for (int i = 0; i < kWarmup + saves; ++i) {
    // A worker typing: a few characters change between saves.
    std::string stamp = std::to_string(i);
    std::memcpy(draft.data() + (i * 37) % (kDraftBytes - 16), stamp.data(), stamp.size());
    std::memcpy(draft.data(), stamp.data(), stamp.size());
    auto start = Clock::now();
    auto r = store.SaveCheckpoint(id, draft, "body:" + stamp);
    double took = mano::bench::SecondsSince(start) * 1000;
    if (!r.written) {
      std::fprintf(stderr, "save %d wrote nothing\n", i);
      std::exit(1);
    }
    if (i >= kWarmup) ms.push_back(took);
  }
  return ms;
}

std::vector<double> BareRun(const std::string& dir, int saves) {
  std::string path = dir + "/bare";
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::perror("open");
    std::exit(1);
  }
  std::string block(kDraftBytes, 'y');
  std::vector<double> ms;
  for (int i = 0; i < kWarmup + saves; ++i) {
    block[0] = static_cast<char>(i);
    auto start = Clock::now();
    if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()) ||
        ::fsync(fd) != 0) {
      std::perror("write/fsync");
      std::exit(1);
    }
    double took = mano::bench::SecondsSince(start) * 1000;
    if (i >= kWarmup) ms.push_back(took);
  }
  ::close(fd);
  return ms;
}

void PrintSummary(const char* name, const std::vector<double>& v) {
  std::printf("  %-16s median %7.3f ms  (min %7.3f, max %7.3f)\n", name, Median(v),
              *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  int saves = 500;
  std::string parent = ".";
  mano::bench::BenchFlags flags;
  flags.Int("--runs", &runs).Int("--saves", &saves).Text("--dir", &parent);
  if (!flags.Parse(argc, argv, 1)) return flags.Usage("checkpoint_bench");
  runs = std::max(1, runs);
  saves = std::max(100, saves);
  std::printf("checkpoint_bench: %d runs x %d saves of %zu bytes, folder %s\n", runs, saves,
              kDraftBytes, std::filesystem::weakly_canonical(parent).c_str());
  std::printf("%4s %14s %14s %14s %14s\n", "run", "store p50 ms", "store p99 ms", "bare p50 ms",
              "bare p99 ms");
  std::vector<double> s50, s99, b50, b99;
  for (int r = 0; r < runs; ++r) {
    std::string dir = MakeTempDir(parent);
    Percentiles bare = Summarise(BareRun(dir, saves));
    Percentiles store = Summarise(StoreRun(dir, saves));
    std::filesystem::remove_all(dir);
    std::printf("%4d %14.3f %14.3f %14.3f %14.3f\n", r + 1, store.p50, store.p99, bare.p50,
                bare.p99);
    s50.push_back(store.p50);
    s99.push_back(store.p99);
    b50.push_back(bare.p50);
    b99.push_back(bare.p99);
  }
  std::printf("over %d runs:\n", runs);
  PrintSummary("store p50", s50);
  PrintSummary("store p99", s99);
  PrintSummary("bare p50", b50);
  PrintSummary("bare p99", b99);
  std::printf("  p99 ratio store/bare (medians): %.2fx (goal <= 2x)\n", Median(s99) / Median(b99));
  return 0;
}
