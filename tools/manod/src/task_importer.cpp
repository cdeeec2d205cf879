#include "task_importer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include "csv.h"
#include "file_util.h"
#include "mano/storage/sha256.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/sync_error.h"
#include "mano/sync/task_spec.h"
#include "text_encoding.h"

namespace mano::manod {

namespace fs = std::filesystem;

struct TaskImporter::Pending {
  TaskRecord task;
  std::string where;        // "<file> line N" or "<file> row N"
  bool content_id = false;  // the id was made from the content (no "id" given)
  struct Blob {
    std::string name, hash, type;
    int64_t size = 0;
    std::string file;   // the asset file, every link resolved; empty for inline data
    std::string bytes;  // inline data
  };
  std::vector<Blob> assets;
};

namespace {

constexpr size_t kPieceBytes = 1 << 20;

constexpr const char* kHowToName =
    "; to import both, give each task its own id: an \"id\" in the task (JSONL), or in the "
    "template from a column that differs on every row, such as \"id\":\"batch7-${row_id}\"";

// Reads `in` to its end a piece at a time into `hash`; returns the number of bytes read.
int64_t HashStream(std::istream& in, storage::Sha256& hash) {
  std::vector<char> piece(kPieceBytes);
  int64_t total = 0;
  while (in) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    auto n = static_cast<size_t>(in.gcount());
    hash.Update(std::string_view(piece.data(), n));
    total += static_cast<int64_t>(n);
  }
  return total;
}

std::string HexOf(storage::Sha256& hash) {
  auto digest = hash.Finish();
  return sync::HexEncode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace

TaskImporter::Pending TaskImporter::Prepare(const std::string& json, const std::string& root,
                                            const std::string& content,
                                            const std::string& input_json,
                                            const std::string& where,
                                            const std::optional<sync::Requester>& requester) {
  sync::TaskSpec spec;
  try {
    spec = sync::TaskSpec::FromJson(json);
  } catch (const sync::SyncError& e) {
    // The message names the member already ("form.fields[1].max: ...").
    throw std::runtime_error(where + ": " + e.what());
  }
  Pending p;
  p.where = where;
  // Without an id, the task is named by its kind and content: the same row imported again
  // (from any file) is the same task, and different rows never share a name.
  p.content_id = spec.id.empty();
  p.task.id = spec.id.empty() ? spec.kind + "-" + sync::Sha256Hex(content).substr(0, 16) : spec.id;
  p.task.kind = spec.kind;
  p.task.input_json = input_json;
  p.task.max_assignments = spec.assignments;
  p.task.lease_ms = spec.policy.lease_ms > 0 ? spec.policy.lease_ms : 3600000;
  p.task.renew_on_anchor = spec.policy.renew_on_anchor;
  p.task.reward = spec.reward;
  // An ISO 4217 code: workers' ledgers keep one column of money per currency, by this code.
  if (spec.currency.size() != 3 || !std::all_of(spec.currency.begin(), spec.currency.end(),
                                                [](char c) { return c >= 'A' && c <= 'Z'; })) {
    throw std::runtime_error(where + ": currency: must be a three-letter code such as USD or EUR");
  }
  p.task.currency = spec.currency;
  sync::Assignment tmpl;
  tmpl.id = "0";
  tmpl.task = p.task.id;
  tmpl.kind = spec.kind;
  tmpl.reward = spec.reward;
  tmpl.currency = spec.currency;
  tmpl.policy = spec.policy;
  tmpl.policy.lease_ms = p.task.lease_ms;
  tmpl.form = spec.form;
  tmpl.requester = spec.requester ? spec.requester : requester;
  for (const auto& asset : spec.assets) {
    auto fail = [&](const std::string& what) {
      throw std::runtime_error(where + " (assets." + asset.name + "): " + what);
    };
    auto over_limit = [&](const std::string& what, int64_t size) {
      fail(what + " is " + std::to_string(size) + " bytes, over the limit of " +
           std::to_string(max_asset_bytes_) + " bytes per asset (--max-asset-bytes)");
    };
    Pending::Blob blob;
    blob.name = asset.name;
    blob.type = asset.type;
    if (!asset.path.empty()) {
      std::error_code ec;
      fs::path file = fs::weakly_canonical(fs::path(root) / asset.path, ec);
      if (ec) fail("cannot read " + asset.path + ": " + ec.message());
      if (!Inside(root, file)) {
        fail(asset.path + " leads to " + file.string() + ", outside the import folder " + root);
      }
      auto status = fs::status(file, ec);
      if (!fs::exists(status)) fail("cannot read " + asset.path + ": no such file");
      if (!fs::is_regular_file(status)) fail(asset.path + " is not a regular file");
      blob.file = file.string();
      blob.size = static_cast<int64_t>(fs::file_size(file, ec));
      if (ec) fail("cannot read " + asset.path + ": " + ec.message());
      if (blob.size > max_asset_bytes_) over_limit(asset.path, blob.size);
      std::ifstream in(blob.file, std::ios::binary);
      if (!in) fail("cannot read " + asset.path);
      storage::Sha256 hash;
      if (HashStream(in, hash) != blob.size || in.bad()) {
        fail(asset.path + " changed or could not be read to its end");
      }
      blob.hash = HexOf(hash);
    } else {
      blob.bytes = asset.data;
      blob.size = static_cast<int64_t>(blob.bytes.size());
      if (blob.size > max_asset_bytes_) over_limit("the data", blob.size);
      blob.hash = sync::Sha256Hex(blob.bytes);
    }
    tmpl.assets.push_back(sync::AssetRef{asset.name, blob.hash, blob.size, asset.type});
    p.task.asset_hashes.push_back(blob.hash);
    p.assets.push_back(std::move(blob));
  }
  p.task.task_json = tmpl.ToJson();
  return p;
}

ImportReport TaskImporter::Commit(const std::vector<Pending>& tasks) {
  std::map<std::string, const Pending*> seen;
  for (const auto& p : tasks) {
    auto [it, fresh] = seen.emplace(p.task.id, &p);
    if (fresh) continue;
    if (p.content_id) {
      throw std::runtime_error(p.where + ": the same task as " + it->second->where +
                               " (same content, so the same id " + p.task.id + ")" + kHowToName);
    }
    throw std::runtime_error(p.where + ": task id " + p.task.id + " is " + it->second->where +
                             "'s too; ids must differ" + kHowToName);
  }
  ImportReport report;
  auto batch = store_.BeginImport(now_);
  for (const auto& p : tasks) {
    for (const auto& blob : p.assets) {
      try {
        if (blob.file.empty()) {
          size_t at = 0;
          batch->PutAsset(blob.hash, blob.type, blob.size, [&](char* buf, size_t max) {
            size_t n = std::min(max, blob.bytes.size() - at);
            std::copy_n(blob.bytes.data() + at, n, buf);
            at += n;
            return n;
          });
          continue;
        }
        // The file is read again, piece by piece, and must still have the hash it was checked
        // with: the bytes stored are the bytes a claim names.
        std::ifstream in(blob.file, std::ios::binary);
        if (!in) throw std::runtime_error("cannot read " + blob.file);
        storage::Sha256 hash;
        bool read = false;
        batch->PutAsset(blob.hash, blob.type, blob.size, [&](char* buf, size_t max) {
          read = true;
          in.read(buf, static_cast<std::streamsize>(max));
          if (in.bad()) throw std::runtime_error("cannot read " + blob.file);
          auto n = static_cast<size_t>(in.gcount());
          hash.Update(std::string_view(buf, n));
          return n;
        });
        if (read && HexOf(hash) != blob.hash) {
          throw std::runtime_error(blob.file + " changed while it was imported");
        }
      } catch (const std::exception& e) {
        throw std::runtime_error(p.where + " (assets." + blob.name + "): " + e.what());
      }
    }
    try {
      if (batch->PutTask(p.task)) {
        ++report.added;
      } else if (batch->SameTaskStored(p.task)) {
        ++report.skipped;
      } else {
        throw std::runtime_error("a different task with id " + p.task.id +
                                 " was imported before (ids never name two tasks)" + kHowToName);
      }
    } catch (const std::exception& e) {
      throw std::runtime_error(p.where + ": " + e.what());
    }
  }
  batch->Commit();
  return report;
}

ImportReport TaskImporter::ImportJsonl(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  const std::string root = RootOf(path);
  std::vector<Pending> tasks;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    RequireUtf8(line, path, static_cast<size_t>(number));
    if (number == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    tasks.push_back(Prepare(line, root, line, "{}", path + " line " + std::to_string(number)));
  }
  if (in.bad()) throw std::runtime_error("cannot read " + path);
  return Commit(tasks);
}

ImportReport TaskImporter::ImportCsv(const std::string& csv_path,
                                     const std::string& template_path) {
  std::string tmpl = ReadWholeFile(template_path);
  RequireUtf8(tmpl, template_path);
  const std::string root = RootOf(template_path);
  const std::string text = ReadWholeFile(csv_path);
  RequireUtf8(text, csv_path);
  auto rows = ParseCsv(text);
  if (rows.empty()) throw std::runtime_error(csv_path + ": no header row");
  const CsvRow& header = rows[0];
  std::vector<Pending> tasks;
  for (size_t r = 1; r < rows.size(); ++r) {
    std::string where = csv_path + " row " + std::to_string(r + 1);
    if (rows[r].size() != header.size()) {
      throw std::runtime_error(where + ": " + std::to_string(rows[r].size()) +
                               " fields where the header has " + std::to_string(header.size()));
    }
    std::map<std::string, std::string> vars;
    std::optional<sync::Requester> requester;
    sync::JsonOut input;
    input.StartObject();
    for (size_t c = 0; c < header.size(); ++c) {
      vars[header[c]] = rows[r][c];
      input.Field(header[c], rows[r][c]);
    }
    input.EndObject();
    // The requester columns (requester_id, requester_name), when the template names none.
    if (auto id = vars.find("requester_id"); id != vars.end() && !id->second.empty()) {
      sync::JsonOut r;
      r.StartObject();
      r.Field("id", id->second);
      r.Field("name", vars.count("requester_name") ? vars["requester_name"] : "");
      r.EndObject();
      try {
        requester = sync::Requester::FromJson(r.Take());
      } catch (const sync::SyncError& e) {
        throw std::runtime_error(where + ": requester_" + e.what());
      }
    }
    std::string json;
    try {
      json = sync::ExpandTemplate(tmpl, vars);
    } catch (const sync::SyncError& e) {
      throw std::runtime_error(where + ": " + e.what());
    }
    std::string input_json = input.Take();
    tasks.push_back(Prepare(json, root, input_json, input_json, where, requester));
  }
  return Commit(tasks);
}

ImportReport TaskImporter::ImportConverted(const std::vector<Converted>& tasks,
                                           const std::string& root_file) {
  const std::string root = RootOf(root_file);
  std::vector<Pending> pending;
  pending.reserve(tasks.size());
  for (const auto& t : tasks) pending.push_back(Prepare(t.json, root, "", t.input_json, t.where));
  return Commit(pending);
}

}  // namespace mano::manod
