#include "mano/client/toml.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "mano/client/i18n.h"
#include "mano/client/utf8.h"

namespace mano::client {
namespace {

class LineParser {
 public:
  LineParser(const std::string& line, const std::string& source, int number)
      : s_(line), source_(source), number_(number) {}

  [[noreturn]] void Fail(const char* msgid, const std::vector<std::string>& args = {}) const {
    std::string what = TrFormat(msgid, args);
    throw ConfigError(TrFormat("{0}, line {1}: {2}", {source_, std::to_string(number_), what}),
                      number_);
  }

  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool AtEndOrComment() {
    SkipSpace();
    return pos_ >= s_.size() || s_[pos_] == '#';
  }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  std::string Key() {
    SkipSpace();
    if (Peek() == '"') return BasicString();
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '_' || s_[pos_] == '-' || s_[pos_] == '.'))
      ++pos_;
    if (pos_ == start) Fail("expected a key (letters, digits, '_', '-').");
    return s_.substr(start, pos_ - start);
  }

  std::string Section() {
    ++pos_;  // '['
    std::string name = Key();
    SkipSpace();
    if (Peek() != ']') Fail("expected ']' to close the section name.");
    ++pos_;
    if (!AtEndOrComment()) Fail("unexpected text after the section name.");
    return name;
  }

  TomlValue Value() {
    SkipSpace();
    char c = Peek();
    if (c == '"') return {BasicString()};
    if (c == '\'') return {LiteralString()};
    if (c == '[') return {Array()};
    if (s_.compare(pos_, 4, "true") == 0 && !IsWordChar(pos_ + 4)) {
      pos_ += 4;
      return {true};
    }
    if (s_.compare(pos_, 5, "false") == 0 && !IsWordChar(pos_ + 5)) {
      pos_ += 5;
      return {false};
    }
    if (c == '+' || c == '-' || std::isdigit(static_cast<unsigned char>(c))) return Number();
    if (c == '\0' || c == '#') Fail("the value is missing after '='.");
    Fail("a value must be a \"string\", a number, true, false or an [array].");
  }

  size_t pos() const { return pos_; }
  void Expect(char c, const char* msgid) {
    SkipSpace();
    if (Peek() != c) Fail(msgid);
    ++pos_;
  }

 private:
  bool IsWordChar(size_t i) const {
    return i < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i])) || s_[i] == '_');
  }

  std::string BasicString() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'u':
        case 'U': {
          size_t n = e == 'u' ? 4 : 8;
          if (pos_ + n > s_.size()) Fail("a \\u escape needs 4 hex digits (\\U needs 8).");
          uint32_t cp = 0;
          for (size_t i = 0; i < n; ++i) {
            char h = s_[pos_ + i];
            if (!std::isxdigit(static_cast<unsigned char>(h)))
              Fail("a \\u escape needs 4 hex digits (\\U needs 8).");
            cp = cp * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(h))
                                                     ? h - '0'
                                                     : (std::tolower(h) - 'a' + 10));
          }
          pos_ += n;
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            Fail("the \\u escape is not a valid Unicode character.");
          AppendUtf8(out, cp);
          break;
        }
        default:
          Fail("unknown escape sequence in a string.");
      }
    }
    if (pos_ >= s_.size()) Fail("the string is not closed with '\"'.");
    ++pos_;
    return out;
  }

  std::string LiteralString() {
    ++pos_;
    size_t end = s_.find('\'', pos_);
    if (end == std::string::npos) Fail("the string is not closed with \"'\".");
    std::string out = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }

  TomlArray Array() {
    ++pos_;  // '['
    TomlArray out;
    SkipSpace();
    if (Peek() == ']') {
      ++pos_;
      return out;
    }
    while (true) {
      SkipSpace();
      if (Peek() == '[') Fail("nested arrays are not supported.");
      out.push_back(Value());
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        SkipSpace();
        if (Peek() == ']') {  // trailing comma
          ++pos_;
          return out;
        }
        continue;
      }
      if (Peek() == ']') {
        ++pos_;
        return out;
      }
      Fail("expected ',' or ']' in the array (arrays must stay on one line).");
    }
  }

  TomlValue Number() {
    size_t start = pos_;
    std::string digits;
    bool is_float = false;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '.' || c == 'e' || c == 'E') {
        is_float = true;
        digits += c;
      } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-') {
        digits += c;  // letters make strto* refuse the whole token below
      } else if (c == '_') {
        // digit separator
      } else {
        break;
      }
      ++pos_;
    }
    if (pos_ == start) Fail("expected a number.");
    char* end = nullptr;
    errno = 0;
    if (is_float) {
      double d = std::strtod(digits.c_str(), &end);
      if (*end != '\0' || errno) Fail("'{0}' is not a valid number.", {digits});
      return {d};
    }
    long long v = std::strtoll(digits.c_str(), &end, 10);
    if (*end != '\0' || errno) Fail("'{0}' is not a valid number.", {digits});
    return {static_cast<int64_t>(v)};
  }

  const std::string& s_;
  const std::string& source_;
  int number_;
  size_t pos_ = 0;
};

}  // namespace

TomlDocument ParseToml(const std::string& text, const std::string& source) {
  TomlDocument doc;
  std::string section;
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++number;
    start = end + 1;
    LineParser p(line, source, number);
    if (p.AtEndOrComment()) {
      if (end == text.size()) break;
      continue;
    }
    if (p.Peek() == '[') {
      section = p.Section();
    } else {
      std::string key = p.Key();
      p.Expect('=', "expected '=' after the key.");
      TomlValue value = p.Value();
      if (!p.AtEndOrComment()) p.Fail("unexpected text after the value.");
      std::string full = section.empty() ? key : section + "." + key;
      if (doc.count(full)) p.Fail("the key '{0}' is defined twice.", {full});
      doc.emplace(full, TomlEntry{std::move(value), number});
    }
    if (end == text.size()) break;
  }
  return doc;
}

}  // namespace mano::client
