#include "dict_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "mano/storage/atomic_file.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/sync_error.h"

namespace mano::sync {

namespace {

std::string CursorName(const std::string& kind) { return "dict:" + kind; }

struct Held {
  uint32_t id = 0;  // 0: none held
  std::string sha256;
  int64_t checked_ms = 0;
  bool known = false;  // a check happened (even one that found none)
};

Held Parse(const std::optional<std::string>& value) {
  Held held;
  if (!value || value->empty()) return held;
  std::istringstream in(*value);
  std::string first;
  in >> first;
  if (first == "none") {
    in >> held.checked_ms;
    held.known = static_cast<bool>(in);
    return held;
  }
  unsigned long id = 0;
  try {
    id = std::stoul(first);
  } catch (const std::exception&) {
    return held;
  }
  in >> held.sha256 >> held.checked_ms;
  if (!in || id == 0 || id > UINT32_MAX || held.sha256.size() != 64) return Held{};
  held.id = static_cast<uint32_t>(id);
  held.known = true;
  return held;
}


}  // namespace

DictCache::DictCache(storage::Store& store, const std::string& account, ServerApi& api,
                     AccountReport& report)
    : store_(store), account_(account), api_(api), report_(report) {}

void DictCache::Prepare(const std::set<std::string>& kinds, int64_t* room) {
  const int64_t now = store_.clock().NowMs();
  bool link_ok = true;
  for (const std::string& kind : kinds) {
    if (loaded_.count(kind)) continue;
    Held held = Parse(store_.GetCursor(account_, CursorName(kind)));
    if (held.id != 0 && !LoadCached(kind, held.id, held.sha256)) held = Held{};
    const bool stale = !held.known || now - held.checked_ms >= kRecheckMs || now < held.checked_ms;
    if (!stale || !link_ok) continue;
    try {
      Fetch(kind, held.id, room);
    } catch (const SyncError&) {
      // Cut, offline, refused: no more fetching this pass (the dictionaries held still serve);
      // the upload that follows meets the same link and reports it.
      link_ok = false;
    }
  }
}

uint32_t DictCache::LoadHeld(const std::string& kind) {
  if (auto it = loaded_.find(kind); it != loaded_.end()) return it->second->id();
  const Held held = Parse(store_.GetCursor(account_, CursorName(kind)));
  if (held.id != 0 && LoadCached(kind, held.id, held.sha256)) return held.id;
  return 0;
}

bool DictCache::NeedsCheck(const std::string& kind) {
  const int64_t now = store_.clock().NowMs();
  const Held held = Parse(store_.GetCursor(account_, CursorName(kind)));
  return !held.known || now - held.checked_ms >= kRecheckMs || now < held.checked_ms;
}

void DictCache::Heard(const std::string& kind, uint32_t published, int64_t* room) {
  const uint32_t held = LoadHeld(kind);
  const std::string now = std::to_string(store_.clock().NowMs());
  if (published == held) {
    const Held stored = Parse(store_.GetCursor(account_, CursorName(kind)));
    Remember(kind, held == 0 ? "none " + now
                             : std::to_string(held) + " " + stored.sha256 + " " + now);
    return;
  }
  try {
    Fetch(kind, held, room);
  } catch (const SyncError&) {
    // Cut or refused: the dictionary held (if any) still serves; the next sync asks again.
  }
}

void DictCache::Fetch(const std::string& kind, uint32_t held_id, int64_t* room) {
  const int64_t cap = std::min<int64_t>(*room, kMaxDictBytes);
  if (cap < 4096) {  // not even a small dictionary fits: prefetch waits, results do not
    report_.budget_limited = true;
    return;
  }
  const int64_t before = report_.bytes_up + report_.bytes_down;
  std::optional<DictionaryReply> reply;
  try {
    reply = api_.GetDictionary(kind, held_id, cap);
  } catch (const SyncError& error) {
    const int64_t moved = report_.bytes_up + report_.bytes_down - before;
    report_.dict_fetch_bytes += moved;
    *room -= moved;
    if (error.kind() == SyncErrorKind::kTooLarge) report_.budget_limited = true;
    if (error.kind() == SyncErrorKind::kBadMessage) {
      ReportNote note = ReportNote::FromError(error);
      note.code = ReportCode::kDictUnusable;
      note.args = {kind};
      report_.errors.push_back(std::move(note));
      Remember(kind, "none " + std::to_string(store_.clock().NowMs()));
      loaded_.erase(kind);
      return;
    }
    throw;
  }
  const int64_t moved = report_.bytes_up + report_.bytes_down - before;
  report_.dict_fetch_bytes += moved;
  *room -= moved;
  const std::string now = std::to_string(store_.clock().NowMs());
  if (!reply) {  // the server publishes none (any more)
    loaded_.erase(kind);
    Remember(kind, "none " + now);
    return;
  }
  if (reply->not_modified) {
    const Held held = Parse(store_.GetCursor(account_, CursorName(kind)));
    if (held.id == reply->id)
      Remember(kind, std::to_string(held.id) + " " + held.sha256 + " " + now);
    return;
  }
  std::unique_ptr<ZstdDictionary> dict;
  try {
    dict = std::make_unique<ZstdDictionary>(reply->bytes);
    if (dict->id() == 0 || dict->id() != reply->id) {
      throw SyncError(SyncErrorKind::kBadMessage, "its bytes carry id " +
                                                      std::to_string(dict->id()) + ", not " +
                                                      std::to_string(reply->id));
    }
  } catch (const SyncError& error) {
    ReportNote note = ReportNote::FromError(error);
    note.code = ReportCode::kDictUnusable;
    note.args = {kind};
    report_.errors.push_back(std::move(note));
    loaded_.erase(kind);
    Remember(kind, "none " + now);
    return;
  }
  const std::string sha256 = Sha256Hex(reply->bytes);
  const storage::Asset asset =
      store_.RecordAsset(sha256, static_cast<int64_t>(reply->bytes.size()));
  mkdir(store_.AssetsDir().c_str(), 0700);
  if (!storage::WriteFileAtomically(asset.path, reply->bytes)) {
    report_.errors.push_back(ReportNote::Of(ReportCode::kDictNotWritten, {kind, asset.path}));
  } else {
    store_.SetAssetBytes(sha256, static_cast<int64_t>(reply->bytes.size()));
    Remember(kind, std::to_string(reply->id) + " " + sha256 + " " + now);
  }
  ++report_.dict_fetched;
  loaded_[kind] = std::move(dict);
}

bool DictCache::LoadCached(const std::string& kind, uint32_t id, const std::string& sha256) {
  const auto asset = store_.GetAsset(sha256);
  if (!asset || !asset->complete()) return false;
  std::ifstream in(asset->path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    if (Sha256Hex(bytes) != sha256) throw SyncError(SyncErrorKind::kBadMessage, "hash mismatch");
    auto dict = std::make_unique<ZstdDictionary>(std::move(bytes));
    if (dict->id() != id) throw SyncError(SyncErrorKind::kBadMessage, "id mismatch");
    loaded_[kind] = std::move(dict);
    return true;
  } catch (const SyncError&) {
    report_.errors.push_back(ReportNote::Of(ReportCode::kDictDamaged, {kind}));
    store_.SetAssetBytes(sha256, 0);
    return false;
  }
}

const ZstdDictionary* DictCache::For(const std::string& kind) const {
  auto it = loaded_.find(kind);
  return it == loaded_.end() ? nullptr : it->second.get();
}

void DictCache::Drop(const std::string& kind) {
  loaded_.erase(kind);
  Remember(kind, "none " + std::to_string(store_.clock().NowMs()));
}

void DictCache::Remember(const std::string& kind, const std::string& value) {
  store_.SetCursor(account_, CursorName(kind), value);
}

}  // namespace mano::sync
