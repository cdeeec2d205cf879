// ReadFileBytes: a whole file's bytes, for tests and their helpers; "" when it cannot be read
// (a test that needs the file checks what it got).
#pragma once

#include <fstream>
#include <iterator>
#include <string>

namespace mano::test {

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace mano::test
