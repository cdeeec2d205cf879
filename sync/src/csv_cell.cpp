#include "mano/sync/csv_cell.h"

namespace mano::sync {

namespace {

// "-?digits(.digits)?": a number, which no spreadsheet evaluates as a formula.
bool IsPlainNumber(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  auto digits = [](std::string_view d) {
    return !d.empty() && d.find_first_not_of("0123456789") == std::string_view::npos;
  };
  return digits(whole) && (dot == std::string_view::npos || digits(frac));
}

bool RunsAsFormula(std::string_view s) {
  if (s.empty()) return false;
  switch (s[0]) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return !IsPlainNumber(s);
    default:
      return false;
  }
}

}  // namespace

std::string SpreadsheetSafe(std::string_view text) {
  if (!RunsAsFormula(text)) return std::string(text);
  return "'" + std::string(text);
}

std::string CsvCell(std::string_view text) {
  std::string safe = SpreadsheetSafe(text);
  const bool guarded = safe.size() != text.size();
  if (!guarded && safe.find_first_of(",\"\r\n") == std::string::npos) return safe;
  std::string out = "\"";
  for (char c : safe) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace mano::sync
