#include "mano/client/ui/image_loader.h"

#include <png.h>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>

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

// libjpeg reports a fatal error by calling error_exit, which must not return: it jumps back
// to DecodeJpeg's setjmp. The jmp_buf sits beside libjpeg's error manager so the handler
// finds it from the pointer libjpeg gives.
struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
};

[[noreturn]] void JpegErrorExit(j_common_ptr cinfo) {
  std::longjmp(reinterpret_cast<JpegError*>(cinfo->err)->jump, 1);
}
void JpegQuiet(j_common_ptr) {}  // libjpeg would print warnings on stderr, under curses

bool Allocate(std::vector<uint8_t>& pixels, size_t bytes) {
  try {
    pixels.resize(bytes);
    return true;
  } catch (const std::bad_alloc&) {
    return false;
  }
}

// Working memory libjpeg may take beyond the output pixels (progressive files buffer the whole
// image's coefficients): more is "damaged", not a bigger heap.
constexpr long kMaxJpegWorkBytes = 96L * 1024 * 1024;

// Decodes a JPEG into `rgba` (in the caller's frame). Between setjmp and the jumps that
// come back to it, this frame holds no object with a destructor: only libjpeg's C structs
// and plain values, so a longjmp skips nothing that needed to run. A header over
// kMaxImagePixels is refused before any pixel memory; a warning (a truncated or corrupt
// stream, which libjpeg would pad with grey) counts as damaged.
ImageProblem DecodeJpeg(const unsigned char* data, size_t size, std::vector<uint8_t>& rgba,
                        int64_t& width, int64_t& height) {
  jpeg_decompress_struct cinfo;
  JpegError error;
  cinfo.err = jpeg_std_error(&error.mgr);
  error.mgr.error_exit = JpegErrorExit;
  error.mgr.output_message = JpegQuiet;
  volatile bool created = false;
  if (setjmp(error.jump) != 0) {
    if (created) jpeg_destroy_decompress(&cinfo);
    return ImageProblem::kDamaged;
  }
  jpeg_create_decompress(&cinfo);
  created = true;
  cinfo.mem->max_memory_to_use = kMaxJpegWorkBytes;
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  int64_t w = cinfo.image_width, h = cinfo.image_height;
  ImageProblem problem = ImageProblem::kNone;
  if (w <= 0 || h <= 0 || w * h > kMaxImagePixels) {
    problem = ImageProblem::kTooManyPixels;
  } else if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
    problem = ImageProblem::kNotSupported;  // print files; libjpeg-turbo has no RGBA for them
  }
  if (problem != ImageProblem::kNone) {
    jpeg_destroy_decompress(&cinfo);
    return problem;
  }
  cinfo.out_color_space = JCS_EXT_RGBA;
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_width != w || cinfo.output_height != h || cinfo.output_components != 4 ||
      !Allocate(rgba, static_cast<size_t>(w * h * 4))) {
    jpeg_destroy_decompress(&cinfo);
    return ImageProblem::kDamaged;
  }
  // The first warning (a truncated stream) ends the decoding: the file is damaged anyway.
  while (cinfo.output_scanline < cinfo.output_height && error.mgr.num_warnings == 0) {
    JSAMPROW row =
        rgba.data() + static_cast<size_t>(cinfo.output_scanline) * static_cast<size_t>(w) * 4;
    if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) break;
  }
  bool complete = cinfo.output_scanline == cinfo.output_height && error.mgr.num_warnings == 0;
  if (complete) jpeg_finish_decompress(&cinfo);
  complete = complete && error.mgr.num_warnings == 0;
  jpeg_destroy_decompress(&cinfo);
  if (!complete) return ImageProblem::kDamaged;
  width = w;
  height = h;
  return ImageProblem::kNone;
}

}  // namespace

ImageResult DecodeImage(std::string_view bytes) {
  ImageResult out;
  if (static_cast<int64_t>(bytes.size()) > kMaxImageBytes) {
    out.problem = ImageProblem::kFileTooLarge;
    return out;
  }
  static const unsigned char kJpegStart[3] = {0xff, 0xd8, 0xff};
  if (bytes.size() >= sizeof kJpegStart && std::memcmp(bytes.data(), kJpegStart, 3) == 0) {
    std::vector<uint8_t> rgba;
    int64_t w = 0, h = 0;
    out.problem =
        DecodeJpeg(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), rgba, w, h);
    if (out.problem == ImageProblem::kNone) {
      out.image.width = w;
      out.image.height = h;
      out.image.rgba = std::move(rgba);
    }
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
