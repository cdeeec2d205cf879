// MoCatalog: a reader for GNU gettext .mo files (the format documented in the gettext
// manual, "The Format of GNU MO Files"), used when the C library cannot be made to load
// the worker's catalog (a machine with no UTF-8 locale at all). Plural entries are chosen
// with the catalog's own "Plural-Forms" rule (a C expression in n, as ngettext reads it;
// Germanic n != 1 when the header has none). Thread-safe after Load: lookups only read.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mano::client {

class MoCatalog {
 public:
  // Reads `path`; returns nullopt when the file is missing or not a valid .mo file.
  static std::optional<MoCatalog> Load(const std::string& path);
  // Parses .mo bytes; nullopt when malformed.
  static std::optional<MoCatalog> Parse(const std::string& bytes);

  // The translation, or nullptr when the catalog has none.
  const char* Lookup(const std::string& msgid) const;
  // The plural form of `msgid` (the singular) for `n`, as ngettext chooses it; nullptr when
  // the catalog has no such plural entry.
  const char* LookupPlural(const std::string& msgid, unsigned long n) const;
  // Which plural form `n` takes by the catalog's Plural-Forms rule.
  unsigned long PluralIndex(unsigned long n) const;
  size_t size() const { return messages_.size(); }

 private:
  std::unordered_map<std::string, std::string> messages_;
  // singular msgid -> every form of its translation
  std::unordered_map<std::string, std::vector<std::string>> plurals_;
  std::string plural_rule_ = "n != 1";
};

}  // namespace mano::client
