// The image loader against hostile files (a 60000x60000 header, truncated, not a PNG; the
// same for JPEG) and the samples street.png and street.jpg drawn with chafa, compared with
// tests/client/ui/expected/ (set MANO_UPDATE_EXPECTED=1 to rewrite them).
#include "mano/client/ui/image_view.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "file_bytes.h"
#include "mano/client/ui/image_loader.h"

using namespace mano::client::ui;

namespace {

std::string Source() {
  const char* s = std::getenv("MANO_SOURCE_DIR");
  REQUIRE(s);
  return s;
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

std::string Street() {
  return mano::test::ReadFileBytes(Source() + "/tools/manod/samples/assets/street.png");
}
// The same picture as a baseline JPEG (quality 85, made from street.png with libjpeg-turbo).
std::string StreetJpeg() {
  return mano::test::ReadFileBytes(Source() + "/tools/manod/samples/assets/street.jpg");
}

std::string PictureText(const Picture& p) {
  std::string text;
  for (const auto& row : p.cells) {
    for (const auto& cell : row) text += cell;
    text += '\n';
  }
  return text;
}

void CompareExpected(const std::string& name, const std::string& text) {
  std::string path = Source() + "/tests/client/ui/expected/" + name;
  if (const char* u = std::getenv("MANO_UPDATE_EXPECTED"); u && std::string(u) == "1") {
    std::ofstream(path) << text;
  }
  INFO(text);
  CHECK(text == mano::test::ReadFileBytes(path));
}

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
  CompareExpected("street_75x9.txt", PictureText(p));
  CHECK(RenderPicture(r.image, 0, 9).cells.empty());
}

TEST_CASE("image: the sample JPEG decodes and draws like its PNG", "[ui][image][jpeg]") {
  ImageResult r = DecodeImage(StreetJpeg());
  REQUIRE(r.problem == ImageProblem::kNone);
  CHECK(r.image.width == 64);
  CHECK(r.image.height == 48);
  CHECK(r.image.rgba.size() == 64u * 48u * 4u);
  CHECK(r.image.rgba[3] == 255);  // opaque
  Picture p = RenderPicture(r.image, 75, 9);
  CHECK(p.cols == 24);
  CHECK(p.rows == 9);
  CompareExpected("street_jpeg_75x9.txt", PictureText(p));
}

TEST_CASE("image: hostile JPEGs give a problem, not pixels", "[ui][image][jpeg]") {
  std::string jpeg = StreetJpeg();
  // A 60000x60000 frame header: refused from the header, before any pixel memory.
  size_t sof = jpeg.find("\xff\xc0");
  REQUIRE(sof != std::string::npos);
  std::string huge = jpeg;
  huge.replace(sof + 5, 4, "\xea\x60\xea\x60");
  ImageResult r = DecodeImage(huge);
  CHECK(r.problem == ImageProblem::kTooManyPixels);
  CHECK(r.image.rgba.empty());
  // Truncated (libjpeg would pad it with grey and warn): damaged.
  CHECK(DecodeImage(jpeg.substr(0, jpeg.size() / 2)).problem == ImageProblem::kDamaged);
  CHECK(DecodeImage(jpeg.substr(0, sof)).problem == ImageProblem::kDamaged);
  // Corrupt tables, a zero-sized frame, and nothing but the start marker.
  std::string bad = jpeg;
  bad.replace(sof + 5, 4, std::string(4, '\0'));
  CHECK(DecodeImage(bad).problem != ImageProblem::kNone);
  CHECK(DecodeImage(std::string("\xff\xd8\xff", 3)).problem == ImageProblem::kDamaged);
  std::string garbage = jpeg.substr(0, 20) + std::string(200, '\x5a');
  CHECK(DecodeImage(garbage).problem == ImageProblem::kDamaged);
}

TEST_CASE("image: pixels (sixel, kitty) only where chafa finds the terminal draws them",
          "[ui][image][pixels]") {
  auto mode = [](const std::string& setting, std::vector<std::string> env) {
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    return ChoosePixelMode(setting, envp.data());
  };
  CHECK(mode("auto", {"TERM=linux"}) == PixelMode::kSymbols);
  CHECK(mode("auto", {"TERM=xterm-256color"}) == PixelMode::kSymbols);
  CHECK(mode("auto", {"TERM=vt100"}) == PixelMode::kSymbols);
  CHECK(mode("auto", {"TERM=some-unknown-terminal"}) == PixelMode::kSymbols);
  CHECK(mode("auto", {}) == PixelMode::kSymbols);
  CHECK(mode("auto", {"TERM=xterm-kitty"}) == PixelMode::kKitty);
  CHECK(mode("", {"TERM=foot"}) == PixelMode::kSixel);
  CHECK(mode("auto", {"TERM=xterm-256color", "TERM_PROGRAM=WezTerm"}) == PixelMode::kSixel);
  CHECK(mode("auto", {"TERM=xterm-kitty", "NO_COLOR=1"}) == PixelMode::kSymbols);
  // The config forces a mode, either way.
  CHECK(mode("symbols", {"TERM=xterm-kitty"}) == PixelMode::kSymbols);
  CHECK(mode("kitty", {"TERM=linux"}) == PixelMode::kKitty);
  CHECK(mode("sixel", {"TERM=xterm-256color"}) == PixelMode::kSixel);
}

TEST_CASE("image: the sample drawn as sixel and kitty sequences", "[ui][image][pixels]") {
  ImageResult r = DecodeImage(Street());
  REQUIRE(r.problem == ImageProblem::kNone);
  std::string sixel = RenderPixels(r.image, 24, 9, PixelMode::kSixel, 10, 20);
  CHECK(sixel.rfind("\x1bP", 0) == 0);  // DCS ... q: sixel data
  CHECK(sixel.find("q") != std::string::npos);
  CHECK(sixel.substr(sixel.size() - 2) == "\x1b\\");  // ST
  std::string kitty = RenderPixels(r.image, 24, 9, PixelMode::kKitty, 10, 20);
  CHECK(kitty.rfind("\x1b_Ga=T,f=32,", 0) == 0);  // APC G: transmit and show RGBA
  CHECK(kitty.find("c=24,r=9") != std::string::npos);
  CHECK(RenderPixels(r.image, 24, 9, PixelMode::kSymbols, 10, 20).empty());
  CHECK(RenderPixels(Image{}, 24, 9, PixelMode::kKitty, 10, 20).empty());
  // A large image is scaled down to what the cells show before it is kept.
  Image small = ScaleDown(r.image, 32, 32);
  CHECK(small.width == 32);
  CHECK(small.height == 24);
  CHECK(small.rgba.size() == 32u * 24u * 4u);
  CHECK(ScaleDown(r.image, 640, 480).width == 64);  // never up
}
