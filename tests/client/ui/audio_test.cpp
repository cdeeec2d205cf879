// Audio clips in the UI (issue 16): durations read from headers (the sample tone.wav, hand-built
// FLAC, Ogg Vorbis, Opus and MP3 headers, hostile ones), and ClipPlayer running a real fake
// player script in its own process group: started, reported, stopped with nothing left over.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "mano/client/ui/audio_duration.h"
#include "mano/client/ui/clip_player.h"
#include "ui_test_support.h"

using namespace mano::client::ui;

namespace {

std::string Le(uint64_t v, int bytes) {
  std::string out;
  // Bytes past the eighth are zero (a shift of 64 or more would be undefined).
  for (int i = 0; i < bytes; ++i) out += static_cast<char>(i < 8 ? (v >> (8 * i)) & 0xff : 0);
  return out;
}

std::string Be(uint64_t v, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>(i < 8 ? (v >> (8 * i)) & 0xff : 0);
  return out;
}

std::optional<int64_t> Of(const std::string& bytes) {
  return AudioDurationFromBytes(bytes, bytes, static_cast<int64_t>(bytes.size()));
}

std::string OggPage(uint64_t granule, uint32_t serial, const std::string& body) {
  return "OggS" + std::string(1, '\0') + std::string(1, '\0') + Le(granule, 8) + Le(serial, 4) +
         Le(0, 4) + Le(0, 4) + std::string(1, '\x01') +
         std::string(1, static_cast<char>(body.size())) + body;
}

// The processes still running in process group `pgid` (read from /proc).
int ProcessesInGroup(pid_t pgid) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string state;
    long ppid = 0, pgrp = 0;
    rest >> state >> ppid >> pgrp;
    if (pgrp == pgid && state != "Z") ++n;  // a zombie has ended, only not been reaped yet
  }
  return n;
}

void WaitFor(const std::function<bool()>& done) {
  // Generous: the script needs a moment to start (not a pass/fail threshold).
  for (int i = 0; i < 1000 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

}  // namespace

TEST_CASE("audio: the sample WAV's duration from its header", "[ui][audio]") {
  // tone.wav: 8000 bytes of 16-bit mono at 8 kHz (16000 bytes a second).
  auto ms =
      AudioDurationMs(mano::client::ui::test::SourceDir() + "/tools/manod/samples/assets/tone.wav");
  REQUIRE(ms);
  CHECK(*ms == 500);
  CHECK(FormatClipTime(*ms, true) == "0:00.5");
  CHECK(FormatClipTime(61'000, false) == "1:01");
  CHECK(FormatClipTime(3'723'000, false) == "1:02:03");
  CHECK_FALSE(AudioDurationMs("/nonexistent/clip.wav"));
}

TEST_CASE("audio: WAV chunks are walked and their sizes bounded by the file", "[ui][audio]") {
  std::string fmt = "fmt " + Le(16, 4) + Le(1, 2) + Le(2, 2) + Le(44100, 4) + Le(176400, 4) +
                    Le(4, 2) + Le(16, 2);
  std::string list = "LIST" + Le(3, 4) + "abc" + std::string(1, '\0');  // odd size, padded
  std::string head = "RIFF" + Le(0, 4) + "WAVE" + fmt + list + "data" + Le(176400 * 3, 4);
  // The data chunk claims 3 s; the file holds them.
  CHECK(AudioDurationFromBytes(head, "", static_cast<int64_t>(head.size()) + 176400 * 3) == 3000);
  // A streaming header (size 0xffffffff) counts what the file holds: 1.5 s.
  std::string streaming = head.substr(0, head.size() - 4) + Le(0xffffffff, 4);
  CHECK(AudioDurationFromBytes(streaming, "", static_cast<int64_t>(head.size()) + 264600) == 1500);
  // No byte rate, no fmt, a chunk size running past the head: unknown.
  std::string zero_rate = head;
  zero_rate.replace(12 + 8 + 8, 4, Le(0, 4));
  CHECK_FALSE(Of(zero_rate));
  CHECK_FALSE(Of("RIFF" + Le(0, 4) + "WAVE" + "data" + Le(100, 4)));
  CHECK_FALSE(Of("RIFF" + Le(0, 4) + "WAVE" + "junk" + Le(0xfffffff0, 4) + fmt));
}

TEST_CASE("audio: FLAC, Ogg Vorbis, Opus and MP3 headers", "[ui][audio]") {
  // FLAC STREAMINFO: 44.1 kHz, 2 ch, 16 bit, 441000 samples = 10 s.
  std::string info = Be(4096, 2) + Be(4096, 2) + Be(0, 3) + Be(0, 3);
  uint64_t packed = uint64_t{44100} << 44 | uint64_t{1} << 41 | uint64_t{15} << 36 | 441000;
  info += Be(packed, 8) + std::string(16, '\0');
  std::string flac = "fLaC" + std::string(1, '\x80') + Be(34, 3) + info;
  CHECK(Of(flac) == 10000);
  std::string id3 = "ID3" + std::string("\x04\x00\x00", 3) + std::string("\x00\x00\x00\x0a", 4) +
                    std::string(10, '\0');
  CHECK(Of(id3 + flac) == 10000);

  // Ogg Vorbis at 16 kHz, last granule 40000: 2.5 s.
  std::string vorbis_id =
      "\x01vorbis" + Le(0, 4) + std::string(1, '\x01') + Le(16000, 4) + std::string(15, '\0');
  std::string vorbis = OggPage(0, 7, vorbis_id) + std::string(100, 'x') + OggPage(40000, 7, "");
  CHECK(Of(vorbis) == 2500);
  // A last page of another stream is not this one's end; no granule at all: unknown.
  CHECK(Of(OggPage(0, 7, vorbis_id) + OggPage(40000, 8, "")) == std::nullopt);
  // Opus: 48 kHz granules less the pre-skip (312): 96312 -> 2 s.
  std::string opus_head = "OpusHead" + std::string(1, '\x01') + std::string(1, '\x02') +
                          Le(312, 2) + Le(44100, 4) + std::string(3, '\0');
  CHECK(Of(OggPage(0, 9, opus_head) + OggPage(96312, 9, "")) == 2000);

  // MP3, MPEG-1 Layer III 128 kb/s 44.1 kHz: constant bitrate over 160000 bytes = 10 s.
  std::string frame = std::string("\xff\xfb\x90\x00", 4);
  size_t frame_bytes = 144 * 128000 / 44100;  // 417
  std::string mp3 = frame + std::string(frame_bytes - 4, '\0') + frame;
  CHECK(AudioDurationFromBytes(mp3, "", 160000) == 10000);
  // With a Xing header counting 100 frames of 1152 samples: 2.612 s.
  std::string xing = frame + std::string(32, '\0') + "Xing" + Be(1, 4) + Be(100, 4);
  xing += std::string(frame_bytes - xing.size(), '\0') + frame;
  CHECK(Of(xing) == 2612);
}

TEST_CASE("audio: hostile and foreign headers give no duration", "[ui][audio]") {
  CHECK_FALSE(Of(""));
  CHECK_FALSE(Of("not audio at all"));
  CHECK_FALSE(Of(std::string("\x89PNG\r\n\x1a\n", 8)));
  CHECK_FALSE(Of("fLaC"));
  CHECK_FALSE(Of("OggS"));
  CHECK_FALSE(Of(std::string("ID3\x04\x00\x00\x7f\x7f\x7f\x7f", 10)));
  // A FLAC claiming 2^36 samples at 1 Hz: longer than any clip, taken as damaged.
  std::string info = Be(0, 10) + Be(uint64_t{1} << 44 | 0xfffffffffULL, 8) + std::string(16, '\0');
  CHECK_FALSE(Of("fLaC" + std::string(1, '\x80') + Be(34, 3) + info));
  // A head longer than the file it claims to come from.
  CHECK_FALSE(AudioDurationFromBytes("RIFFxxxxWAVE", "", 4));
}

TEST_CASE("audio: the player runs in its own group and stops with nothing left", "[ui][audio]") {
  mano::client::ui::test::TempDir dir;
  std::string script = dir.path() + "/fake-player";
  std::string argv_file = dir.path() + "/argv";
  // Records its arguments, then plays "forever" through a child of its own.
  std::ofstream(script) << "#!/bin/sh\necho \"$@\" > '" << argv_file << "'\nsleep 60\n";
  ::chmod(script.c_str(), 0700);
  ClipPlayer player;
  REQUIRE(player.Start({script, "--quiet"}, "/clips/a b.wav", 0).empty());
  REQUIRE(player.playing());
  pid_t group = player.pid();
  WaitFor([&] { return std::filesystem::exists(argv_file) && ProcessesInGroup(group) == 2; });
  std::ifstream in(argv_file);
  std::string args;
  std::getline(in, args);
  CHECK(args == "--quiet /clips/a b.wav");
  CHECK(ProcessesInGroup(group) == 2);  // sh and its sleep
  CHECK_FALSE(player.Poll());           // still playing
  player.Stop();
  CHECK_FALSE(player.playing());
  WaitFor([&] { return ProcessesInGroup(group) == 0; });  // SIGKILL takes a moment to land
  CHECK(ProcessesInGroup(group) == 0);

  // The destructor stops too.
  pid_t second = 0;
  {
    ClipPlayer scoped;
    REQUIRE(scoped.Start({script}, "x.wav", 0).empty());
    second = scoped.pid();
  }
  WaitFor([&] { return ProcessesInGroup(second) == 0; });
  CHECK(ProcessesInGroup(second) == 0);
}

TEST_CASE("audio: a player that fails is said in one sentence", "[ui][audio]") {
  ClipPlayer player;
  std::string missing = player.Start({"mano-no-such-player-xyz"}, "x.wav", 0);
  CHECK(missing == "mano-no-such-player-xyz is not installed; set player in config.toml.");
  CHECK_FALSE(player.playing());
  REQUIRE(player.Start({"sh", "-c", "exit 3", "sh"}, "x.wav", 0).empty());
  std::optional<std::string> ended;
  WaitFor([&] { return (ended = player.Poll()).has_value(); });
  REQUIRE(ended);
  CHECK(*ended == "sh stopped with exit status 3: the clip could not be played.");
  REQUIRE(player.Start({"true"}, "x.wav", 0).empty());
  ended.reset();
  WaitFor([&] { return (ended = player.Poll()).has_value(); });
  REQUIRE(ended);
  CHECK(ended->empty());
}
