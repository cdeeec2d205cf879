// Fuzz target: the terminal UI's audio duration reader (client/src/ui/audio_duration.cpp),
// which reads the headers of clips a task brings. Input: a file's bytes, read as both its
// head and its tail (as AudioDurationMs does for a short file), the size the input's length.
// Invariants: never crashes or reads out of bounds; a duration, when given, is within
// (0, kAudioMaxMs]; a claimed size smaller than the bytes gives none.
#include <fstream>
#include <sstream>
#include <string>

#include "fuzz_target.h"
#include "mano/client/ui/audio_duration.h"

using namespace mano::client::ui;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto ms = AudioDurationFromBytes(bytes, bytes, static_cast<int64_t>(size));
  if (ms) FUZZ_CHECK(*ms > 0 && *ms <= kAudioMaxMs);
  // The same bytes as the head of a much longer file, with an empty tail.
  auto longer = AudioDurationFromBytes(bytes, {}, static_cast<int64_t>(size) * 1000 + 1);
  if (longer) FUZZ_CHECK(*longer > 0 && *longer <= kAudioMaxMs);
  if (size > 0) FUZZ_CHECK(!AudioDurationFromBytes(bytes, bytes, static_cast<int64_t>(size) - 1));
  return 0;
}

std::vector<std::string> FuzzSeeds() {
  std::string tasks = MANO_SAMPLE_TASKS;
  std::string dir = tasks.substr(0, tasks.rfind('/'));
  std::ifstream in(dir + "/assets/tone.wav", std::ios::binary);
  std::stringstream wav;
  wav << in.rdbuf();
  std::string tone = wav.str();
  std::string flac = std::string("fLaC\x80\x00\x00\x22", 8) + std::string(10, '\0') +
                     std::string("\x0a\xc4\x42\xf0\x00\x06\xba\xa8", 8) + std::string(16, '\0');
  std::string ogg = std::string("OggS\0\0", 6) + std::string(8, '\0') + "\x07\0\0\0" +
                    std::string(8, '\0') + "\x01\x13" + "OpusHead\x01\x02\x38\x01" +
                    std::string(7, '\0') + std::string("OggS\0\0", 6) +
                    std::string("\x38\x78\x01\0\0\0\0\0", 8) + "\x07\0\0\0" + std::string(10, '\0');
  std::string mp3 = std::string("ID3\x04\0\0\0\0\0\x02\0\0", 12) +
                    std::string("\xff\xfb\x90\x00", 4) + std::string(32, '\0') + "Xing" +
                    std::string("\0\0\0\x01\0\0\0\x64", 8);
  return {tone, tone.substr(0, 44), flac, ogg, mp3};
}
