#include "dict_registry.h"

#include <zdict.h>

#include <stdexcept>

#include "mano/sync/json_util.h"
#include "mano/sync/sync_error.h"

namespace mano::manod {

DictRegistry::DictRegistry(const std::string& db) : table_(OpenDictTable(db)) {}

DictRegistry::~DictRegistry() = default;

DictInfo DictRegistry::Add(const std::string& kind, const std::string& bytes, int64_t now_ms) {
  if (!sync::IsValidId(kind)) {
    throw std::invalid_argument("the kind must be 1 to 64 of A-Z a-z 0-9 . _ : -");
  }
  if (bytes.size() > kMaxDictBytes) {
    throw std::invalid_argument("the dictionary is " + std::to_string(bytes.size()) +
                                " bytes; at most " + std::to_string(kMaxDictBytes) +
                                " are allowed (clients download it)");
  }
  const uint32_t id = ZDICT_getDictID(bytes.data(), bytes.size());
  if (id == 0) {
    throw std::invalid_argument(
        "not a zstd dictionary with an id (make one with `manod dict train` or `zstd --train`)");
  }
  try {
    sync::ZstdDictionary probe(bytes);
  } catch (const sync::SyncError& e) {
    throw std::invalid_argument(std::string("zstd cannot load this dictionary: ") + e.what());
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (auto other = table_->Publish(id, kind, bytes, now_ms)) {
    throw std::invalid_argument("dictionary id " + std::to_string(id) +
                                " is already used by another dictionary (kind " + *other +
                                "); ids are immutable");
  }
  DictInfo info;
  info.id = id;
  info.kind = kind;
  info.size = static_cast<int64_t>(bytes.size());
  info.created = now_ms;
  info.published = true;
  return info;
}

std::optional<std::pair<DictInfo, std::string>> DictRegistry::Published(const std::string& kind) {
  std::lock_guard<std::mutex> lock(mu_);
  return table_->Published(kind);
}

std::shared_ptr<const sync::ZstdDictionary> DictRegistry::ById(uint32_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = loaded_.find(id);
  if (it != loaded_.end()) return it->second;
  auto bytes = table_->Bytes(id);
  if (!bytes) return nullptr;
  auto dict = std::make_shared<const sync::ZstdDictionary>(*bytes);
  loaded_.emplace(id, dict);
  return dict;
}

std::vector<DictInfo> DictRegistry::List() {
  std::lock_guard<std::mutex> lock(mu_);
  return table_->List();
}

}  // namespace mano::manod
