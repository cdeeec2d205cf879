// The image loader against hostile files (a 60000x60000 header, truncated, not a PNG) and
// the sample street.png drawn with chafa, compared with tests/client/ui/expected/ (set
// MANO_UPDATE_EXPECTED=1 to rewrite it).
#include "mano/client/ui/image_view.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mano/client/ui/image_loader.h"

using namespace mano::client::ui;

namespace {

std::string Source() {
  const char* s = std::getenv("MANO_SOURCE_DIR");
  REQUIRE(s);
  return s;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

uint32_t Crc32(std::string_view bytes) {
  uint32_t crc = 0xffffffffu;
  for (unsigned char b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void PutBig(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}

std::string Street() { return ReadFile(Source() + "/tools/manod/samples/assets/street.png"); }

}  // namespace

TEST_CASE("image: the sample PNG decodes to its size", "[ui][image]") {
  ImageResult r = LoadImage(Source() + "/tools/manod/samples/assets/street.png");
  REQUIRE(r.problem == ImageProblem::kNone);
  CHECK(r.image.width == 64);
  CHECK(r.image.height == 48);
  CHECK(r.image.rgba.size() == 64u * 48u * 4u);
}

TEST_CASE("image: a 60000x60000 header is refused before any pixel memory", "[ui][image]") {
  std::string png = Street();
  REQUIRE(png.substr(12, 4) == "IHDR");
  PutBig(png, 16, 60000);
  PutBig(png, 20, 60000);
  PutBig(png, 29, Crc32(std::string_view(png).substr(12, 17)));  // a valid chunk
  ImageResult r = DecodeImage(png);
  CHECK(r.problem == ImageProblem::kTooManyPixels);
  CHECK(r.image.rgba.empty());
}

TEST_CASE("image: truncated, damaged and foreign files give a problem, not pixels", "[ui][image]") {
  std::string png = Street();
  CHECK(DecodeImage(png.substr(0, png.size() / 2)).problem == ImageProblem::kDamaged);
  std::string bad = png;
  bad[14] = 'X';  // "IHXR": the header chunk is gone
  CHECK(DecodeImage(bad).problem == ImageProblem::kDamaged);
  CHECK(DecodeImage("GIF89a\x01\x00\x01\x00").problem == ImageProblem::kNotSupported);
  CHECK(DecodeImage("").problem == ImageProblem::kNotSupported);
  CHECK(LoadImage("/nonexistent/street.png").problem == ImageProblem::kUnreadable);
}

TEST_CASE("image: street.png drawn with chafa in the 80x24 layout's space", "[ui][image]") {
  ImageResult r = DecodeImage(Street());
  REQUIRE(r.problem == ImageProblem::kNone);
  Picture p = RenderPicture(r.image, 75, 9);
  CHECK(p.rows == 9);
  CHECK(p.cols == 24);  // 64x48 with cells twice as tall as wide
  std::string text;
  for (const auto& row : p.cells) {
    for (const auto& cell : row) text += cell;
    text += '\n';
  }
  std::string path = Source() + "/tests/client/ui/expected/street_75x9.txt";
  if (const char* u = std::getenv("MANO_UPDATE_EXPECTED"); u && std::string(u) == "1") {
    std::ofstream(path) << text;
  }
  INFO(text);
  CHECK(text == ReadFile(path));
  CHECK(RenderPicture(r.image, 0, 9).cells.empty());
}
