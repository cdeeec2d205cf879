// TaskImporter: loads tasks into a ServerStore from the project's JSONL task format
// (sync/task_spec.h, docs/PROTOCOL.md) or from an MTurk batch-input CSV plus a JSON template
// with ${variable} placeholders.
//
// All or nothing: every line (or row) is read and checked, and each asset file hashed, before
// the store is touched; then the whole file goes in as one ImportBatch (one transaction). Any
// problem, in the checks or in storage (disk full), throws std::runtime_error naming the line
// (or row) and the field, and the store is left untouched. A task whose id exists already is
// skipped when it is the same task (same kind, task and input), so importing the same file
// twice adds nothing; an id already naming a different task, or two tasks of one file, is
// refused with how to set ids. Tasks without an "id" are named by kind and content:
// "<kind>-<first 16 hex digits of the SHA-256 of the CSV row (as its Input JSON) or of the
// JSONL line>", so the same row from any file is the same task. Files must be UTF-8
// (text_encoding.h names the encoding found otherwise).
//
// Asset files are streamed (hashed, then copied into the store a piece at a time), never held
// whole in memory, and each is at most `max_asset_bytes`. An asset path must stay inside the
// import folder (the folder of the JSONL file, or of the CSV's template) once every symbolic
// link is resolved: a link to a file outside it is refused, as are files that are not regular
// files (devices, FIFOs). Thread safety: one importer per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mano/sync/messages.h"
#include "server_store.h"

namespace mano::manod {

// The default per-asset limit, and the most a limit may be (SQLite's largest blob).
constexpr int64_t kDefaultMaxAssetBytes = int64_t{64} << 20;  // 64 MiB
constexpr int64_t kMaxAssetBytesCeiling = 1000000000;

struct ImportReport {
  int added = 0;
  int skipped = 0;  // ids that existed already
};

class TaskImporter {
 public:
  TaskImporter(ServerStore& store, int64_t now, int64_t max_asset_bytes = kDefaultMaxAssetBytes)
      : store_(store), now_(now), max_asset_bytes_(max_asset_bytes) {}

  ImportReport ImportJsonl(const std::string& path);
  ImportReport ImportCsv(const std::string& csv_path, const std::string& template_path);

  // Tasks already in the project's JSON format, made from another tool's files (the Label
  // Studio importer, label_studio_importer.h): each with its id set, its input variables (a
  // JSON object, kept for export) and where it came from (for errors). Asset paths are
  // relative to the folder of `root_file`. All or nothing, as above.
  struct Converted {
    std::string json, input_json, where;
  };
  ImportReport ImportConverted(const std::vector<Converted>& tasks, const std::string& root_file);

 private:
  struct Pending;
  // Parses one task (JSON text), checking and hashing its asset files under `root` (the
  // import folder, every link resolved). `requester`: from a CSV row's requester_id and
  // requester_name columns, used when the task itself names none.
  Pending Prepare(const std::string& json, const std::string& root, const std::string& content,
                  const std::string& input_json, const std::string& where,
                  const std::optional<sync::Requester>& requester = std::nullopt);
  ImportReport Commit(const std::vector<Pending>& tasks);

  ServerStore& store_;
  int64_t now_;
  int64_t max_asset_bytes_;
};

}  // namespace mano::manod
