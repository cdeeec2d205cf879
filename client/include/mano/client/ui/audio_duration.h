// AudioDurationMs: how long a task's audio clip plays, read from the file's headers alone
// (no decoding): WAV/RIFF (the data chunk over the byte rate), FLAC (STREAMINFO's sample
// count over its rate), Ogg Vorbis and Opus (the last page's granule position over the
// rate; Opus at 48 kHz less its pre-skip) and MP3 (a Xing/Info/VBRI frame count, else the
// first frame's bitrate over the file's size: an estimate for constant-bitrate files).
// Reads are bounded: at most kAudioHeadBytes from the start and kAudioTailBytes from the end
// of the file, whatever it claims; every field is range-checked, so a hostile or truncated
// file gives nullopt ("duration unknown"), never a crash or a huge number (fuzzed by
// fuzz_audio_duration). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mano::client::ui {

inline constexpr int64_t kAudioHeadBytes = 64 * 1024;
inline constexpr int64_t kAudioTailBytes = 64 * 1024;
// Longer than this is taken for a damaged header (a clip to judge is minutes long).
inline constexpr int64_t kAudioMaxMs = 24LL * 3600 * 1000;

// `head`: the file's first bytes (up to kAudioHeadBytes); `tail`: its last bytes (up to
// kAudioTailBytes; may overlap `head`); `file_size`: the whole file's size.
std::optional<int64_t> AudioDurationFromBytes(std::string_view head, std::string_view tail,
                                              int64_t file_size);
// Reads the head and tail of `path`; nullopt when it cannot be read or is not understood.
std::optional<int64_t> AudioDurationMs(const std::string& path);

// "0:07", "12:30", "1:02:03"; with tenths ("0:00.5") when `tenths`.
std::string FormatClipTime(int64_t ms, bool tenths);

}  // namespace mano::client::ui
