#include "mano/sync/zstd_dictionary.h"

#include <zdict.h>
#include <zstd.h>

#include "mano/sync/sync_error.h"

namespace mano::sync {

ZstdDictionary::ZstdDictionary(std::string bytes, int level)
    : bytes_(std::move(bytes)), level_(level) {
  if (bytes_.size() < 8) throw SyncError(SyncErrorKind::kBadMessage, "zstd dictionary too short");
  id_ = ZDICT_getDictID(bytes_.data(), bytes_.size());
  cdict_ = ZSTD_createCDict(bytes_.data(), bytes_.size(), level_);
  ddict_ = ZSTD_createDDict(bytes_.data(), bytes_.size());
  if (!cdict_ || !ddict_) {
    ZSTD_freeCDict(cdict_);
    ZSTD_freeDDict(ddict_);
    throw SyncError(SyncErrorKind::kBadMessage, "zstd dictionary could not be loaded");
  }
}

ZstdDictionary::~ZstdDictionary() {
  ZSTD_freeCDict(cdict_);
  ZSTD_freeDDict(ddict_);
}

std::string ZstdDictionary::Train(const std::vector<std::string>& samples, std::size_t capacity) {
  std::string joined;
  std::vector<std::size_t> sizes;
  for (const auto& s : samples) {
    joined += s;
    sizes.push_back(s.size());
  }
  std::string dict(capacity, '\0');
  std::size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), joined.data(), sizes.data(),
                                        static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n)) {
    throw SyncError(SyncErrorKind::kBadMessage,
                    std::string("zstd dictionary training failed: ") + ZDICT_getErrorName(n));
  }
  dict.resize(n);
  return dict;
}

}  // namespace mano::sync
