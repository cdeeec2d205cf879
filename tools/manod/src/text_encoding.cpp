#include "text_encoding.h"

#include <cstdio>
#include <stdexcept>

#include "mano/sync/json_util.h"

namespace mano::manod {

namespace {

constexpr const char* kHow =
    "; save it as UTF-8 (in Excel: \"CSV UTF-8\"), or convert it with iconv -f ";

// Windows-1252's characters for 0x80..0x9F (Latin-1 has control codes there); "" = unassigned.
constexpr const char* kCp1252High[32] = {"€", "",  "‚", "ƒ", "„", "…", "†", "‡", "ˆ", "‰", "Š",
                                         "‹", "Œ", "",  "Ž", "",  "",  "‘", "’", "“", "”", "•",
                                         "–", "—", "˜", "™", "š", "›", "œ", "",  "ž", "Ÿ"};

std::string Hex(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", b);
  return buf;
}

// The length a UTF-8 sequence led by `b` claims (1 for ASCII, 0 for a byte that leads none).
size_t LeadLength(unsigned char b) {
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

}  // namespace

std::optional<std::string> DescribeEncodingProblem(std::string_view text, size_t first_line) {
  auto starts = [&](std::string_view mark) { return text.substr(0, mark.size()) == mark; };
  const std::string at = "line " + std::to_string(first_line) + ": not UTF-8: ";
  if (starts(std::string_view("\xFF\xFE\0\0", 4)) || starts(std::string_view("\0\0\xFE\xFF", 4))) {
    return at + "the file is UTF-32 (it starts with a UTF-32 byte order mark)" + kHow +
           "UTF-32 -t UTF-8";
  }
  if (starts("\xFF\xFE") || starts("\xFE\xFF")) {
    return at + "the file is UTF-16 (" +
           (starts("\xFF\xFE") ? "little-endian, byte order mark FF FE"
                               : "big-endian, byte order mark FE FF") +
           ", as Excel's \"Unicode text\" writes)" + kHow + "UTF-16 -t UTF-8";
  }
  size_t line = first_line;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == '\n') ++line;
    if (b == 0) {
      return "line " + std::to_string(line) +
             ": not UTF-8: a NUL byte (the file looks like UTF-16 without a byte order mark)" +
             kHow + "UTF-16LE -t UTF-8";
    }
    const size_t n = LeadLength(b);
    if (n == 1 || (n > 1 && sync::IsValidUtf8(text.substr(i, n)))) {
      i += n;
      continue;
    }
    std::string seen;
    if (b >= 0xA0) {
      // Latin-1 and Windows-1252 agree from 0xA0: U+00A0..U+00FF.
      seen = std::string("\"") + static_cast<char>(0xC0 | (b >> 6)) +
             static_cast<char>(0x80 | (b & 0x3F)) + "\" in Windows-1252 or Latin-1 (ISO-8859-1)";
    } else if (b >= 0x80 && *kCp1252High[b - 0x80]) {
      seen = std::string("\"") + kCp1252High[b - 0x80] + "\" in Windows-1252";
    } else {
      seen = "no character of Windows-1252 or Latin-1 either";
    }
    return "line " + std::to_string(line) + ": not UTF-8: byte " + Hex(b) + " is " + seen +
           ", so the file looks like Windows-1252" + kHow + "WINDOWS-1252 -t UTF-8";
  }
  return std::nullopt;
}

void RequireUtf8(std::string_view text, const std::string& file, size_t first_line) {
  if (auto problem = DescribeEncodingProblem(text, first_line)) {
    throw std::runtime_error(file + " " + *problem);
  }
}

}  // namespace mano::manod
