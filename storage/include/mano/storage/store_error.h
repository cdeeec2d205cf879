// StoreError: the one exception type thrown across the storage module edge.
// Every message is one sentence that names the database (or folder) path involved.
// Expected conditions (disk full, read-only folder, damaged file, newer schema, missing
// row, broken uniqueness) each have their own Kind so callers can react without parsing
// text. After any StoreError the Store stays usable: the failed transaction was rolled
// back and a later retry may succeed (e.g. once disk space is freed).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace mano::storage {

class StoreError : public std::runtime_error {
 public:
  enum class Kind {
    kIo,           // read/write/fsync failed (EIO and friends)
    kFull,         // SQLITE_FULL: the disk (or quota) is full
    kReadOnly,     // the file or its folder cannot be written (EROFS, EACCES, SQLITE_READONLY)
    kCorrupt,      // the file is damaged beyond what Open could recover
    kNewerSchema,  // the database was written by a newer mano; left untouched
    kNotFound,     // the row asked for does not exist
    kConstraint,   // a uniqueness/foreign-key rule was broken (e.g. duplicate account)
    kBusy,         // another process held the lock longer than the busy timeout
    kInvalidArgument,
  };
  static constexpr Kind kLastKind = Kind::kInvalidArgument;

  StoreError(Kind kind, const std::string& message, std::string path = {})
      : std::runtime_error(message), kind_(kind), path_(std::move(path)) {}

  Kind kind() const noexcept { return kind_; }
  // The database or folder path the error is about (may be empty for kInvalidArgument).
  const std::string& path() const noexcept { return path_; }

 private:
  Kind kind_;
  std::string path_;
};

// "io", "full", "read-only", ... for logs and status lines.
std::string_view ToString(StoreError::Kind kind);

}  // namespace mano::storage
