// Plain driver for the fuzz targets (see fuzz_target.h): runs every seed, every file under
// the optional corpus folders given as arguments, then MANO_FUZZ_RUNS (default 20000;
// 500000 with MANO_LONG=1) mutations drawn from a fixed-seed generator, so a failure
// reproduces. `--write-seeds DIR` writes the seeds as files (a corpus for libFuzzer).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "fuzz_target.h"

namespace {

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

const char* const kTokens[] = {
    "{",     "}",      "[",   "]",       "\"",      ",",    ":",    "null",   "true",
    "-1",    "1e999",  "0.5", "\\u0000", "\\ud800", "\xff", "\xc3", "[[[[[[", "9223372036854775808",
    "\"\":", "{\"a\":"};

std::string Mutate(std::string s, const std::vector<std::string>& seeds, std::mt19937_64& rng) {
  auto pick = [&](std::size_t n) { return n ? static_cast<std::size_t>(rng() % n) : 0; };
  int steps = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < steps; ++i) {
    switch (rng() % 7) {
      case 0:  // flip a bit
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1:  // truncate
        s.resize(pick(s.size() + 1));
        break;
      case 2:  // delete a run
        if (!s.empty()) {
          std::size_t at = pick(s.size());
          s.erase(at, 1 + pick(16));
        }
        break;
      case 3:  // insert a JSON-ish token
        s.insert(pick(s.size() + 1), kTokens[pick(std::size(kTokens))]);
        break;
      case 4:  // random byte
        s.insert(s.begin() + static_cast<long>(pick(s.size() + 1)), static_cast<char>(rng()));
        break;
      case 5: {  // splice with another seed
        const std::string& other = seeds[pick(seeds.size())];
        std::size_t from = pick(other.size() + 1);
        s = s.substr(0, pick(s.size() + 1)) + other.substr(from, pick(other.size() - from + 1));
        break;
      }
      case 6: {  // duplicate a chunk
        if (!s.empty()) {
          std::size_t at = pick(s.size()), len = 1 + pick(std::min<std::size_t>(64, s.size() - at));
          s.insert(at, s.substr(at, len));
        }
        break;
      }
    }
  }
  return s;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> seeds = FuzzSeeds();
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--write-seeds" && i + 1 < argc) {
      std::filesystem::create_directories(argv[i + 1]);
      for (std::size_t k = 0; k < seeds.size(); ++k) {
        std::ofstream(std::filesystem::path(argv[i + 1]) / ("seed-" + std::to_string(k)),
                      std::ios::binary)
            << seeds[k];
      }
      return 0;
    }
    dirs.push_back(arg);
  }
  for (const auto& dir : dirs) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.is_regular_file()) seeds.push_back(ReadFile(entry.path()));
    }
  }
  if (seeds.empty()) seeds.push_back("{}");
  for (const auto& s : seeds) Run(s);

  long runs = std::getenv("MANO_LONG") ? 500000 : 20000;
  if (const char* r = std::getenv("MANO_FUZZ_RUNS")) runs = std::atol(r);
  std::mt19937_64 rng(0x6d616e6f);  // fixed: every run of the suite tries the same inputs
  for (long i = 0; i < runs; ++i) {
    Run(Mutate(seeds[static_cast<std::size_t>(rng() % seeds.size())], seeds, rng));
  }
  std::cout << seeds.size() << " seeds and " << runs << " mutated inputs ran without a crash\n";
  return 0;
}
