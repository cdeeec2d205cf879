#include "mano/sync/answer.h"

#include <cmath>

#include "mano/sync/crypto_util.h"
#include "mano/sync/jcs.h"
#include "mano/sync/limits.h"

#include "answer_handler.h"
#include "json_piece_stream.h"

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
      out.Object("h", b.h, "l", OmitDefault(b.label), "w", b.w, "x", b.x, "y", b.y);
    }
    out.EndArray();
  }
};

constexpr const char* kInexact =
    "number beyond +-9007199254740991 (2^53 - 1) cannot be kept exactly (RFC 8785)";

Answer ReadText(const std::function<std::string_view()>& next, std::size_t max_bytes) {
  JsonPieceStream stream(next, max_bytes);
  AnswerHandler handler("");
  rapidjson::Reader reader;
  const rapidjson::ParseResult parsed = reader.Parse<kJsonParseFlags>(stream, handler);
  stream.ThrowIfSourceFailed();
  handler.ThrowIfFailed();
  // The first problem in the text: what stopped it, unless the parser failed before it.
  const std::optional<std::size_t> stop = stream.stopped_at();
  if (stop && (!parsed.IsError() || parsed.Offset() >= *stop)) stream.ThrowStop();
  if (parsed.IsError()) ThrowMalformedJson(parsed.Offset(), parsed.Code());
  return handler.Take();
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
  // The value's parse events, replayed from the document into the one reader of answers.
  AnswerHandler handler(in.path());
  in.value().Accept(handler);
  handler.ThrowIfFailed();
  return handler.Take();
}

Answer Answer::FromJson(std::string_view json, std::size_t max_bytes) {
  bool given = false;
  return ReadText(
      [&]() {
        const std::string_view piece = given ? std::string_view() : json;
        given = true;
        return piece;
      },
      max_bytes);
}

Answer Answer::FromJsonPieces(const std::function<std::string_view()>& next,
                              std::size_t max_bytes) {
  return ReadText(next, max_bytes);
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
  out += '}';
  return out;  // not `out + "}"`: that would copy a 60 MiB answer once more
}

std::string Answer::Hash() const { return Sha256Hex(ToJson()); }

std::string Answer::LegacyHash() const { return Sha256Hex(LegacyJson()); }

}  // namespace mano::sync
