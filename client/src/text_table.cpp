#include "mano/client/text_table.h"

#include <algorithm>
#include <cwchar>

#include "mano/client/terminal_text.h"

namespace mano::client {
namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length (1 for an invalid byte).
size_t DecodeOne(const std::string& s, size_t i, char32_t& cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    cp = 0xFFFD;
    return 1;
  }
  cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc >> 6) != 2) {
      cp = 0xFFFD;
      return 1;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  return len;
}

// Cells of one code point without depending on the process locale for the common cases.
int CellWidth(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
  if (cp < 0x300) return 1;
  if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x610 && cp <= 0x61A) ||
      (cp >= 0x64B && cp <= 0x65F) || cp == 0x670 || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
      (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) || cp == 0x200B ||
      cp == 0x200C || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F))
    return 0;
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
      (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
    return 2;
  int w = ::wcwidth(static_cast<wchar_t>(cp));
  return w < 0 ? 1 : w;
}

}  // namespace

int DisplayWidth(const std::string& text) {
  int width = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    i += DecodeOne(text, i, cp);
    width += CellWidth(cp);
  }
  return width;
}

std::string TruncateToWidth(const std::string& text, int width) {
  if (DisplayWidth(text) <= width) return text;
  if (width <= 0) return "";
  std::string out;
  int used = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    size_t len = DecodeOne(text, i, cp);
    int w = CellWidth(cp);
    if (used + w > width - 1) break;
    out.append(text, i, len);
    used += w;
    i += len;
  }
  return out + "\u2026";
}

namespace {

// Cells hold text from servers: cleaned for the terminal, one line each (tabs and line
// breaks would break the alignment).
void Flatten(std::vector<std::string>& cells, size_t n) {
  cells.resize(n);
  for (auto& cell : cells) cell = TerminalSafe(cell, LineBreaks::kFlatten);
}

}  // namespace

void TextTable::AddRow(std::vector<std::string> cells) {
  Flatten(cells, columns_.size());
  rows_.push_back(std::move(cells));
}

std::vector<int> TextTable::HeaderWidths() const {
  std::vector<int> widths;
  for (const auto& col : columns_) widths.push_back(DisplayWidth(col.header));
  return widths;
}

std::vector<int> TextTable::Fit(std::vector<int> widths, int width) const {
  const size_t n = columns_.size();
  auto total = [&] {
    int sum = n ? static_cast<int>(2 * (n - 1)) : 0;
    for (int w : widths) sum += w;
    return sum;
  };
  while (total() > width) {
    // Take one cell from the widest shrinkable column still above its minimum.
    int best = -1;
    for (size_t c = 0; c < n; ++c)
      if (columns_[c].shrinkable && widths[c] > columns_[c].min_width &&
          (best < 0 || widths[c] > widths[static_cast<size_t>(best)]))
        best = static_cast<int>(c);
    if (best < 0) break;
    --widths[static_cast<size_t>(best)];
  }
  return widths;
}

std::string TextTable::Line(const std::vector<std::string>& cells,
                            const std::vector<int>& widths) const {
  std::string out;
  for (size_t c = 0; c < columns_.size(); ++c) {
    std::string cell = TruncateToWidth(cells[c], widths[c]);
    int pad = widths[c] - DisplayWidth(cell);
    if (c) out += "  ";
    if (columns_[c].align == Align::kRight) out += std::string(static_cast<size_t>(pad), ' ');
    out += cell;
    if (columns_[c].align == Align::kLeft) out += std::string(static_cast<size_t>(pad), ' ');
  }
  out.erase(out.find_last_not_of(' ') + 1);
  return out + "\n";
}

std::string TextTable::Render(int width) const {
  std::vector<int> natural = HeaderWidths();
  for (size_t c = 0; c < columns_.size(); ++c)
    for (const auto& row : rows_) natural[c] = std::max(natural[c], DisplayWidth(row[c]));
  std::vector<int> widths = Fit(std::move(natural), width);
  std::vector<std::string> headers;
  for (const auto& col : columns_) headers.push_back(col.header);
  std::string out = Line(headers, widths);
  for (const auto& row : rows_) out += Line(row, widths);
  return out;
}

void TextTable::Measure(const std::vector<std::string>& cells) {
  if (measured_.empty()) measured_ = HeaderWidths();
  std::vector<std::string> flat = cells;
  Flatten(flat, columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c)
    measured_[c] = std::max(measured_[c], DisplayWidth(flat[c]));
}

std::string TextTable::RenderHeader(int width) {
  widths_ = Fit(measured_.empty() ? HeaderWidths() : measured_, width);
  std::vector<std::string> headers;
  for (const auto& col : columns_) headers.push_back(col.header);
  return Line(headers, widths_);
}

std::string TextTable::RenderRow(std::vector<std::string> cells) const {
  Flatten(cells, columns_.size());
  return Line(cells, widths_);
}

}  // namespace mano::client
