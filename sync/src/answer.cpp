#include "mano/sync/answer.h"

#include <cmath>

#include "mano/sync/crypto_util.h"
#include "mano/sync/jcs.h"
#include "mano/sync/limits.h"

namespace mano::sync {

namespace {

struct ValueWriter {
  JsonOut& out;
  void operator()(const std::string& s) const { out.String(s); }
  void operator()(const std::vector<std::string>& list) const {
    out.StartArray();
    for (const auto& s : list) out.String(s);
    out.EndArray();
  }
  void operator()(std::int64_t v) const { out.Int(v); }
  void operator()(double v) const { out.Number(v); }
  void operator()(const std::vector<Box>& boxes) const {
    out.StartArray();
    for (const auto& b : boxes) {
      // Keys in byte order, like every canonical object.
      out.StartObject();
      out.Field("h", b.h);
      if (!b.label.empty()) out.Field("l", b.label);
      out.Field("w", b.w);
      out.Field("x", b.x);
      out.Field("y", b.y);
      out.EndObject();
    }
    out.EndArray();
  }
};

constexpr const char* kInexact =
    "number beyond +-9007199254740991 (2^53 - 1) cannot be kept exactly (RFC 8785)";

std::int64_t ExactInt(const JsonIn& in) {
  // Any integer past int64 is inexact too (Int() would call it "not an integer").
  if (in.value().IsNumber() && !in.value().IsInt64() && !in.value().IsDouble()) {
    throw InexactNumber(in.path());
  }
  if (in.value().IsDouble() && std::fabs(in.value().GetDouble()) > kMaxExactInteger) {
    throw InexactNumber(in.path());
  }
  const std::int64_t v = in.Int();
  if (v > kMaxExactInteger || v < -kMaxExactInteger) throw InexactNumber(in.path());
  return v;
}

AnswerValue ReadValue(const JsonIn& in) {
  const rapidjson::Value& v = in.value();
  if (v.IsString()) return in.String();
  if (v.IsInt64()) return ExactInt(in);
  if (v.IsNumber()) {
    // Integral values read as integers (2.0 and 2 are the same answer, -0 is 0), as JCS
    // writes them, so reading is canonical and a round trip is exact. Every double of this
    // magnitude is integral, so the limit also covers 1e300.
    double d = in.Number();
    if (std::fabs(d) > static_cast<double>(kMaxExactInteger)) throw InexactNumber(in.path());
    if (d == std::floor(d)) return static_cast<std::int64_t>(d);
    return d;
  }
  if (!v.IsArray()) in.Fail("expected a string, a number or an array");
  std::size_t n = in.Size();
  if (n == 0) return std::vector<std::string>{};
  if (v[0].IsString()) {
    if (n > kMaxOptions) in.Fail("too many values");
    std::vector<std::string> list;
    for (std::size_t i = 0; i < n; ++i) list.push_back(in.At(i).String());
    return list;
  }
  if (n > kMaxBoxes) in.Fail("too many boxes");
  std::vector<Box> boxes;
  for (std::size_t i = 0; i < n; ++i) {
    JsonIn b = in.At(i);
    if (!b.IsObject()) b.Fail("expected a box object or a string");
    boxes.push_back(Box{ExactInt(b.Member("x")), ExactInt(b.Member("y")), ExactInt(b.Member("w")),
                        ExactInt(b.Member("h")), b.StrOr("l", "")});
  }
  return boxes;
}

}  // namespace

InexactNumber::InexactNumber(const std::string& path)
    : SyncError(SyncErrorKind::kBadMessage, (path.empty() ? "body" : path) + ": " + kInexact,
                path) {}

const AnswerValue* Answer::Get(std::string_view field) const {
  auto it = values_.find(field);
  return it == values_.end() ? nullptr : &it->second;
}

void Answer::Write(JsonOut& out) const {
  out.StartObject();
  for (const auto& [name, value] : values_) {
    out.Key(name);
    std::visit(ValueWriter{out}, value);
  }
  out.EndObject();
}

Answer Answer::Read(const JsonIn& in) {
  if (!in.IsObject()) in.Fail("expected an object of field values");
  Answer answer;
  for (auto it = in.value().MemberBegin(); it != in.value().MemberEnd(); ++it) {
    std::string name(it->name.GetString(), it->name.GetStringLength());
    std::string path = in.path().empty() ? name : in.path() + "." + name;
    JsonIn member(it->value, path);
    if (!IsValidId(name)) member.Fail("field name is not a valid id");
    if (answer.values_.count(name)) member.Fail("field given twice");
    if (answer.values_.size() >= kMaxFields) member.Fail("too many fields");
    answer.values_.emplace(std::move(name), ReadValue(member));
  }
  return answer;
}

std::string Answer::ToJson() const {
  // RFC 8785 written directly: members in map order (field names are ASCII ids, so byte order
  // is UTF-16 order), box members in theirs, every number exact (see Read).
  std::string out = "{";
  // Room for the whole at once (text without escapes): a 60 MiB answer is then not copied
  // through a string twice its size as it grows.
  std::size_t room = 2;
  for (const auto& [name, value] : values_) {
    room += name.size() + 32;
    if (const auto* s = std::get_if<std::string>(&value)) room += s->size();
    if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
      for (const auto& item : *list) room += item.size() + 3;
    }
  }
  out.reserve(room);
  auto integer = [&out](std::int64_t v) {
    const bool exact = v <= kMaxExactInteger && v >= -kMaxExactInteger;
    out += exact ? std::to_string(v) : JcsNumber(static_cast<double>(v));
  };
  for (const auto& [name, value] : values_) {
    if (out.size() > 1) out += ',';
    JcsAppendString(out, name);
    out += ':';
    if (const auto* s = std::get_if<std::string>(&value)) {
      JcsAppendString(out, *s);
    } else if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
      out += '[';
      for (std::size_t i = 0; i < list->size(); ++i) {
        if (i) out += ',';
        JcsAppendString(out, (*list)[i]);
      }
      out += ']';
    } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
      integer(*i);
    } else if (const auto* d = std::get_if<double>(&value)) {
      out += JcsNumber(*d);
    } else {
      const auto& boxes = std::get<std::vector<Box>>(value);
      out += '[';
      for (std::size_t i = 0; i < boxes.size(); ++i) {
        const Box& b = boxes[i];
        out += i ? ",{\"h\":" : "{\"h\":";
        integer(b.h);
        if (!b.label.empty()) {
          out += ",\"l\":";
          JcsAppendString(out, b.label);
        }
        out += ",\"w\":";
        integer(b.w);
        out += ",\"x\":";
        integer(b.x);
        out += ",\"y\":";
        integer(b.y);
        out += '}';
      }
      out += ']';
    }
  }
  return out + "}";
}

std::string Answer::Hash() const { return Sha256Hex(ToJson()); }

std::string Answer::LegacyHash() const { return Sha256Hex(LegacyJson()); }

}  // namespace mano::sync
