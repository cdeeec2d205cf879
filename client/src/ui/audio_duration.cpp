#include "mano/client/ui/audio_duration.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace mano::client::ui {
namespace {

uint32_t Le16(std::string_view b, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(b[at])) |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 8;
}
uint32_t Le32(std::string_view b, size_t at) { return Le16(b, at) | Le16(b, at + 2) << 16; }
uint64_t Le64(std::string_view b, size_t at) {
  return static_cast<uint64_t>(Le32(b, at)) | static_cast<uint64_t>(Le32(b, at + 4)) << 32;
}
uint32_t Be32(std::string_view b, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<uint8_t>(b[at + i]);
  return v;
}
bool Has(std::string_view b, size_t at, std::string_view what) {
  return at <= b.size() && b.size() - at >= what.size() && b.substr(at, what.size()) == what;
}

std::optional<int64_t> Checked(uint64_t units, uint64_t per_second) {
  if (per_second == 0) return std::nullopt;
  // units / per_second seconds, computed without overflow for any 64-bit input.
  uint64_t seconds = units / per_second;
  if (seconds > static_cast<uint64_t>(kAudioMaxMs / 1000)) return std::nullopt;
  uint64_t ms = seconds * 1000 + (units % per_second) * 1000 / per_second;
  if (ms == 0 || ms > static_cast<uint64_t>(kAudioMaxMs)) return std::nullopt;
  return static_cast<int64_t>(ms);
}

// The size of an ID3v2 tag at the start (0 when there is none).
size_t Id3Size(std::string_view head) {
  if (!Has(head, 0, "ID3") || head.size() < 10) return 0;
  uint32_t size = 0;
  for (size_t i = 6; i < 10; ++i) {
    auto b = static_cast<uint8_t>(head[i]);
    if (b & 0x80) return 0;  // not a syncsafe integer
    size = size << 7 | b;
  }
  size_t footer = (static_cast<uint8_t>(head[5]) & 0x10) ? 10 : 0;
  return 10 + size + footer;
}

std::optional<int64_t> Wav(std::string_view head, int64_t file_size) {
  uint64_t byte_rate = 0;
  size_t at = 12;
  while (at + 8 <= head.size()) {
    std::string_view id = head.substr(at, 4);
    uint64_t size = Le32(head, at + 4);
    if (id == "fmt ") {
      if (size < 16 || at + 8 + 16 > head.size()) return std::nullopt;
      byte_rate = Le32(head, at + 8 + 8);
    } else if (id == "data") {
      if (byte_rate == 0) return std::nullopt;
      uint64_t room = static_cast<uint64_t>(std::max<int64_t>(0, file_size - int64_t(at) - 8));
      return Checked(std::min(size, room), byte_rate);
    }
    at += 8 + size + (size & 1);  // chunks are padded to an even size
  }
  return std::nullopt;
}

std::optional<int64_t> Flac(std::string_view head, size_t at) {
  // "fLaC", then the first metadata block, which must be STREAMINFO (34 bytes).
  if (at + 4 + 4 + 34 > head.size()) return std::nullopt;
  if ((static_cast<uint8_t>(head[at + 4]) & 0x7f) != 0) return std::nullopt;
  size_t info = at + 8;
  auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(head[info + i])); };
  uint64_t rate = byte(10) << 12 | byte(11) << 4 | byte(12) >> 4;
  uint64_t samples =
      (byte(13) & 0x0f) << 32 | byte(14) << 24 | byte(15) << 16 | byte(16) << 8 | byte(17);
  return Checked(samples, rate);
}

std::optional<int64_t> Ogg(std::string_view head, std::string_view tail) {
  // The first page carries the codec's identification header.
  if (head.size() < 27) return std::nullopt;
  size_t segments = static_cast<uint8_t>(head[26]);
  size_t body = 27 + segments;
  uint32_t serial = Le32(head, 14);
  uint64_t rate = 0, pre_skip = 0;
  if (Has(head, body, "\x01vorbis") && body + 16 <= head.size()) {
    rate = Le32(head, body + 12);
  } else if (Has(head, body, "OpusHead") && body + 12 <= head.size()) {
    rate = 48000;  // Opus granule positions count 48 kHz samples, whatever the input rate
    pre_skip = Le16(head, body + 10);
  } else {
    return std::nullopt;
  }
  // The last page of that stream in the tail holds the total in its granule position.
  for (size_t at = tail.size() >= 27 ? tail.size() - 27 + 1 : 0; at-- > 0;) {
    if (!Has(tail, at, "OggS") || Le32(tail, at + 14) != serial) continue;
    uint64_t granule = Le64(tail, at + 6);
    if (granule == ~uint64_t{0}) continue;  // no packet ends on this page
    if (granule <= pre_skip) return std::nullopt;
    return Checked(granule - pre_skip, rate);
  }
  return std::nullopt;
}

struct Mp3Frame {
  bool mpeg1 = false, mono = false;
  uint64_t kbps = 0, rate = 0, bytes = 0;
};

std::optional<Mp3Frame> Mp3Header(std::string_view b, size_t at) {
  if (at + 4 > b.size()) return std::nullopt;
  auto b0 = static_cast<uint8_t>(b[at]), b1 = static_cast<uint8_t>(b[at + 1]),
       b2 = static_cast<uint8_t>(b[at + 2]), b3 = static_cast<uint8_t>(b[at + 3]);
  if (b0 != 0xff || (b1 & 0xe0) != 0xe0) return std::nullopt;
  int version = (b1 >> 3) & 3;  // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  int layer = (b1 >> 1) & 3;    // 1 = Layer III
  int bitrate = b2 >> 4, rate = (b2 >> 2) & 3;
  if (version == 1 || layer != 1 || bitrate == 0 || bitrate == 15 || rate == 3) return std::nullopt;
  static const uint16_t kMpeg1[15] = {0,   32,  40,  48,  56,  64,  80, 96,
                                      112, 128, 160, 192, 224, 256, 320};
  static const uint16_t kMpeg2[15] = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
  static const uint32_t kRates[3] = {44100, 48000, 32000};
  Mp3Frame f;
  f.mpeg1 = version == 3;
  f.mono = (b3 >> 6) == 3;
  f.kbps = f.mpeg1 ? kMpeg1[bitrate] : kMpeg2[bitrate];
  f.rate = kRates[rate] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
  f.bytes = (f.mpeg1 ? 144 : 72) * f.kbps * 1000 / f.rate + ((b2 >> 1) & 1);
  return f;
}

std::optional<int64_t> Mp3(std::string_view head, std::string_view tail, int64_t file_size,
                           size_t start) {
  for (size_t at = start; at + 4 <= head.size(); ++at) {
    auto frame = Mp3Header(head, at);
    if (!frame) continue;
    // A second header right after this frame (when it is in reach) makes a false sync unlikely.
    size_t next = at + frame->bytes;
    if (next + 4 <= head.size() && !Mp3Header(head, next)) continue;
    uint64_t samples_per_frame = frame->mpeg1 ? 1152 : 576;
    size_t side = frame->mpeg1 ? (frame->mono ? 17 : 32) : (frame->mono ? 9 : 17);
    size_t xing = at + 4 + side;
    if ((Has(head, xing, "Xing") || Has(head, xing, "Info")) && xing + 12 <= head.size()) {
      if (Be32(head, xing + 4) & 1) {
        return Checked(uint64_t{Be32(head, xing + 8)} * samples_per_frame, frame->rate);
      }
    }
    if (Has(head, at + 36, "VBRI") && at + 36 + 18 <= head.size()) {
      return Checked(uint64_t{Be32(head, at + 36 + 14)} * samples_per_frame, frame->rate);
    }
    // Constant bitrate: the audio bytes (less an ID3v1 tag at the end) over the bitrate.
    int64_t audio = file_size - static_cast<int64_t>(at);
    if (tail.size() >= 128 && Has(tail, tail.size() - 128, "TAG")) audio -= 128;
    if (audio <= 0) return std::nullopt;
    return Checked(static_cast<uint64_t>(audio) * 8, frame->kbps * 1000);  // bits over bits/s
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> AudioDurationFromBytes(std::string_view head, std::string_view tail,
                                              int64_t file_size) {
  head = head.substr(0, static_cast<size_t>(kAudioHeadBytes));
  if (tail.size() > static_cast<size_t>(kAudioTailBytes)) {
    tail = tail.substr(tail.size() - static_cast<size_t>(kAudioTailBytes));
  }
  if (file_size < static_cast<int64_t>(head.size())) return std::nullopt;
  if (Has(head, 0, "RIFF") && Has(head, 8, "WAVE")) return Wav(head, file_size);
  if (Has(head, 0, "OggS")) return Ogg(head, tail);
  size_t id3 = Id3Size(head);
  if (Has(head, id3, "fLaC")) return Flac(head, id3);
  if (id3 < head.size()) return Mp3(head, tail, file_size, id3);
  return std::nullopt;
}

std::optional<int64_t> AudioDurationMs(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  std::string head, tail;
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  auto read_at = [&](std::string& out, int64_t offset, int64_t n) {
    out.resize(static_cast<size_t>(n));
    int64_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd, out.data() + got, static_cast<size_t>(n - got), offset + got);
      if (r <= 0) break;
      got += r;
    }
    out.resize(static_cast<size_t>(got));
    return got == n;
  };
  int64_t size = ok ? st.st_size : 0;
  if (ok) ok = read_at(head, 0, std::min(size, kAudioHeadBytes));
  if (ok) {
    int64_t n = std::min(size, kAudioTailBytes);
    ok = read_at(tail, size - n, n);
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return AudioDurationFromBytes(head, tail, size);
}

std::string FormatClipTime(int64_t ms, bool tenths) {
  if (ms < 0) ms = 0;
  int64_t total_tenths = tenths ? (ms + 50) / 100 : ms / 100;
  int64_t s = total_tenths / 10;
  char buf[48];
  int64_t h = s / 3600, m = (s / 60) % 60, sec = s % 60;
  int n = h > 0 ? std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(h),
                                static_cast<long long>(m), static_cast<long long>(sec))
                : std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(m),
                                static_cast<long long>(sec));
  std::string out(buf, static_cast<size_t>(std::max(0, n)));
  if (tenths) out += "." + std::to_string(total_tenths % 10);
  return out;
}

}  // namespace mano::client::ui
