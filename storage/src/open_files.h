// OpenFiles: which database files this process holds open through a Store.
//
// POSIX advisory locks belong to the process, and closing ANY descriptor of a file drops
// all of them. SQLite's own connections share one record per file, but a raw open()/
// close() of mano.db (to create it 0600, or to read its header before SQLite may touch
// it) while another Store of this process is open would silently drop that Store's
// locks; a second process closing its connection would then think it was the last user
// and delete the WAL, and every later save of the first Store would be lost.
// So raw access happens only for files no Store of this process holds, under one mutex
// that also serialises the opening of Stores. Internal to storage/. Thread-safe.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>

namespace mano::storage {

class OpenFiles {
 public:
  // Held for the whole of Store::OpenFile.
  static std::unique_lock<std::mutex> Lock();
  // True if a Store of this process holds `path` open (same device and inode).
  // Call with Lock() held.
  static bool IsHeld(const std::string& path);

  // One registration per open Store; releases it when destroyed.
  class Registration {
   public:
    Registration() = default;
    explicit Registration(const std::string& path);  // call with Lock() held
    Registration(Registration&& other) noexcept;
    Registration& operator=(Registration&& other) noexcept;
    ~Registration();

   private:
    void Release() noexcept;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
    bool held_ = false;
  };
};

}  // namespace mano::storage
