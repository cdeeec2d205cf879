// What the mains of the benchmark programs (tools/bench, tools/bench/suite) share:
// - BenchFlags, their command line: "--name value" pairs and switches, each bound to the
//   variable it sets, and the usage line they make. An unknown flag, or a flag without its
//   value, is refused, so a mistyped flag never runs a benchmark on defaults unnoticed.
// - ReportErrors: an exception becomes "<program>: <what>" on stderr and exit status 1.
// - Main: the whole start of a benchmark that takes only flags: its flags bound, argv read
//   (usage and status 2 on a bad command line), manod looked up in this build, the body run
//   under ReportErrors.
// - SecondsSince on a steady clock, Median of a run's figures, and UseOwnBuild for programs that
// start manod through
//   tests/support/manod_process.h.
// Header-only; used from main's thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mano::bench {

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The middle value (of an even count, the upper middle one); `v` must not be empty.
inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// ManodProcess finds manod under $MANO_BUILD_DIR/bin; unless that is set, the build this
// program lives in (<build>/bin).
inline void UseOwnBuild() {
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  setenv("MANO_BUILD_DIR", self.parent_path().parent_path().c_str(), 0);
}

class BenchFlags {
 public:
  using Setter = std::function<void(const std::string& value)>;

  // A flag whose value `set` reads (a list, say); `shown` is its default in Usage().
  BenchFlags& Value(const std::string& name, const std::string& shown, Setter set) {
    values_[name] = std::move(set);
    usage_ += " [" + name + " " + shown + "]";
    return *this;
  }
  BenchFlags& Int(const std::string& name, int* value) {
    return Value(name, std::to_string(*value),
                 [value](const std::string& v) { *value = std::atoi(v.c_str()); });
  }
  BenchFlags& Uint64(const std::string& name, uint64_t* value) {
    return Value(name, std::to_string(*value),
                 [value](const std::string& v) { *value = std::strtoull(v.c_str(), nullptr, 10); });
  }
  BenchFlags& Text(const std::string& name, std::string* value) {
    return Value(name, value->empty() ? "TEXT" : *value,
                 [value](const std::string& v) { *value = v; });
  }
  // A flag without a value: present sets `*on`.
  BenchFlags& Switch(const std::string& name, bool* on) {
    switches_[name] = on;
    usage_ += " [" + name + "]";
    return *this;
  }

  // Reads argv[first] to argv[argc - 1]; false at an unknown flag or a flag without its value.
  bool Parse(int argc, char** argv, int first) const {
    for (int i = first; i < argc; ++i) {
      const std::string flag = argv[i];
      if (auto s = switches_.find(flag); s != switches_.end()) {
        *s->second = true;
        continue;
      }
      auto v = values_.find(flag);
      if (v == values_.end() || i + 1 >= argc) return false;
      v->second(argv[++i]);
    }
    return true;
  }

  // Prints "usage: <program> [--flag default]..." (the flags in the order they were added, with
  // the values they had then) on stderr; returns exit status 2.
  int Usage(const char* program) const {
    std::fprintf(stderr, "usage: %s%s\n", program, usage_.c_str());
    return 2;
  }

 private:
  std::map<std::string, Setter> values_;
  std::map<std::string, bool*> switches_;
  std::string usage_;
};

// Runs `body` (which returns the exit status); an exception becomes "<program>: <what>" on
// stderr and status 1.
template <class Body>
int ReportErrors(const char* program, Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return 1;
  }
}

// A benchmark's main for a program that takes only flags: `bind(flags)` binds them to the
// program's variables; a bad command line prints the usage and returns 2; otherwise
// UseOwnBuild() and `body()` (returning the exit status) under ReportErrors.
template <class Bind, class Body>
int Main(const char* program, int argc, char** argv, Bind&& bind, Body&& body) {
  BenchFlags flags;
  bind(flags);
  if (!flags.Parse(argc, argv, 1)) return flags.Usage(program);
  UseOwnBuild();
  return ReportErrors(program, body);
}

}  // namespace mano::bench
