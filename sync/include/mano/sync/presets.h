// The six preset task kinds built from form fields, with sample data:
//   relevance       search result relevance: scale 0-4 + optional comment
//   classification  one of N (emotion in a clip, age bracket)
//   audio_quality   scale 1-5 on an audio clip
//   transcription   free text for an audio clip
//   entity_update   a business listing's name, hours, phone, address, status
//   bounding_boxes  boxes with labels on an image
// Also tiny deterministic asset generators (a PNG, a WAV) so samples and tests need no
// binary files. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mano/sync/answer.h"
#include "mano/sync/form.h"
#include "mano/sync/task_spec.h"

namespace mano::sync {

// The six kinds, in the order above.
const std::vector<std::string>& PresetKinds();
// The form of a preset kind; throws SyncError{kConfig} for an unknown kind.
// Show items hold ${placeholders} for the per-task values where the kind needs them.
Form PresetForm(std::string_view kind);
// Sample tasks: at least one per kind, assets inline (base64 in the JSONL).
std::vector<TaskSpec> SampleTasks();
// A plausible valid answer for a sample task of `kind` (tests, benchmarks, demos);
// `seed` varies the values.
Answer SampleAnswer(std::string_view kind, std::uint32_t seed);

// An uncompressed (stored deflate) RGB PNG of width x height with a simple pattern.
std::string MakeSamplePng(int width, int height);
// A 16-bit mono PCM WAV of `millis` ms at 8 kHz: a tone of `hz`.
std::string MakeSampleWav(int millis, int hz);

}  // namespace mano::sync
