#include "pipe.h"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace mano::flakynet {
namespace {

constexpr std::string_view kRequestLineEnd = "HTTP/1.1\r\n";
constexpr size_t kMaxHead = 64 * 1024;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "METHOD /path" of a request line ("POST /v1/submit?x=1 HTTP/1.1" gives "POST /v1/submit"),
// in printable ASCII without quotes or backslashes (it goes into JSON as is).
std::string RequestName(std::string_view line) {
  const size_t space = line.find(' ');
  if (space == std::string_view::npos) return "?";
  std::string_view target = line.substr(space + 1);
  target = target.substr(0, target.find_first_of(" ?#"));
  std::string out(line.substr(0, std::min<size_t>(space, 16)));
  out += ' ';
  out.append(target.substr(0, 96));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') c = '_';
  }
  return out;
}

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
    NameRequests(pending.substr(0, written), &result.requests);
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

void Pipe::NameRequests(std::string_view bytes, std::vector<std::string>* names) {
  while (!bytes.empty() && !unnamed_) {
    if (body_left_ > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(body_left_, bytes.size()));
      body_left_ -= n;
      bytes.remove_prefix(n);
      continue;
    }
    const size_t before = head_.size();
    head_.append(bytes);
    const size_t end = head_.find("\r\n\r\n", before < 3 ? 0 : before - 3);
    if (end == std::string::npos) {
      if (head_.size() > kMaxHead) unnamed_ = true;
      return;
    }
    bytes.remove_prefix(end + 4 - before);
    const std::string head = Lower(std::string_view(head_).substr(0, end + 2));
    names->push_back(RequestName(std::string_view(head_).substr(0, head_.find("\r\n"))));
    if (head.find("\r\ntransfer-encoding:") != std::string::npos) unnamed_ = true;
    if (const size_t at = head.find("\r\ncontent-length:"); at != std::string::npos) {
      body_left_ = std::strtoull(head.c_str() + at + 17, nullptr, 10);
    }
    head_.clear();
  }
}

}  // namespace mano::flakynet
