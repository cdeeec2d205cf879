#include "utf8_locator.h"

#include <rapidjson/document.h>

#include <vector>

#include "mano/sync/json_util.h"
#include "mano/sync/limits.h"

namespace mano::manod {

namespace {

bool Valid(const rapidjson::Value& s) {
  return sync::IsValidUtf8(std::string_view(s.GetString(), s.GetStringLength()));
}

// One open array or object on the walk: the child looked at last is `next - 1`.
struct Frame {
  const rapidjson::Value* value;
  rapidjson::SizeType next;
};

// The path of the child each frame is on ("results[0].v.note"); with `with_top_child` false,
// the path of the innermost container itself. Built once, when something is found, so the
// walk stays linear in the size of the document whatever its depth.
std::string PathOf(const std::vector<Frame>& stack, bool with_top_child) {
  std::string path;
  const size_t n = with_top_child ? stack.size() : stack.size() - 1;
  for (size_t i = 0; i < n; ++i) {
    const Frame& f = stack[i];
    const rapidjson::SizeType at = f.next - 1;
    if (f.value->IsObject()) {
      const auto& name = (f.value->MemberBegin() + at)->name;
      if (!path.empty()) path += '.';
      path.append(name.GetString(), name.GetStringLength());
    } else {
      path += '[' + std::to_string(at) + ']';
    }
  }
  return path;
}

rapidjson::SizeType Count(const rapidjson::Value& v) {
  return v.IsObject() ? v.MemberCount() : v.Size();
}

// Iterative, depth-first, first member first (no recursion: nesting is the client's choice).
std::optional<std::string> Walk(const rapidjson::Value& root) {
  if (root.IsString()) return Valid(root) ? std::nullopt : std::optional<std::string>("");
  if (!root.IsObject() && !root.IsArray()) return std::nullopt;
  std::vector<Frame> stack = {{&root, 0}};
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next == Count(*top.value)) {
      stack.pop_back();
      continue;
    }
    const rapidjson::SizeType at = top.next++;
    const rapidjson::Value* child;
    if (top.value->IsObject()) {
      const auto member = top.value->MemberBegin() + at;
      if (!Valid(member->name)) {
        std::string where = PathOf(stack, false);
        return where.empty() ? std::string("(member name)") : where;
      }
      child = &member->value;
    } else {
      child = &(*top.value)[at];
    }
    if (child->IsString() && !Valid(*child)) return PathOf(stack, true);
    if (child->IsObject() || child->IsArray()) stack.push_back({child, 0});
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> LocateInvalidUtf8(std::string_view json) {
  // Deeper bodies are refused before they get here; never walk one.
  if (sync::JsonNestedDeeperThan(json, sync::kMaxJsonDepth)) return std::nullopt;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(json.data(),
                                                                                json.size());
  if (doc.HasParseError()) return std::nullopt;
  return Walk(doc);
}

}  // namespace mano::manod
