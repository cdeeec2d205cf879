#include "mano/client/utf8.h"

#include <utf8proc.h>

namespace mano::client {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool IsRegionalIndicator(char32_t cp) { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }

}  // namespace

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n =
        utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (n <= 0) {
      out.push_back(kReplacement);
      ++i;  // resynchronise on the next byte
      continue;
    }
    out.push_back(static_cast<char32_t>(cp));
    i += static_cast<size_t>(n);
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t cp) {
  utf8proc_uint8_t bytes[4];
  const utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), bytes);
  out.append(reinterpret_cast<const char*>(bytes), static_cast<size_t>(n));
}

std::string EncodeUtf8(char32_t cp) {
  std::string out;
  AppendUtf8(out, cp);
  return out;
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) AppendUtf8(out, cp);
  return out;
}

int CodePointWidth(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 1;
  return utf8proc_charwidth(static_cast<utf8proc_int32_t>(cp));
}

std::vector<size_t> GraphemeBoundaries(std::u32string_view text) {
  std::vector<size_t> b;
  utf8proc_int32_t state = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 0 || utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(text[i - 1]),
                                                   static_cast<utf8proc_int32_t>(text[i]), &state))
      b.push_back(i);
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
  // Ends the line being built as it is and starts an empty one.
  auto end_line = [&] {
    lines.push_back(EncodeUtf8(line));
    line.clear();
    line_w = 0;
    last_space = std::u32string::npos;
  };
  for (size_t i = 0; i + 1 < b.size(); ++i) {
    auto g = v.substr(b[i], b[i + 1] - b[i]);
    if (g[0] == U'\n') {
      end_line();
      continue;
    }
    int gw = GraphemeWidth(g);
    if (line_w + gw > width) {
      if (g[0] == U' ') {  // a space that does not fit is the break itself
        end_line();
        continue;
      }
      if (last_space != std::u32string::npos && last_space > 0) {
        std::u32string rest = line.substr(last_space);
        std::u32string head = line.substr(0, last_space);
        while (!head.empty() && head.back() == U' ') head.pop_back();
        lines.push_back(EncodeUtf8(head));
        line = rest;
        line_w -= width_at_space;
        last_space = std::u32string::npos;
      } else {
        end_line();
      }
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

}  // namespace mano::client
