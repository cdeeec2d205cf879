#include "mano/client/text_table.h"

#include <algorithm>

#include "mano/client/terminal_text.h"
#include "mano/client/utf8.h"

namespace mano::client {
std::string TruncateToWidth(const std::string& text, int width) { return FitToWidth(text, width); }

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
