#include "pipe.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace mano::flakynet {
namespace {

constexpr std::string_view kRequestLineEnd = "HTTP/1.1\r\n";

}  // namespace

Pipe::IoResult Pipe::ReadFrom(int fd, size_t max_bytes, TimePoint due) {
  IoResult result;
  if (max_bytes == 0) return result;
  std::string buffer(std::min<size_t>(max_bytes, 64 * 1024), '\0');
  ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) result.error = errno;
    return result;
  }
  if (n == 0) {
    result.eof = true;
    return result;
  }
  buffer.resize(static_cast<size_t>(n));
  result.bytes = buffer.size();
  bytes_read_ += buffer.size();
  queued_ += buffer.size();
  // Chunks due at the same time merge, which keeps the queue short on fast links.
  if (!queue_.empty() && queue_.back().due == due && queue_.back().offset == 0) {
    queue_.back().data += buffer;
  } else {
    queue_.push_back({due, std::move(buffer), 0});
  }
  return result;
}

Pipe::IoResult Pipe::WriteDue(int fd, TimePoint now) {
  IoResult result;
  while (!queue_.empty() && queue_.front().due <= now) {
    Chunk& chunk = queue_.front();
    std::string_view pending(chunk.data);
    pending.remove_prefix(chunk.offset);
    ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        write_blocked_ = true;
      } else {
        result.error = errno;
      }
      return result;
    }
    write_blocked_ = false;
    size_t written = static_cast<size_t>(n);
    result.request_lines += CountRequestLines(pending.substr(0, written));
    result.bytes += written;
    queued_ -= written;
    chunk.offset += written;
    if (chunk.offset == chunk.data.size()) queue_.pop_front();
  }
  return result;
}

void Pipe::Clear() {
  queue_.clear();
  queued_ = 0;
}

std::optional<TimePoint> Pipe::NextDue() const {
  if (queue_.empty()) return std::nullopt;
  return queue_.front().due;
}

uint64_t Pipe::CountRequestLines(std::string_view bytes) {
  // Search the previous tail joined with the new bytes, so a marker split across two
  // writes is found once: the tail is shorter than the marker, so it holds no whole one.
  std::string window = tail_;
  window.append(bytes);
  uint64_t count = 0;
  for (size_t at = window.find(kRequestLineEnd); at != std::string::npos;
       at = window.find(kRequestLineEnd, at + kRequestLineEnd.size())) {
    ++count;
  }
  size_t keep = std::min(window.size(), kRequestLineEnd.size() - 1);
  tail_ = window.substr(window.size() - keep);
  return count;
}

}  // namespace mano::flakynet
