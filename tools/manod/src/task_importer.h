// TaskImporter: loads tasks into a ServerStore from the project's JSONL task format
// (sync/task_spec.h, docs/PROTOCOL.md) or from an MTurk batch-input CSV plus a JSON template
// with ${variable} placeholders.
//
// All or nothing: every line (or row) is read, checked and its assets loaded before anything is
// written; any problem throws std::runtime_error naming the line (or row) and the field, and the
// store is left untouched. A task whose id exists already is skipped, so importing the same file
// twice adds nothing. Tasks without an "id" get "<file stem>-<line or row number>".
// Thread safety: one importer per thread.
#pragma once

#include <cstdint>
#include <string>

#include "server_store.h"

namespace mano::manod {

struct ImportReport {
  int added = 0;
  int skipped = 0;  // ids that existed already
};

class TaskImporter {
 public:
  TaskImporter(ServerStore& store, int64_t now) : store_(store), now_(now) {}

  ImportReport ImportJsonl(const std::string& path);
  ImportReport ImportCsv(const std::string& csv_path, const std::string& template_path);

 private:
  struct Pending;
  // Parses one task (JSON text), loading its assets relative to `base_dir`.
  Pending Prepare(const std::string& json, const std::string& base_dir,
                  const std::string& fallback_id, const std::string& input_json,
                  const std::string& where);
  ImportReport Commit(const std::vector<Pending>& tasks);

  ServerStore& store_;
  int64_t now_;
};

}  // namespace mano::manod
