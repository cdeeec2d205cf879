// TempDir: a fresh private folder for one test (mkdtemp under $TMPDIR, else /tmp, so tests
// run in parallel never share one), removed with everything in it when the object goes
// out of scope, unless MANO_KEEP_TMP=1 is set (then its path is printed on stderr, for
// post-mortems). Not copyable or movable: the folder lives exactly as long as its scope.
// The test processes (ManodProcess, PostgresProcess, ManoRunner) keep their files in one.
// Not thread-safe; one per test.
#pragma once

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace mano::test {

class TempDir {
 public:
  // `prefix` names the folder (<tmp>/<prefix>-XXXXXX) so a left-over one tells whose it is.
  explicit TempDir(const std::string& prefix = "mano-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed for " + tmpl);
    path_ = tmpl;
  }
  ~TempDir() {
    const char* keep = std::getenv("MANO_KEEP_TMP");
    if (keep && std::string(keep) == "1") {
      std::fprintf(stderr, "kept %s\n", path_.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // <path>/<name>
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace mano::test
