#include "mano/sync/sync_error.h"

#include <utility>

namespace mano::sync {

const char* SyncErrorKindName(SyncErrorKind kind) noexcept {
  switch (kind) {
    case SyncErrorKind::kBadMessage:
      return "bad_message";
    case SyncErrorKind::kTooLarge:
      return "too_large";
    case SyncErrorKind::kOffline:
      return "offline";
    case SyncErrorKind::kTimeout:
      return "timeout";
    case SyncErrorKind::kHttp:
      return "http";
    case SyncErrorKind::kAuth:
      return "auth";
    case SyncErrorKind::kCaptive:
      return "captive";
    case SyncErrorKind::kSignature:
      return "signature";
    case SyncErrorKind::kStorage:
      return "storage";
    case SyncErrorKind::kConfig:
      return "config";
    case SyncErrorKind::kInternal:
      return "internal";
  }
  return "unknown";
}

SyncError::SyncError(SyncErrorKind kind, const std::string& message, std::string field,
                     int http_status)
    : std::runtime_error(message),
      kind_(kind),
      field_(std::move(field)),
      http_status_(http_status) {}

}  // namespace mano::sync
