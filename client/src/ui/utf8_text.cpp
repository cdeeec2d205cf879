#include "mano/client/ui/utf8_text.h"

#include <cwchar>

namespace mano::client::ui {
namespace {

bool IsRegionalIndicator(char32_t cp) { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }

}  // namespace

bool IsExtender(char32_t cp) {
  if (cp == 0x200D || cp == 0x200C) return true;    // ZWJ, ZWNJ
  if (cp >= 0xFE00 && cp <= 0xFE0F) return true;    // variation selectors
  if (cp >= 0x1F3FB && cp <= 0x1F3FF) return true;  // skin tones
  if (cp >= 0xE0020 && cp <= 0xE007F) return true;  // tags
  if (cp >= 0x0300 && cp <= 0x036F) return true;    // combining diacritics
  if (cp < 0x300) return false;
  int w = ::wcwidth(static_cast<wchar_t>(cp));
  return w == 0;
}

int CodePointWidth(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 1;
  if (IsExtender(cp)) return 0;
  int w = ::wcwidth(static_cast<wchar_t>(cp));
  if (w < 0) return 1;
  return w;
}

std::vector<size_t> GraphemeBoundaries(std::u32string_view text) {
  std::vector<size_t> b;
  size_t i = 0;
  while (i < text.size()) {
    b.push_back(i);
    char32_t base = text[i++];
    if (IsRegionalIndicator(base) && i < text.size() && IsRegionalIndicator(text[i])) ++i;
    while (i < text.size()) {
      if (text[i] == 0x200D && i + 1 < text.size()) {
        i += 2;  // ZWJ glues the next character on
      } else if (IsExtender(text[i])) {
        ++i;
      } else {
        break;
      }
    }
  }
  b.push_back(text.size());
  return b;
}

int GraphemeWidth(std::u32string_view g) {
  if (g.empty()) return 0;
  int w = CodePointWidth(g[0]);
  if (w == 0) w = 1;  // a lone combining mark still needs a cell
  for (char32_t cp : g.substr(1)) {
    if (cp == 0xFE0F) w = 2;  // emoji presentation
  }
  if (g.size() >= 2 && IsRegionalIndicator(g[0]) && IsRegionalIndicator(g[1])) w = 2;
  return w;
}

int DisplayWidth(std::string_view text) {
  std::u32string cps = DecodeUtf8(text);
  auto b = GraphemeBoundaries(cps);
  int w = 0;
  for (size_t i = 0; i + 1 < b.size(); ++i) {
    w += GraphemeWidth(std::u32string_view(cps).substr(b[i], b[i + 1] - b[i]));
  }
  return w;
}

std::string FitToWidth(std::string_view text, int width, bool ellipsis) {
  if (width <= 0) return {};
  std::u32string cps = DecodeUtf8(text);
  auto b = GraphemeBoundaries(cps);
  std::u32string_view v(cps);
  int total = 0;
  for (size_t i = 0; i + 1 < b.size(); ++i) total += GraphemeWidth(v.substr(b[i], b[i + 1] - b[i]));
  int limit = (total > width && ellipsis) ? width - 1 : width;
  std::u32string out;
  int used = 0;
  for (size_t i = 0; i + 1 < b.size(); ++i) {
    auto g = v.substr(b[i], b[i + 1] - b[i]);
    int gw = GraphemeWidth(g);
    if (used + gw > limit) break;
    out += g;
    used += gw;
  }
  std::string result = EncodeUtf8(out);
  if (total > width && ellipsis) result += "\u2026";
  return result;
}

std::string PadToWidth(std::string_view text, int width) {
  std::string out = FitToWidth(text, width);
  int w = DisplayWidth(out);
  if (w < width) out.append(static_cast<size_t>(width - w), ' ');
  return out;
}

std::vector<std::string> WrapText(std::string_view text, int width) {
  std::vector<std::string> lines;
  if (width <= 0) return lines;
  std::u32string cps = DecodeUtf8(text);
  std::u32string_view v(cps);
  auto b = GraphemeBoundaries(cps);
  std::u32string line;
  int line_w = 0;
  size_t last_space = std::u32string::npos;  // index in `line` after the last space
  int width_at_space = 0;
  for (size_t i = 0; i + 1 < b.size(); ++i) {
    auto g = v.substr(b[i], b[i + 1] - b[i]);
    if (g[0] == U'\n') {
      lines.push_back(EncodeUtf8(line));
      line.clear();
      line_w = 0;
      last_space = std::u32string::npos;
      continue;
    }
    int gw = GraphemeWidth(g);
    if (line_w + gw > width) {
      if (g[0] == U' ') {
        lines.push_back(EncodeUtf8(line));
        line.clear();
        line_w = 0;
        last_space = std::u32string::npos;
        continue;
      }
      if (last_space != std::u32string::npos && last_space > 0) {
        std::u32string rest = line.substr(last_space);
        std::u32string head = line.substr(0, last_space);
        while (!head.empty() && head.back() == U' ') head.pop_back();
        lines.push_back(EncodeUtf8(head));
        line = rest;
        line_w -= width_at_space;
      } else {
        lines.push_back(EncodeUtf8(line));
        line.clear();
        line_w = 0;
      }
      last_space = std::u32string::npos;
    }
    line += g;
    line_w += gw;
    if (g[0] == U' ') {
      last_space = line.size();
      width_at_space = line_w;
    }
  }
  if (!line.empty() || lines.empty()) lines.push_back(EncodeUtf8(line));
  return lines;
}

}  // namespace mano::client::ui
