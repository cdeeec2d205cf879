#include "mano/client/ui/image_loader.h"

#include <png.h>

#include <cstring>
#include <fstream>
#include <memory>

namespace mano::client::ui {
namespace {

struct PngImage {
  png_image image;
  PngImage() {
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
  }
  ~PngImage() { png_image_free(&image); }
  PngImage(const PngImage&) = delete;
  PngImage& operator=(const PngImage&) = delete;
};

}  // namespace

ImageResult DecodeImage(std::string_view bytes) {
  ImageResult out;
  if (static_cast<int64_t>(bytes.size()) > kMaxImageBytes) {
    out.problem = ImageProblem::kFileTooLarge;
    return out;
  }
  static const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() < sizeof kSignature || std::memcmp(bytes.data(), kSignature, 8) != 0) {
    out.problem = ImageProblem::kNotSupported;
    return out;
  }
  PngImage png;
  // The header alone: the size is checked before any pixel memory is taken.
  if (!png_image_begin_read_from_memory(&png.image, bytes.data(), bytes.size())) {
    out.problem = ImageProblem::kDamaged;
    return out;
  }
  int64_t w = png.image.width, h = png.image.height;
  if (w <= 0 || h <= 0 || w * h > kMaxImagePixels) {
    out.problem = ImageProblem::kTooManyPixels;
    return out;
  }
  png.image.format = PNG_FORMAT_RGBA;
  std::vector<uint8_t> rgba(static_cast<size_t>(w * h * 4));
  if (!png_image_finish_read(&png.image, nullptr, rgba.data(), 0, nullptr)) {
    out.problem = ImageProblem::kDamaged;
    return out;
  }
  out.image.width = w;
  out.image.height = h;
  out.image.rgba = std::move(rgba);
  return out;
}

ImageResult LoadImage(const std::string& path) {
  ImageResult out;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    out.problem = ImageProblem::kUnreadable;
    return out;
  }
  std::streamoff size = in.tellg();
  if (size < 0) {
    out.problem = ImageProblem::kUnreadable;
    return out;
  }
  if (size > kMaxImageBytes) {
    out.problem = ImageProblem::kFileTooLarge;
    return out;
  }
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) {
    out.problem = ImageProblem::kUnreadable;
    return out;
  }
  return DecodeImage(bytes);
}

}  // namespace mano::client::ui
