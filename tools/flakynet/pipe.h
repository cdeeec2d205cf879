#pragma once

// Pipe: one direction of one proxied connection (client->server is "up", server->client
// is "down"). Bytes read from the source socket wait in a queue, each chunk stamped with
// the time it may be delivered (read time + latency), and are written to the destination
// once due. The Pipe only moves bytes and keeps counts; the Connection decides how much
// it may read (bandwidth, cut limits) and when it is paused.
//
// I/O errors are returned as errno values (a peer going away is normal here).
// Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clock.h"

namespace mano::flakynet {

enum class Direction { kUp, kDown };

class Pipe {
 public:
  // The most bytes held in the queue before reading from the source stops.
  static constexpr size_t kMaxQueued = 1 << 20;

  struct IoResult {
    size_t bytes = 0;
    bool eof = false;            // the source sent FIN
    int error = 0;               // errno of a hard failure; 0 otherwise
    uint64_t request_lines = 0;  // "HTTP/1.1\r\n" seen in the bytes written
    // "METHOD /path" (query dropped) of each request that began in the bytes written, read
    // as HTTP/1.1 messages: headers, then Content-Length bytes of body skipped.
    std::vector<std::string> requests;
  };

  // Reads at most `max_bytes` from `fd` into the queue, deliverable at `due`.
  IoResult ReadFrom(int fd, size_t max_bytes, TimePoint due);

  // Writes queued bytes that are due by `now` to `fd` until the queue has none due or
  // the socket is full (then write_blocked() becomes true).
  IoResult WriteDue(int fd, TimePoint now);

  // Drops everything queued (a cut loses bytes in flight).
  void Clear();

  bool empty() const { return queued_ == 0; }
  size_t room() const { return queued_ >= kMaxQueued ? 0 : kMaxQueued - queued_; }
  bool HasDue(TimePoint now) const { return !queue_.empty() && queue_.front().due <= now; }
  std::optional<TimePoint> NextDue() const;

  uint64_t bytes_read() const { return bytes_read_; }
  bool write_blocked() const { return write_blocked_; }
  void ClearWriteBlocked() { write_blocked_ = false; }

  // State the Connection keeps per direction.
  bool source_eof = false;     // read returned 0
  bool dest_shut = false;      // shutdown(SHUT_WR) sent to the destination
  uint64_t cut_limit = 0;      // cut once this many bytes were read (0 = never)
  bool cut_pending = false;    // reading stopped; cut when the queue has drained
  bool token_starved = false;  // wants to read but the bandwidth bucket is low

 private:
  struct Chunk {
    TimePoint due;
    std::string data;
    size_t offset = 0;
  };

  uint64_t CountRequestLines(std::string_view bytes);
  // Follows the stream as HTTP/1.1 requests and appends the name of each new one. A chunked
  // body or a head over 64 KiB ends the naming for this pipe (the counts stay right).
  void NameRequests(std::string_view bytes, std::vector<std::string>* names);

  std::deque<Chunk> queue_;
  size_t queued_ = 0;
  uint64_t bytes_read_ = 0;
  bool write_blocked_ = false;
  std::string tail_;  // the last bytes written, to find request lines across writes
  std::string head_;        // the head of the request being written, until its blank line
  uint64_t body_left_ = 0;  // bytes of the current request's body still to pass
  bool unnamed_ = false;    // the stream could not be followed: no more names
};

}  // namespace mano::flakynet
