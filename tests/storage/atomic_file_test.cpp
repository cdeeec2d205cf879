#include "mano/storage/atomic_file.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "temp_dir.h"

namespace fs = std::filesystem;
using mano::storage::WriteFileAtomically;
using mano::test::TempDir;

namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int Entries(const std::string& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("WriteFileAtomically writes, replaces and leaves no temporary file", "[unit]") {
  TempDir dir;
  const std::string path = dir.path() + "/f";
  REQUIRE(WriteFileAtomically(path, "first"));
  CHECK(Read(path) == "first");
  REQUIRE(WriteFileAtomically(path, std::string(100000, 'x') + std::string(1, '\0')));
  CHECK(Read(path).size() == 100001);
  REQUIRE(WriteFileAtomically(path, ""));
  CHECK(Read(path).empty());
  CHECK(Entries(dir.path()) == 1);
}

TEST_CASE("WriteFileAtomically gives a new file the mode asked for", "[unit]") {
  TempDir dir;
  const mode_t old = umask(022);
  REQUIRE(WriteFileAtomically(dir.path() + "/private", "p"));
  REQUIRE(WriteFileAtomically(dir.path() + "/shared", "s", 0666));
  umask(old);
  struct stat st {};
  REQUIRE(stat((dir.path() + "/private").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(stat((dir.path() + "/shared").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
}

TEST_CASE("WriteFileAtomically fails with errno and keeps the old file when it cannot write",
          "[unit]") {
  TempDir dir;
  errno = 0;
  CHECK_FALSE(WriteFileAtomically(dir.path() + "/missing/f", "x"));
  CHECK(errno == ENOENT);
  // A folder in the way of the rename: the old name stays, the temporary file goes.
  fs::create_directory(dir.path() + "/d");
  std::ofstream(dir.path() + "/d/inside") << "keep";
  CHECK_FALSE(WriteFileAtomically(dir.path() + "/d", "x"));
  CHECK(fs::is_directory(dir.path() + "/d"));
  CHECK(Entries(dir.path()) == 1);
}
