#include "http_fields.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "mano/sync/text_trim.h"

namespace mano::manod {

namespace {

constexpr int64_t kHuge = std::numeric_limits<int64_t>::max();

bool IsOws(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) { return sync::TrimView(s, sync::kBlanks); }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// The non-empty elements of a comma-separated list, each without surrounding whitespace.
std::vector<std::string_view> ListElements(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t comma = value.find(',');
    std::string_view element = Trim(value.substr(0, comma));
    if (!element.empty()) out.push_back(element);
    if (comma == std::string_view::npos) return out;
    value.remove_prefix(comma + 1);
  }
}

// 1*DIGIT, saturating at kHuge (section 14.1.1: recipients must expect numbers of any size).
std::optional<int64_t> Digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const int d = c - '0';
    n = n > (kHuge - d) / 10 ? kHuge : n * 10 + d;
  }
  return n;
}

// One entity-tag at the start of `s` (section 8.8.3: [W/] DQUOTE *etagc DQUOTE); the whole tag
// (with W/ and quotes) goes to `tag`, and `s` moves past it.
bool TakeEntityTag(std::string_view* s, std::string_view* tag, bool* weak) {
  std::string_view rest = *s;
  *weak = rest.substr(0, 2) == "W/";
  if (*weak) rest.remove_prefix(2);
  if (rest.empty() || rest.front() != '"') return false;
  const size_t close = rest.find('"', 1);
  if (close == std::string_view::npos) return false;
  for (size_t i = 1; i < close; ++i) {
    const auto c = static_cast<unsigned char>(rest[i]);
    if (c < 0x21 || c == 0x7f) return false;  // etagc: %x21 / %x23-7E / obs-text
  }
  const size_t used = (*weak ? 2 : 0) + close + 1;
  *tag = s->substr(0, used);
  s->remove_prefix(used);
  return true;
}

// The quoted part of an entity-tag (what weak and strong comparison look at).
std::string_view Opaque(std::string_view tag) {
  return tag.substr(0, 2) == "W/" ? tag.substr(2) : tag;
}

// A qvalue (section 12.4.2): "0" ["." 0*3DIGIT] or "1" ["." 0*3("0")].
std::optional<double> QValue(std::string_view s) {
  if (s.empty() || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  if (s.size() == 1) return s[0] == '1' ? 1.0 : 0.0;
  if (s[1] != '.' || s.size() > 5) return std::nullopt;
  double value = s[0] == '1' ? 1.0 : 0.0;
  double scale = 0.1;
  for (char c : s.substr(2)) {
    if (c < '0' || c > '9' || (s[0] == '1' && c != '0')) return std::nullopt;
    value += (c - '0') * scale;
    scale /= 10;
  }
  return value;
}

}  // namespace

RangeAnswer ParseRange(std::string_view value, int64_t length) {
  RangeAnswer whole;
  const size_t eq = value.find('=');
  if (eq == std::string_view::npos || !SameToken(value.substr(0, eq), "bytes")) return whole;
  const std::vector<std::string_view> specs = ListElements(value.substr(eq + 1));
  if (specs.size() != 1) return whole;  // none can be read, or several: ignored
  const std::string_view spec = specs.front();
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  RangeAnswer answer;
  answer.kind = RangeAnswer::Kind::kUnsatisfiable;
  if (dash == 0) {  // suffix-range: the last N bytes
    const auto n = Digits(spec.substr(1));
    if (!n) return whole;
    if (*n == 0) return answer;
    if (length == 0) return whole;  // nothing to send but the empty whole
    answer.kind = RangeAnswer::Kind::kPart;
    answer.first = *n >= length ? 0 : length - *n;
    answer.last = length - 1;
    return answer;
  }
  const auto first = Digits(spec.substr(0, dash));
  std::optional<int64_t> last = kHuge;
  if (dash + 1 < spec.size()) last = Digits(spec.substr(dash + 1));
  if (!first || !last || *last < *first) return whole;  // invalid: the range-set is ignored
  if (*first >= length) return answer;
  answer.kind = RangeAnswer::Kind::kPart;
  answer.first = *first;
  answer.last = *last >= length ? length - 1 : *last;
  return answer;
}

bool IfRangeHolds(std::string_view value, std::string_view etag) {
  if (value.empty()) return true;
  std::string_view tag;
  bool weak = false;
  if (!TakeEntityTag(&value, &tag, &weak) || !Trim(value).empty()) return false;  // a date
  return !weak && etag.substr(0, 2) != "W/" && tag == etag;
}

bool IfNoneMatchMatches(std::string_view value, std::string_view etag) {
  if (Trim(value) == "*") return true;
  bool matched = false;
  while (true) {
    while (!value.empty() && (IsOws(value.front()) || value.front() == ',')) value.remove_prefix(1);
    if (value.empty()) return matched;
    std::string_view tag;
    bool weak = false;
    if (!TakeEntityTag(&value, &tag, &weak)) return false;
    matched = matched || Opaque(tag) == Opaque(etag);
    value = Trim(value);
    if (!value.empty() && value.front() != ',') return false;
  }
}

double CodingWeight(std::string_view value, std::string_view coding) {
  std::optional<double> own, any;
  for (std::string_view element : ListElements(value)) {
    const size_t semi = element.find(';');
    const std::string_view name = Trim(element.substr(0, semi));
    double weight = 1.0;
    bool readable = true;
    if (semi != std::string_view::npos) {
      // Parameters: only q is defined for Accept-Encoding; others are skipped.
      for (std::string_view param = element.substr(semi + 1);;) {
        const size_t next = param.find(';');
        const std::string_view p = Trim(param.substr(0, next));
        if (p.size() >= 2 && Lower(p[0]) == 'q' && p[1] == '=') {
          const auto q = QValue(p.substr(2));
          readable = readable && q.has_value();
          if (q) weight = *q;
        }
        if (next == std::string_view::npos) break;
        param.remove_prefix(next + 1);
      }
    }
    if (!readable) continue;
    if (SameToken(name, coding)) own = weight;
    if (name == "*") any = weight;
  }
  if (own) return *own;
  if (any) return *any;
  return SameToken(coding, "identity") ? 1.0 : 0.0;
}

bool IsCoding(std::string_view value, std::string_view coding) {
  return SameToken(Trim(value), coding);
}

std::optional<std::string_view> BearerToken(std::string_view value) {
  const size_t space = value.find(' ');
  if (space == std::string_view::npos || !SameToken(value.substr(0, space), "bearer")) {
    return std::nullopt;
  }
  std::string_view token = value.substr(space);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  if (token.empty() || token.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return token;
}

}  // namespace mano::manod
