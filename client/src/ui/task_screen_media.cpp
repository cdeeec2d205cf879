// TaskScreen's media keys: opening the task's file or link, playing its audio clip.
#include "mano/client/ui/audio_duration.h"
#include "mano/client/ui/media_opener.h"
#include "mano/client/ui/task_screen.h"
#include "mano/client/ui/terminal.h"
#include "mano/client/ui/ui_text.h"

namespace mano::client::ui {
namespace {

bool IsAudio(const AssetInfo& asset) { return asset.type.rfind("audio/", 0) == 0; }

std::string NoPlayerText() {
  return T(
      "No audio player was found (pw-play, paplay, aplay, ffplay or mpv); set player in "
      "config.toml.");
}

}  // namespace

const AssetInfo* TaskScreen::MediaAsset() const {
  if (const FieldState* f = model_.focused(); f && !f->field.asset.empty()) {
    if (const AssetInfo* asset = info_.FindAsset(f->field.asset)) return asset;
  }
  for (const auto& item : info_.form.show) {
    if (item.type != sync::ShowType::kAsset) continue;
    if (const AssetInfo* asset = info_.FindAsset(item.value)) return asset;
  }
  return nullptr;
}

Outcome TaskScreen::OpenLink() {
  for (const auto& item : info_.form.show) {
    if (item.type != sync::ShowType::kUrl || !IsWebLink(item.value)) continue;
    auto command = LinkCommand(ctx_.config);
    if (command.empty()) {
      ctx_.message =
          TF("There is no graphical display here to open the link {0}; set browser in "
             "config.toml.",
             {item.value});
      return {kHandled | kRedraw, nullptr};
    }
    std::string error;
    if (ctx_.TEST_open) {
      error = ctx_.TEST_open(command, item.value);
    } else if (IsTextBrowser(command.front())) {
      // A text browser takes the terminal until it ends; then the UI is painted again.
      if (ctx_.terminal) ctx_.terminal->Suspend();
      error = RunInTerminal(command, item.value);
      if (ctx_.terminal) ctx_.terminal->Resume();
    } else {
      error = OpenDetached(command, item.value);
    }
    ctx_.message = error.empty() ? TF("Opened the link with {0}.", {command.front()})
                                 : TF("Could not open the link: {0}", {error});
    return {kHandled | kRedraw, nullptr};
  }
  ctx_.message = T("This task has no media file or link.");
  return {kHandled | kRedraw, nullptr};
}

Outcome TaskScreen::OpenMedia() {
  const AssetInfo* asset = MediaAsset();
  if (!asset) return OpenLink();  // no media: the task's web link, if it has one
  if (IsAudio(*asset)) return Play();
  if (!asset->complete()) {
    ctx_.message = T("The file is not downloaded yet; it comes with the next sync.");
    return {kHandled | kRedraw, nullptr};
  }
  auto command = MediaCommand(ctx_.config, asset->type);  // empty: a video and no player
  std::string error = command.empty()  ? NoPlayerText()
                      : ctx_.TEST_open ? ctx_.TEST_open(command, asset->path)
                                       : OpenDetached(command, asset->path);
  ctx_.message = command.empty() ? error
                 : error.empty() ? TF("Opened with {0}.", {command.front()})
                                 : TF("Could not open the file: {0}", {error});
  return {kHandled | kRedraw, nullptr};
}

Outcome TaskScreen::Play() {
  const AssetInfo* asset = MediaAsset();
  if (player_.playing() && asset && asset->name == playing_asset_) return StopPlaying();
  if (!asset || !IsAudio(*asset)) {
    ctx_.message = T("This task has no audio clip to play.");
    return {kHandled | kRedraw, nullptr};
  }
  if (!asset->complete()) {
    ctx_.message = T("The file is not downloaded yet; it comes with the next sync.");
    return {kHandled | kRedraw, nullptr};
  }
  auto command = MediaCommand(ctx_.config, asset->type);
  std::string error = command.empty()
                          ? NoPlayerText()
                          : player_.Start(command, asset->path, ctx_.clock->MonotonicMs());
  if (!error.empty()) {
    ctx_.message = command.empty() ? error : TF("Could not play the clip: {0}", {error});
    playing_asset_.clear();
  } else {
    playing_asset_ = asset->name;
    played_seconds_drawn_ = 0;
  }
  return {kHandled | kRedraw, nullptr};
}

Outcome TaskScreen::StopPlaying() {
  if (!player_.playing()) {
    ctx_.message = T("Nothing is playing.");
    return {kHandled | kRedraw, nullptr};
  }
  player_.Stop();
  ctx_.message = T("Stopped.");
  return {kHandled | kRedraw, nullptr};
}

void TaskScreen::PollPlayer() {
  if (auto ended = player_.Poll()) {
    ctx_.message = ended->empty() ? std::string(T("The clip has been played to the end.")) : *ended;
  }
}

void TaskScreen::UpdateAudioNotes() {
  for (auto& asset : info_.assets) {
    asset.note.clear();
    if (!IsAudio(asset) || !asset.complete()) continue;
    auto known = durations_.find(asset.name);
    if (known == durations_.end()) {
      known = durations_.emplace(asset.name, AudioDurationMs(asset.path)).first;
    }
    const std::optional<int64_t>& duration = known->second;
    // In a text field p and s are letters: Ctrl-P plays and stops there.
    const bool in_text = InText();
    if (player_.playing() && playing_asset_ == asset.name) {
      int64_t played = ctx_.clock->MonotonicMs() - player_.started_mono_ms();
      played_seconds_drawn_ = played / 1000;
      std::string elapsed = FormatClipTime(played, false);
      asset.note = duration ? TF("Playing with {0}: {1} of {2}",
                                 {player_.program(), elapsed, FormatClipTime(*duration, true)})
                            : TF("Playing with {0}: {1} (duration unknown)",
                                 {player_.program(), elapsed});
      asset.note += " · " + std::string(in_text ? T("Ctrl-P stops") : T("s stops"));
    } else {
      asset.note = duration ? TF("Duration {0}", {FormatClipTime(*duration, true)})
                            : std::string(T("Duration unknown"));
      asset.note += " · " + std::string(in_text ? T("Ctrl-P plays it") : T("p plays it"));
    }
  }
}

}  // namespace mano::client::ui
