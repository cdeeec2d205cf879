// The config file is read by toml++ (Debian's libtomlplusplus-dev, TOML 1.0, header-only
// here); this file only flattens its tree into "section.key" entries with their lines and
// words its errors for the worker.
#include "mano/client/toml.h"

#define TOML_HEADER_ONLY 1
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include <string_view>

#include "mano/client/i18n.h"

namespace mano::client {
namespace {

[[noreturn]] void Refuse(const std::string& source, int line, const std::string& what) {
  throw ConfigError(TrFormat("{0}, line {1}: {2}", {source, std::to_string(line), what}), line);
}

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

TomlValue ValueOf(const toml::node& node, const std::string& source) {
  if (auto s = node.as_string()) return {s->get()};
  if (auto i = node.as_integer()) return {i->get()};
  if (auto d = node.as_floating_point()) return {d->get()};
  if (auto b = node.as_boolean()) return {b->get()};
  if (auto array = node.as_array()) {
    TomlArray items;
    for (const toml::node& item : *array) {
      if (item.is_table())
        Refuse(source, LineOf(item), Tr("tables inside arrays are not used by mano's settings."));
      items.push_back(ValueOf(item, source));
    }
    return {std::move(items)};
  }
  Refuse(source, LineOf(node), Tr("dates and times are not used by mano's settings."));
}

// Adds every value under `table` to `doc` as "<prefix><key>", sub-tables as "<prefix><key>.".
void Flatten(const toml::table& table, const std::string& prefix, const std::string& source,
             TomlDocument& doc) {
  for (const auto& [key, node] : table) {
    const std::string name = prefix + std::string(key.str());
    if (auto sub = node.as_table()) {
      Flatten(*sub, name + ".", source, doc);
      continue;
    }
    doc[name] = TomlEntry{ValueOf(node, source), LineOf(node)};
  }
}

}  // namespace

TomlDocument ParseToml(const std::string& text, const std::string& source) {
  toml::table table;
  try {
    table = toml::parse(text, std::string_view(source));
  } catch (const toml::parse_error& e) {
    // toml++'s own description (English) rides inside the translated sentence.
    Refuse(source, static_cast<int>(e.source().begin.line),
           TrFormat("this is not valid TOML ({0}).", {std::string(e.description())}));
  }
  TomlDocument doc;
  Flatten(table, "", source, doc);
  return doc;
}

}  // namespace mano::client
