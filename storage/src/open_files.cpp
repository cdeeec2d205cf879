#include "open_files.h"

#include <sys/stat.h>

#include <map>
#include <utility>

namespace mano::storage {
namespace {

std::mutex& Mutex() {
  static std::mutex m;
  return m;
}

// (device, inode) → number of open Stores. Guarded by Mutex().
std::map<std::pair<dev_t, ino_t>, int>& Held() {
  static std::map<std::pair<dev_t, ino_t>, int> held;
  return held;
}

}  // namespace

std::unique_lock<std::mutex> OpenFiles::Lock() { return std::unique_lock<std::mutex>(Mutex()); }

bool OpenFiles::IsHeld(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  return Held().count({st.st_dev, st.st_ino}) > 0;
}

OpenFiles::Registration::Registration(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return;
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  held_ = true;
  ++Held()[{dev_, ino_}];
}

OpenFiles::Registration::Registration(Registration&& other) noexcept
    : dev_(other.dev_), ino_(other.ino_), held_(std::exchange(other.held_, false)) {}

OpenFiles::Registration& OpenFiles::Registration::operator=(Registration&& other) noexcept {
  if (this != &other) {
    Release();
    dev_ = other.dev_;
    ino_ = other.ino_;
    held_ = std::exchange(other.held_, false);
  }
  return *this;
}

OpenFiles::Registration::~Registration() { Release(); }

void OpenFiles::Registration::Release() noexcept {
  if (!held_) return;
  held_ = false;
  std::lock_guard<std::mutex> lock(Mutex());
  auto it = Held().find({dev_, ino_});
  if (it != Held().end() && --it->second == 0) Held().erase(it);
}

}  // namespace mano::storage
