#include "mano/sync/sync_error.h"

#include <utility>

#include "mano/storage/enum_names.h"

namespace mano::sync {

constexpr storage::EnumName<SyncErrorKind> kKindNames[] = {
    {SyncErrorKind::kBadMessage, "bad_message"},
    {SyncErrorKind::kTooLarge, "too_large"},
    {SyncErrorKind::kOffline, "offline"},
    {SyncErrorKind::kTimeout, "timeout"},
    {SyncErrorKind::kHttp, "http"},
    {SyncErrorKind::kAuth, "auth"},
    {SyncErrorKind::kCaptive, "captive"},
    {SyncErrorKind::kSignature, "signature"},
    {SyncErrorKind::kStorage, "storage"},
    {SyncErrorKind::kConfig, "config"},
    {SyncErrorKind::kInternal, "internal"},
};

const char* SyncErrorKindName(SyncErrorKind kind) noexcept {
  return storage::NameOf(kKindNames, kind, "unknown");
}

SyncError::SyncError(SyncErrorKind kind, const std::string& message, std::string field,
                     int http_status)
    : std::runtime_error(message),
      kind_(kind),
      field_(std::move(field)),
      http_status_(http_status) {}

}  // namespace mano::sync
