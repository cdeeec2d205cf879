// LabelStudioImporter: `manod import --format label-studio TASKS.json --config CONFIG.xml`.
// Turns a Label Studio tasks export (a JSON list of {"id":N,"data":{...}}; JSON-MIN's flat
// objects and a plain list of data objects are read too) and the project's labelling config
// (label_config.h) into tasks in the project's format, then imports them all or nothing
// through TaskImporter::ImportConverted. tools/manod/README.md ("Label Studio") has the mapping.
//
// - Each object tag becomes a show item, each control a field named after the control.
// - Image and Audio values become the task's assets, named after the object: a path relative
//   to the tasks file, Label Studio's `/data/local-files/?d=PATH` (PATH relative to the tasks
//   file), or a `data:` URI. Remote URLs and files uploaded into Label Studio are refused: manod
//   serves every asset itself. An image under RectangleLabels must be a PNG, JPEG or GIF file,
//   whose size in pixels becomes the boxes field's bounds.
// - Task ids are "ls-<id>" from the export's id, or "ls-<16 hex of the data's SHA-256>" when
//   the task has none, so importing the same file again adds nothing.
// - The kind is the template's "kind" or inferred from the config (InferKind).
// - The optional --template is a JSON object with the task members the export lacks:
//   "kind", "reward", "currency", "assignments", "policy", and the form's "instructions" and
//   "title" (used when the config has no title Header; else "Label Studio task <id>").
// - The task's input (what exports show as input variables) is the data's members plus what
//   export needs to write annotations back: {...data...,"label_studio":{"id":N,"controls":
//   [{"from_name","to_name","type","original_width","original_height"}]}}; a data member
//   named "label_studio" is refused.
// Failures throw std::runtime_error naming the file and the task ("task 3 (id 17)") or the
// config line. Thread safety: one importer per thread.
#pragma once

#include <string>

#include "label_config.h"
#include "task_importer.h"

namespace mano::manod {

// The largest tasks file read (it is parsed whole).
constexpr size_t kMaxLabelStudioFileBytes = size_t{256} << 20;

// The preset kind a config maps to when the template names none:
// RectangleLabels: bounding_boxes; two or more TextAreas: entity_update; Audio with a TextArea:
// transcription, with a Rating: audio_quality; two or more Text/HyperText objects with Choices
// or a Rating: relevance; a TextArea: transcription; a Rating: relevance; else classification.
std::string InferKind(const LabelConfig& config);

class LabelStudioImporter {
 public:
  explicit LabelStudioImporter(TaskImporter& importer) : importer_(importer) {}
  // `template_path` may be empty.
  ImportReport Import(const std::string& tasks_path, const std::string& config_path,
                      const std::string& template_path);

 private:
  TaskImporter& importer_;
};

}  // namespace mano::manod
