#include "file_util.h"

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

}  // namespace mano::manod
