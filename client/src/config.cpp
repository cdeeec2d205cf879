#include "mano/client/config.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>

#include "mano/client/i18n.h"

namespace mano::client {
namespace {

[[noreturn]] void WrongType(const std::string& source, const std::string& key, int line,
                            const char* expected) {
  throw ConfigError(
      TrFormat("{0}, line {1}: {2}", {source, std::to_string(line),
                                      TrFormat("the key '{0}' must be {1}.", {key, Tr(expected)})}),
      line);
}

std::string AsString(const TomlEntry& e, const std::string& source, const std::string& key) {
  if (!e.value.IsString()) WrongType(source, key, e.line, "a \"string\"");
  return std::get<std::string>(e.value.v);
}

int64_t AsCount(const TomlEntry& e, const std::string& source, const std::string& key) {
  if (!e.value.IsInt() || std::get<int64_t>(e.value.v) < 0)
    WrongType(source, key, e.line, "a whole number, 0 or more");
  return std::get<int64_t>(e.value.v);
}

// The keys that take any "string", and those that take any whole number 0 or more; keys
// with narrower values have their own branches in ParseConfig.
constexpr std::pair<std::string_view, std::string Config::*> kStringKeys[] = {
    {"language", &Config::language}, {"viewer", &Config::viewer},   {"player", &Config::player},
    {"browser", &Config::browser},   {"ca_file", &Config::ca_file},
};
constexpr std::pair<std::string_view, int64_t Config::*> kCountKeys[] = {
    {"budget_daily_mb", &Config::budget_daily_mb},
    {"budget_monthly_mb", &Config::budget_monthly_mb},
    {"asset_task_max_mb", &Config::asset_task_max_mb},
    {"asset_folder_max_mb", &Config::asset_folder_max_mb},
    {"disk_reserve_mb", &Config::disk_reserve_mb},
};

// The member `table` gives `key`, or nullptr.
template <typename Member, size_t N>
Member MemberFor(const std::pair<std::string_view, Member> (&table)[N], const std::string& key) {
  for (const auto& [name, member] : table)
    if (key == name) return member;
  return nullptr;
}

}  // namespace

std::string DefaultConfigPath() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    return std::string(xdg) + "/mano/config.toml";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.config/mano/config.toml";
}

Config ParseConfig(const std::string& text, const std::string& source) {
  Config config;
  config.path = source;
  for (const auto& [key, entry] : ParseToml(text, source)) {
    if (const auto text_member = MemberFor(kStringKeys, key)) {
      config.*text_member = AsString(entry, source, key);
    } else if (const auto count_member = MemberFor(kCountKeys, key)) {
      config.*count_member = AsCount(entry, source, key);
    } else if (key == "pictures") {
      config.pictures = AsString(entry, source, key);
      if (config.pictures != "auto" && config.pictures != "symbols" && config.pictures != "sixel" &&
          config.pictures != "kitty") {
        WrongType(source, key, entry.line, "\"auto\", \"symbols\", \"sixel\" or \"kitty\"");
      }
    } else if (key == "keep_claimed") {
      config.keep_claimed = static_cast<int>(AsCount(entry, source, key));
    } else if (key == "ledger.idle_minutes") {
      config.idle_minutes = AsCount(entry, source, key);
      if (config.idle_minutes < 1) WrongType(source, key, entry.line, "a whole number, 1 or more");
    } else if (key == "allow_insecure_http") {
      if (!entry.value.IsBool()) WrongType(source, key, entry.line, "true or false");
      config.allow_insecure_http = std::get<bool>(entry.value.v);
    } else if (key == "kinds") {
      // Either ["relevance", "classification"] or "relevance,classification".
      if (entry.value.IsString()) {
        std::stringstream list(std::get<std::string>(entry.value.v));
        for (std::string kind; std::getline(list, kind, ',');) {
          kind.erase(0, kind.find_first_not_of(' '));
          kind.erase(kind.find_last_not_of(' ') + 1);
          if (!kind.empty()) config.kinds.push_back(kind);
        }
      } else if (entry.value.IsArray()) {
        for (const auto& item : std::get<TomlArray>(entry.value.v)) {
          if (!item.IsString()) WrongType(source, key, entry.line, "a list of \"strings\"");
          config.kinds.push_back(std::get<std::string>(item.v));
        }
      } else {
        WrongType(source, key, entry.line, "a list of \"strings\"");
      }
    } else if (key.find('.') != std::string::npos) {
      // Keys inside [sections] belong to other parts of mano (e.g. [ledger]), which read
      // the same file themselves.
    } else {
      config.warnings.push_back(TrFormat(
          "{0}, line {1}: {2}",
          {source, std::to_string(entry.line), TrFormat("unknown key '{0}' (ignored).", {key})}));
    }
  }
  return config;
}

Config LoadConfig(const std::string& path) {
  std::string file = path.empty() ? DefaultConfigPath() : path;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (errno == ENOENT || errno == ENOTDIR) return Config{};
    throw ConfigError(
        TrFormat("cannot read the config file {0}: {1}.", {file, std::strerror(errno)}), 0);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str(), file);
}

}  // namespace mano::client
