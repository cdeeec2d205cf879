#include "file_util.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mano::manod {

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string RootOf(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(path).parent_path();
  std::error_code ec;
  fs::path root = fs::canonical(dir.empty() ? fs::path(".") : dir, ec);
  if (ec) throw std::runtime_error("cannot read the folder of " + path + ": " + ec.message());
  return root.string();
}

bool Inside(const std::filesystem::path& root, const std::filesystem::path& p) {
  auto [r, q] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return r == root.end() && q != p.end();
}

}  // namespace mano::manod
