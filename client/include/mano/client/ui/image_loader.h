// DecodeImage / LoadImage: an asset image file decoded defensively into RGBA pixels for
// the terminal picture (image_view.h). PNG is decoded with libpng's simplified API
// (Debian's libpng-dev), JPEG with libjpeg-turbo (libjpeg62-turbo-dev; its setjmp error
// manager is kept in one function whose frame holds no C++ object with a destructor, and its
// warnings, which a truncated stream raises, count as damage); chafa itself decodes no
// files, and GdkPixbuf would pull a loader framework the UI does not need. A file that is
// too big, is neither format, is damaged or truncated, or claims more than kMaxImagePixels
// (a 60000x60000 header, checked from the header before any pixel memory) gives a problem
// code and no pixels: memory stays bounded by kMaxImageBytes for the file plus 4 bytes per
// allowed pixel (and, for JPEG, at most 96 MB of libjpeg's working memory). Never throws.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mano::client::ui {

inline constexpr int64_t kMaxImageBytes = 32 * 1024 * 1024;
inline constexpr int64_t kMaxImagePixels = 16 * 1024 * 1024;  // 64 MB as RGBA at most

struct Image {
  int64_t width = 0, height = 0;
  std::vector<uint8_t> rgba;  // width * height * 4 bytes, rows top to bottom
};

enum class ImageProblem {
  kNone,
  kUnreadable,     // the file cannot be opened or read
  kFileTooLarge,   // more than kMaxImageBytes
  kNotSupported,   // neither PNG nor JPEG (or a CMYK JPEG)
  kTooManyPixels,  // width x height over kMaxImagePixels (or zero)
  kDamaged,        // a PNG or JPEG that does not decode (bad data, truncated)
};

struct ImageResult {
  Image image;
  ImageProblem problem = ImageProblem::kNone;
};

ImageResult DecodeImage(std::string_view bytes);
ImageResult LoadImage(const std::string& path);

}  // namespace mano::client::ui
