// TextTable: an aligned plain-text table that fits a terminal width (80 columns by default).
// Widths are measured in terminal cells of UTF-8 text (accents, Arabic, CJK and emoji
// counted properly), so non-English content never breaks the alignment. When the natural
// width is too wide, columns marked shrinkable lose width first (widest first) and their
// cells are cut with "…". Thread-safe: a value type.
#pragma once

#include <string>
#include <vector>

#include "mano/client/utf8.h"

namespace mano::client {

// Cuts `text` to at most `width` cells, ending with "…" when something was cut: FitToWidth of
// mano/client/utf8.h, which also gives DisplayWidth (the one width model).
std::string TruncateToWidth(const std::string& text, int width);

class TextTable {
 public:
  enum class Align { kLeft, kRight };
  struct Column {
    std::string header;
    Align align = Align::kLeft;
    bool shrinkable = false;
    int min_width = 4;
  };

  explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}
  // Missing cells are empty; extra cells are ignored.
  void AddRow(std::vector<std::string> cells);
  // Lines joined by '\n' (with a final '\n'); columns separated by two spaces; no
  // trailing spaces. Every line is at most `width` cells when the shrinkable columns can
  // absorb the excess.
  std::string Render(int width = 80) const;

  // For tables too long to hold as cells (`mano list` of 10,000 rows): Measure() every
  // row, then RenderHeader() once and RenderRow() for each row. The lines are those
  // Render() gives for the same rows.
  void Measure(const std::vector<std::string>& cells);
  std::string RenderHeader(int width = 80);
  std::string RenderRow(std::vector<std::string> cells) const;

 private:
  // Column widths that fit `width`, from the widest cell of each column.
  std::vector<int> Fit(std::vector<int> natural, int width) const;
  std::string Line(const std::vector<std::string>& cells, const std::vector<int>& widths) const;
  std::vector<int> HeaderWidths() const;

  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<int> measured_;  // Measure(): widest cell per column so far
  std::vector<int> widths_;    // RenderHeader(): the widths chosen
};

}  // namespace mano::client
