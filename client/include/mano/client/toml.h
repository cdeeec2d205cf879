// mano's config file, read as TOML 1.0 by toml++ (Debian's libtomlplusplus-dev) and
// flattened: a value in [section] (or a dotted key, or an inline table) is stored as
// "section.key"; strings, integers, floats, booleans and arrays of those are kept; dates,
// times and tables inside arrays are refused. Every refusal is a ConfigError naming the
// file and line, in the worker's language. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace mano::client {

class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& message, int line) : std::runtime_error(message), line_(line) {}
  int line() const noexcept { return line_; }  // 1-based; 0 when not about one line

 private:
  int line_;
};

struct TomlValue;
using TomlArray = std::vector<TomlValue>;

struct TomlValue {
  std::variant<std::string, int64_t, double, bool, TomlArray> v;
  bool IsString() const { return std::holds_alternative<std::string>(v); }
  bool IsInt() const { return std::holds_alternative<int64_t>(v); }
  bool IsBool() const { return std::holds_alternative<bool>(v); }
  bool IsArray() const { return std::holds_alternative<TomlArray>(v); }
};

struct TomlEntry {
  TomlValue value;
  int line = 0;
};

// "section.key" (or "key" before any section) -> value, in key order.
using TomlDocument = std::map<std::string, TomlEntry>;

// Parses `text`; `source` (a path) names the input in error messages.
// Throws ConfigError("<source> line N: <what is wrong>.") on the first bad line,
// including a key defined twice.
TomlDocument ParseToml(const std::string& text, const std::string& source);

}  // namespace mano::client
