// Checks that an operator's text file (a batch CSV, a JSONL task file, a template) is UTF-8
// and, when it is not, says what it looks like instead, so the operator knows what to convert:
// a UTF-16 or UTF-32 byte order mark, NUL bytes (UTF-16 without a mark), or a byte that reads
// as a Windows-1252 / Latin-1 character (what Excel's plain "CSV" and old Windows tools write).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mano::manod {

// nullopt for UTF-8 text (a UTF-8 byte order mark is fine); otherwise "line N: not UTF-8: ..."
// naming the encoding found and how to convert it. `first_line` numbers the text's first line.
std::optional<std::string> DescribeEncodingProblem(std::string_view text, size_t first_line = 1);

// Throws std::runtime_error("<file> line N: not UTF-8: ...") when the text is not UTF-8.
void RequireUtf8(std::string_view text, const std::string& file, size_t first_line = 1);

}  // namespace mano::manod
