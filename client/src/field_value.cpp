#include "mano/client/field_value.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "mano/client/exit_code.h"
#include "mano/client/i18n.h"
#include "mano/sync/text_trim.h"

namespace mano::client {
namespace {

// A value typed on the command line loses its spaces and tabs at both ends, never its line
// breaks (a transcript may end with one).
std::string Trim(const std::string& s) { return sync::Trim(s, sync::kBlanks); }

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::stringstream in(s);
  while (std::getline(in, part, sep)) parts.push_back(part);
  if (!s.empty() && s.back() == sep) parts.emplace_back();
  return parts;
}

[[noreturn]] void Bad(const sync::Field& field, const char* msgid,
                      const std::vector<std::string>& args) {
  std::vector<std::string> all{field.name};
  all.insert(all.end(), args.begin(), args.end());
  throw CliError(ExitCode::kValidation, TrFormat(msgid, all));
}

bool ParseInt(const std::string& text, int64_t& out) {
  std::string t = Trim(text);
  if (t.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(t.c_str(), &end, 10);
  if (*end != '\0' || errno) return false;
  out = v;
  return true;
}

}  // namespace

std::optional<sync::AnswerValue> ParseFieldValue(const sync::Field& field,
                                                 const std::string& text) {
  if (Trim(text).empty() && field.type != sync::FieldType::kText) return std::nullopt;
  if (text.empty()) return std::nullopt;
  switch (field.type) {
    case sync::FieldType::kSingle:
      return sync::AnswerValue{Trim(text)};
    case sync::FieldType::kText:
      return sync::AnswerValue{text};
    case sync::FieldType::kMulti: {
      std::vector<std::string> values;
      for (const auto& part : Split(text, ',')) {
        std::string v = Trim(part);
        if (v.empty()) Bad(field, "field '{0}': an empty choice in the list '{1}'.", {text});
        values.push_back(v);
      }
      return sync::AnswerValue{std::move(values)};
    }
    case sync::FieldType::kScale: {
      int64_t v;
      if (!ParseInt(text, v)) Bad(field, "field '{0}': '{1}' is not a whole number.", {text});
      return sync::AnswerValue{v};
    }
    case sync::FieldType::kNumber: {
      std::string t = Trim(text);
      char* end = nullptr;
      errno = 0;
      double v = std::strtod(t.c_str(), &end);
      if (t.empty() || *end != '\0' || errno || !std::isfinite(v))
        Bad(field, "field '{0}': '{1}' is not a number.", {text});
      return sync::AnswerValue{v};
    }
    case sync::FieldType::kBoxes: {
      std::vector<sync::Box> boxes;
      for (const auto& spec : Split(text, ';')) {
        if (Trim(spec).empty()) continue;
        auto parts = Split(spec, ',');
        if (parts.size() < 4)
          Bad(field, "field '{0}': the box '{1}' must be x,y,w,h or x,y,w,h,label.", {spec});
        sync::Box box;
        int64_t* coords[] = {&box.x, &box.y, &box.w, &box.h};
        for (size_t i = 0; i < 4; ++i)
          if (!ParseInt(parts[i], *coords[i]))
            Bad(field, "field '{0}': the box '{1}' must be x,y,w,h or x,y,w,h,label.", {spec});
        // A label may itself contain commas: everything after the fourth comma.
        std::string label;
        for (size_t i = 4; i < parts.size(); ++i) label += (i > 4 ? "," : "") + parts[i];
        box.label = Trim(label);
        boxes.push_back(std::move(box));
      }
      return sync::AnswerValue{std::move(boxes)};
    }
  }
  return std::nullopt;
}

std::string FormatFieldValue(const sync::AnswerValue& value) {
  struct Visitor {
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<std::string>& list) const {
      std::string out;
      for (size_t i = 0; i < list.size(); ++i) out += (i ? "," : "") + list[i];
      return out;
    }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const {
      std::ostringstream out;
      out.precision(15);
      out << v;
      return out.str();
    }
    std::string operator()(const std::vector<sync::Box>& boxes) const {
      std::string out;
      for (size_t i = 0; i < boxes.size(); ++i) {
        const auto& b = boxes[i];
        out += (i ? ";" : "") + std::to_string(b.x) + "," + std::to_string(b.y) + "," +
               std::to_string(b.w) + "," + std::to_string(b.h);
        if (!b.label.empty()) out += "," + b.label;
      }
      return out;
    }
  };
  return std::visit(Visitor{}, value);
}

std::pair<std::string, std::string> SplitAssignment(const std::string& text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw CliError(ExitCode::kUsage,
                   TrFormat("'{0}' is not FIELD=VALUE (for example --set score=3).", {text}));
  return {text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace mano::client
