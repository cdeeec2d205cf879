// MoCatalog: a reader for GNU gettext .mo files (the format documented in the gettext
// manual, "The Format of GNU MO Files"), used when the C library cannot be made to load
// the worker's catalog (a machine with no UTF-8 locale at all). Plural entries answer with
// their first (singular) form. Thread-safe after Load: lookups only read.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

namespace mano::client {

class MoCatalog {
 public:
  // Reads `path`; returns nullopt when the file is missing or not a valid .mo file.
  static std::optional<MoCatalog> Load(const std::string& path);
  // Parses .mo bytes; nullopt when malformed.
  static std::optional<MoCatalog> Parse(const std::string& bytes);

  // The translation, or nullptr when the catalog has none.
  const char* Lookup(const std::string& msgid) const;
  size_t size() const { return messages_.size(); }

 private:
  std::unordered_map<std::string, std::string> messages_;
};

}  // namespace mano::client
