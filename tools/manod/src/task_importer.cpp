#include "task_importer.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "csv.h"
#include "file_util.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/task_spec.h"

namespace mano::manod {

namespace fs = std::filesystem;

struct TaskImporter::Pending {
  TaskRecord task;
  struct Blob {
    std::string hash, type, bytes;
  };
  std::vector<Blob> assets;
};

namespace {

std::string DirOf(const std::string& path) {
  fs::path p = fs::path(path).parent_path();
  return p.empty() ? "." : p.string();
}

}  // namespace

TaskImporter::Pending TaskImporter::Prepare(const std::string& json, const std::string& base_dir,
                                            const std::string& fallback_id,
                                            const std::string& input_json,
                                            const std::string& where) {
  sync::TaskSpec spec;
  try {
    spec = sync::TaskSpec::FromJson(json);
  } catch (const sync::SyncError& e) {
    // The message names the member already ("form.fields[1].max: ...").
    throw std::runtime_error(where + ": " + e.what());
  }
  Pending p;
  p.task.id = spec.id.empty() ? fallback_id : spec.id;
  p.task.kind = spec.kind;
  p.task.input_json = input_json;
  p.task.max_assignments = spec.assignments;
  p.task.lease_ms = spec.policy.lease_ms > 0 ? spec.policy.lease_ms : 3600000;
  p.task.renew_on_anchor = spec.policy.renew_on_anchor;
  p.task.reward = spec.reward;
  sync::Assignment tmpl;
  tmpl.id = "0";
  tmpl.task = p.task.id;
  tmpl.kind = spec.kind;
  tmpl.reward = spec.reward;
  tmpl.currency = spec.currency;
  tmpl.policy = spec.policy;
  tmpl.policy.lease_ms = p.task.lease_ms;
  tmpl.form = spec.form;
  for (const auto& asset : spec.assets) {
    Pending::Blob blob;
    if (!asset.path.empty()) {
      fs::path file = fs::path(asset.path).is_absolute() ? fs::path(asset.path)
                                                         : fs::path(base_dir) / asset.path;
      try {
        blob.bytes = ReadWholeFile(file.string());
      } catch (const std::exception& e) {
        throw std::runtime_error(where + " (assets." + asset.name + "): " + e.what());
      }
    } else {
      blob.bytes = asset.data;
    }
    blob.hash = sync::Sha256Hex(blob.bytes);
    blob.type = asset.type;
    tmpl.assets.push_back(
        sync::AssetRef{asset.name, blob.hash, static_cast<int64_t>(blob.bytes.size()), asset.type});
    p.task.asset_hashes.push_back(blob.hash);
    p.assets.push_back(std::move(blob));
  }
  p.task.task_json = tmpl.ToJson();
  return p;
}

ImportReport TaskImporter::Commit(const std::vector<Pending>& tasks) {
  ImportReport report;
  for (const auto& p : tasks) {
    for (const auto& blob : p.assets) store_.PutAsset(blob.hash, blob.type, blob.bytes);
    if (store_.PutTask(p.task, now_)) {
      ++report.added;
    } else {
      ++report.skipped;
    }
  }
  return report;
}

ImportReport TaskImporter::ImportJsonl(const std::string& path) {
  std::istringstream in(ReadWholeFile(path));
  std::string stem = fs::path(path).stem().string();
  std::vector<Pending> tasks;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    tasks.push_back(Prepare(line, DirOf(path), stem + "-" + std::to_string(number), "{}",
                            path + " line " + std::to_string(number)));
  }
  return Commit(tasks);
}

ImportReport TaskImporter::ImportCsv(const std::string& csv_path,
                                     const std::string& template_path) {
  std::string tmpl = ReadWholeFile(template_path);
  auto rows = ParseCsv(ReadWholeFile(csv_path));
  if (rows.empty()) throw std::runtime_error(csv_path + ": no header row");
  const CsvRow& header = rows[0];
  std::string stem = fs::path(csv_path).stem().string();
  std::vector<Pending> tasks;
  for (size_t r = 1; r < rows.size(); ++r) {
    std::string where = csv_path + " row " + std::to_string(r + 1);
    if (rows[r].size() != header.size()) {
      throw std::runtime_error(where + ": " + std::to_string(rows[r].size()) +
                               " fields where the header has " + std::to_string(header.size()));
    }
    std::map<std::string, std::string> vars;
    sync::JsonOut input;
    input.StartObject();
    for (size_t c = 0; c < header.size(); ++c) {
      vars[header[c]] = rows[r][c];
      input.Field(header[c], rows[r][c]);
    }
    input.EndObject();
    std::string json;
    try {
      json = sync::ExpandTemplate(tmpl, vars);
    } catch (const sync::SyncError& e) {
      throw std::runtime_error(where + ": " + e.what());
    }
    tasks.push_back(
        Prepare(json, DirOf(template_path), stem + "-" + std::to_string(r), input.Take(), where));
  }
  return Commit(tasks);
}

}  // namespace mano::manod
