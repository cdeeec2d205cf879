// The bytes of one complete upload as a store hands them out: chunk by chunk in order (each
// chunk as one PATCH stored it, at most the per-PATCH limit), from one snapshot of the store,
// so a reader holds one chunk at a time however large the upload (ServerStore::OpenUpload).
// It holds a reading connection of its store until destroyed; no other store call waits for it.
// Errors: Next() throws what its store throws (storage::StoreError, PgError).
// Thread safety: one thread at a time.
#pragma once

#include <cstdint>
#include <string_view>

namespace mano::manod {

class UploadChunks {
 public:
  explicit UploadChunks(int64_t length) : length_(length) {}
  virtual ~UploadChunks() = default;
  UploadChunks(const UploadChunks&) = delete;
  UploadChunks& operator=(const UploadChunks&) = delete;

  // The next chunk, valid until the next call; empty after the last.
  std::string_view Next() {
    const std::string_view chunk = Fetch();
    read_ += static_cast<int64_t>(chunk.size());
    return chunk;
  }
  // The upload's length (Upload-Length).
  int64_t length() const { return length_; }
  // True when the chunks returned so far add up to exactly the upload's length.
  bool whole() const { return read_ == length_; }

 protected:
  virtual std::string_view Fetch() = 0;
  // For a store that learns the length after it started reading (in the same snapshot).
  void set_length(int64_t length) { length_ = length; }

 private:
  int64_t length_;
  int64_t read_ = 0;
};

}  // namespace mano::manod
