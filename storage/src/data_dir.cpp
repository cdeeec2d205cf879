#include "mano/storage/data_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "mano/storage/store_error.h"

namespace mano::storage {

std::string ResolveDataDir(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) return explicit_dir;
  if (const char* home = std::getenv("MANO_HOME"); home && *home) return home;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/mano";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/mano";
}

void EnsurePrivateDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw StoreError(ec == std::errc::read_only_file_system || ec == std::errc::permission_denied
                         ? StoreError::Kind::kReadOnly
                         : StoreError::Kind::kIo,
                     "cannot create the data folder " + dir + ": " + ec.message(), dir);
  if (::chmod(dir.c_str(), 0700) != 0)
    throw StoreError(StoreError::Kind::kReadOnly,
                     "cannot set permissions of " + dir + ": " + std::strerror(errno), dir);
}

}  // namespace mano::storage
