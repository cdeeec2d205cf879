#include "utf8_locator.h"

#include <rapidjson/document.h>

#include <vector>

#include "mano/sync/json_util.h"

namespace mano::manod {

namespace {

bool Valid(const rapidjson::Value& s) {
  return sync::IsValidUtf8(std::string_view(s.GetString(), s.GetStringLength()));
}

// Iterative walk (no recursion: nesting depth is the client's choice).
std::optional<std::string> Walk(const rapidjson::Value& root) {
  std::vector<std::pair<const rapidjson::Value*, std::string>> stack = {{&root, ""}};
  while (!stack.empty()) {
    auto [value, path] = stack.back();
    stack.pop_back();
    if (value->IsString() && !Valid(*value)) return path;
    if (value->IsObject()) {
      // Push in reverse so the first member is looked at first.
      for (auto it = value->MemberEnd(); it != value->MemberBegin();) {
        --it;
        std::string name(it->name.GetString(), it->name.GetStringLength());
        std::string child = path.empty() ? name : path + "." + name;
        if (!Valid(it->name)) return path.empty() ? std::string("(member name)") : path;
        stack.emplace_back(&it->value, child);
      }
    } else if (value->IsArray()) {
      for (rapidjson::SizeType i = value->Size(); i > 0; --i) {
        stack.emplace_back(&(*value)[i - 1], path + "[" + std::to_string(i - 1) + "]");
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> LocateInvalidUtf8(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(json.data(),
                                                                                json.size());
  if (doc.HasParseError()) return std::nullopt;
  return Walk(doc);
}

}  // namespace mano::manod
