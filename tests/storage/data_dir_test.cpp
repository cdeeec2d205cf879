#include "mano/storage/data_dir.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "mano/storage/store_error.h"
#include "store_fixtures.h"

using namespace mano::storage;

namespace {

// Sets (or clears, for nullptr) an environment variable for one scope.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~EnvVar() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("ResolveDataDir: flag, then MANO_HOME, then XDG_DATA_HOME, then HOME", "[unit]") {
  EnvVar home("HOME", "/home/w");
  EnvVar xdg("XDG_DATA_HOME", nullptr);
  EnvVar mano("MANO_HOME", nullptr);
  CHECK(ResolveDataDir("") == "/home/w/.local/share/mano");
  {
    EnvVar x("XDG_DATA_HOME", "/xdg");
    CHECK(ResolveDataDir("") == "/xdg/mano");
    EnvVar m("MANO_HOME", "/mano-home");
    CHECK(ResolveDataDir("") == "/mano-home");
    CHECK(ResolveDataDir("/flag") == "/flag");
  }
}

TEST_CASE("EnsurePrivateDir creates the folder 0700", "[unit]") {
  mano::storage::test::TempDir tmp;
  std::string dir = tmp.File("a/b");
  EnsurePrivateDir(dir);
  struct stat st;
  REQUIRE(stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK_THROWS_AS(EnsurePrivateDir("/proc/mano-cannot-exist/x"), StoreError);
}
