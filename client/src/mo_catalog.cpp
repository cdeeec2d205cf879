#include "mano/client/mo_catalog.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace mano::client {
namespace {

constexpr uint32_t kMagic = 0x950412de;
constexpr uint32_t kMagicSwapped = 0xde120495;

uint32_t Swap(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24);
}

// Evaluates a Plural-Forms expression (C syntax: n, numbers, ! * / % + - < > <= >= == !=
// && || ?: and parentheses) by recursive descent, as gettext's own plural.y does. A
// malformed rule gives 0 (the first form).
class PluralRule {
 public:
  PluralRule(const std::string& text, unsigned long n) : s_(text), n_(n) {}
  unsigned long Evaluate() {
    unsigned long v = Ternary();
    return ok_ ? v : 0;
  }

 private:
  void Skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n')) ++pos_;
  }
  bool Eat(const char* op) {
    Skip();
    const size_t len = std::strlen(op);
    if (s_.compare(pos_, len, op) != 0) return false;
    // "<" must not eat the start of "<=", "!" not the start of "!=".
    if (len == 1 && pos_ + 1 < s_.size() && s_[pos_ + 1] == '=' && std::strchr("<>!=", op[0]))
      return false;
    pos_ += len;
    return true;
  }
  unsigned long Ternary() {
    unsigned long c = Binary(0);
    if (!Eat("?")) return c;
    unsigned long a = Ternary();
    if (!Eat(":")) ok_ = false;
    unsigned long b = Ternary();
    return c ? a : b;
  }
  // The binary operators from the loosest level (0: ||) to the tightest (5: * / %); all are
  // left-associative. Both sides are always evaluated: the parse must read them.
  struct BinaryOp {
    const char* token;
    int level;
    unsigned long (*apply)(unsigned long, unsigned long);
  };
  static constexpr int kTightest = 5;
  static constexpr BinaryOp kBinaryOps[] = {
      {"||", 0, [](unsigned long a, unsigned long b) -> unsigned long { return a || b; }},
      {"&&", 1, [](unsigned long a, unsigned long b) -> unsigned long { return a && b; }},
      {"==", 2, [](unsigned long a, unsigned long b) -> unsigned long { return a == b; }},
      {"!=", 2, [](unsigned long a, unsigned long b) -> unsigned long { return a != b; }},
      {"<=", 3, [](unsigned long a, unsigned long b) -> unsigned long { return a <= b; }},
      {">=", 3, [](unsigned long a, unsigned long b) -> unsigned long { return a >= b; }},
      {"<", 3, [](unsigned long a, unsigned long b) -> unsigned long { return a < b; }},
      {">", 3, [](unsigned long a, unsigned long b) -> unsigned long { return a > b; }},
      {"+", 4, [](unsigned long a, unsigned long b) { return a + b; }},
      {"-", 4, [](unsigned long a, unsigned long b) { return a - b; }},
      {"*", 5, [](unsigned long a, unsigned long b) { return a * b; }},
      {"/", 5, [](unsigned long a, unsigned long b) { return b ? a / b : 0; }},
      {"%", 5, [](unsigned long a, unsigned long b) { return b ? a % b : 0; }},
  };
  // The operator of `level` that comes next, eaten; nullptr when none does.
  const BinaryOp* EatOperator(int level) {
    for (const BinaryOp& op : kBinaryOps)
      if (op.level == level && Eat(op.token)) return &op;
    return nullptr;
  }
  unsigned long Binary(int level) {
    if (level > kTightest) return Unary();
    unsigned long v = Binary(level + 1);
    while (const BinaryOp* op = EatOperator(level)) {
      const unsigned long rhs = Binary(level + 1);
      if ((op->token[0] == '/' || op->token[0] == '%') && rhs == 0) ok_ = false;  // malformed
      v = op->apply(v, rhs);
    }
    return v;
  }
  unsigned long Unary() {
    if (Eat("!")) return !Unary();
    Skip();
    if (Eat("(")) {
      unsigned long v = Ternary();
      if (!Eat(")")) ok_ = false;
      return v;
    }
    if (pos_ < s_.size() && s_[pos_] == 'n') {
      ++pos_;
      return n_;
    }
    if (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      unsigned long v = 0;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9')
        v = v * 10 + (s_[pos_++] - '0');
      return v;
    }
    ok_ = false;
    return 0;
  }

  const std::string& s_;
  unsigned long n_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// "...Plural-Forms: nplurals=2; plural=(n != 1);\n..." -> "(n != 1)"; "" when absent.
std::string PluralRuleOf(const std::string& header) {
  auto at = header.find("Plural-Forms:");
  if (at == std::string::npos) return "";
  auto rule = header.find("plural=", at);
  auto end = header.find_first_of(";\n", rule);
  if (rule == std::string::npos) return "";
  rule += 7;
  return header.substr(rule, end == std::string::npos ? std::string::npos : end - rule);
}

}  // namespace

std::optional<MoCatalog> MoCatalog::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return Parse(bytes.str());
}

std::optional<MoCatalog> MoCatalog::Parse(const std::string& bytes) {
  if (bytes.size() < 28) return std::nullopt;
  auto word_at = [&](size_t offset, bool swap, uint32_t& out) {
    if (offset + 4 > bytes.size()) return false;
    std::memcpy(&out, bytes.data() + offset, 4);
    if (swap) out = Swap(out);
    return true;
  };
  uint32_t magic = 0;
  word_at(0, false, magic);
  if (magic != kMagic && magic != kMagicSwapped) return std::nullopt;
  bool swap = magic == kMagicSwapped;
  uint32_t count = 0, originals = 0, translations = 0;
  word_at(8, swap, count);
  word_at(12, swap, originals);
  word_at(16, swap, translations);
  MoCatalog catalog;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t olen, ooff, tlen, toff;
    if (!word_at(originals + 8ull * i, swap, olen) ||
        !word_at(originals + 8ull * i + 4, swap, ooff) ||
        !word_at(translations + 8ull * i, swap, tlen) ||
        !word_at(translations + 8ull * i + 4, swap, toff))
      return std::nullopt;
    if (uint64_t{ooff} + olen > bytes.size() || uint64_t{toff} + tlen > bytes.size())
      return std::nullopt;
    std::string original(bytes.data() + ooff, olen);
    std::string translation(bytes.data() + toff, tlen);
    if (original.empty()) {  // the header entry
      if (std::string rule = PluralRuleOf(translation); !rule.empty()) catalog.plural_rule_ = rule;
      continue;
    }
    // Plural entries hold "singular\0plural" -> "form0\0form1\0...": keyed by the singular;
    // Lookup answers the first form, LookupPlural the one the rule picks.
    if (auto nul = original.find('\0'); nul != std::string::npos) {
      original.resize(nul);
      std::vector<std::string> forms;
      for (size_t start = 0;;) {
        size_t end = translation.find('\0', start);
        forms.push_back(translation.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
      }
      catalog.plurals_.emplace(original, std::move(forms));
      translation.resize(translation.find('\0'));
    }
    catalog.messages_.emplace(std::move(original), std::move(translation));
  }
  return catalog;
}

unsigned long MoCatalog::PluralIndex(unsigned long n) const {
  return PluralRule(plural_rule_, n).Evaluate();
}

const char* MoCatalog::LookupPlural(const std::string& msgid, unsigned long n) const {
  auto it = plurals_.find(msgid);
  if (it == plurals_.end()) return nullptr;
  unsigned long index = PluralIndex(n);
  if (index >= it->second.size() || it->second[index].empty()) return nullptr;
  return it->second[index].c_str();
}

const char* MoCatalog::Lookup(const std::string& msgid) const {
  auto it = messages_.find(msgid);
  if (it == messages_.end() || it->second.empty()) return nullptr;
  return it->second.c_str();
}

}  // namespace mano::client
