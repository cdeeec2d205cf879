// Fuzz target: the terminal UI's image loader (client/src/ui/image_loader.cpp), which reads
// asset files a task brings (PNG and JPEG). Input: the file's bytes. Invariants: DecodeImage never
// throws or crashes; pixels come only with no problem, exactly width x height x 4 bytes of them and
// never more than kMaxImagePixels; the picture drawn from them fits the space asked for.
#include <fstream>
#include <sstream>
#include <string>

#include "fuzz_target.h"
#include "mano/client/ui/image_loader.h"
#include "mano/client/ui/image_view.h"

using namespace mano::client::ui;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ImageResult r = DecodeImage(bytes);
  if (r.problem != ImageProblem::kNone) {
    FUZZ_CHECK(r.image.rgba.empty());
    return 0;
  }
  FUZZ_CHECK(r.image.width > 0 && r.image.height > 0);
  FUZZ_CHECK(r.image.width * r.image.height <= kMaxImagePixels);
  FUZZ_CHECK(r.image.rgba.size() == static_cast<size_t>(r.image.width * r.image.height * 4));
  if (r.image.width * r.image.height <= 4096) {  // drawing big ones only slows the search
    Picture p = RenderPicture(r.image, 20, 6);
    FUZZ_CHECK(p.cols >= 1 && p.cols <= 20 && p.rows >= 1 && p.rows <= 6);
  }
  return 0;
}

std::vector<std::string> FuzzSeeds() {
  std::string tasks = MANO_SAMPLE_TASKS;
  std::string dir = tasks.substr(0, tasks.rfind('/'));
  auto read = [&](const std::string& name) {
    std::ifstream in(dir + "/assets/" + name, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  };
  std::string street = read("street.png");
  std::string jpeg = read("street.jpg");
  return {street,
          street.substr(0, street.size() / 2),
          street.substr(0, 33),
          std::string("\x89PNG\r\n\x1a\n", 8),
          jpeg,
          jpeg.substr(0, jpeg.size() / 2),
          jpeg.substr(0, 200),
          std::string("\xff\xd8\xff", 3)};
}
