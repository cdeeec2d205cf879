#include "mano/sync/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

#include "mano/sync/json_util.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {
namespace {

// UTF-16 code units of valid UTF-8 `s` (member names sort by them, RFC 8785 section 3.2.3).
std::u16string Utf16(std::string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
    i += len;
  }
  return out;
}

void Append(std::string& out, const JsonIn& in) {
  const rapidjson::Value& v = in.value();
  if (v.IsNull()) {
    out += "null";
  } else if (v.IsBool()) {
    out += v.GetBool() ? "true" : "false";
  } else if (v.IsNumber()) {
    out += JcsNumber(v.GetDouble());
  } else if (v.IsString()) {
    JcsAppendString(out, in.String());
  } else if (v.IsArray()) {
    out += '[';
    for (std::size_t i = 0; i < in.Size(); ++i) {
      if (i) out += ',';
      Append(out, in.At(i));
    }
    out += ']';
  } else {
    std::vector<std::pair<std::u16string, rapidjson::Value::ConstMemberIterator>> members;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      members.emplace_back(Utf16({it->name.GetString(), it->name.GetStringLength()}), it);
    }
    std::sort(members.begin(), members.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    out += '{';
    bool first = true;
    for (const auto& [key, it] : members) {
      if (!first) out += ',';
      first = false;
      std::string name(it->name.GetString(), it->name.GetStringLength());
      if (!IsValidUtf8(name)) in.Fail("invalid UTF-8 in a member name");
      JcsAppendString(out, name);
      out += ':';
      Append(out, JsonIn(it->value, in.path().empty() ? name : in.path() + "." + name));
    }
    out += '}';
  }
}

}  // namespace

std::string JcsNumber(double value) {
  if (!std::isfinite(value)) {
    throw SyncError(SyncErrorKind::kBadMessage, "NaN and infinities are not JSON numbers", "");
  }
  if (value == 0) return "0";  // also -0
  std::string out;
  if (value < 0) {
    out += '-';
    value = -value;
  }
  // Shortest round-trip digits (closest to the value when several are as short), the same
  // choice ECMAScript makes: "d.ddde[+-]x".
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  const std::size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  const int exp10 = std::atoi(std::string(sci.substr(e + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // value = 0.digits * 10^n
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

void JcsAppendString(std::string& out, std::string_view utf8) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Short forms of 0x08..0x0D: \b \t \n (none for 0x0B) \f \r.
  static constexpr char kShort[] = {'b', 't', 'n', '\0', 'f', 'r'};
  out += '"';
  for (char ch : utf8) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c >= 0x20) {
      out += ch;
    } else if (c >= 0x08 && c <= 0x0D && kShort[c - 0x08]) {
      out += '\\';
      out += kShort[c - 0x08];
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  out += '"';
}

std::string JcsCanonicalize(std::string_view json) {
  JsonDocument doc(json);
  std::string out;
  Append(out, doc.Root());
  return out;
}

}  // namespace mano::sync
