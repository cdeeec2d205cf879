// SyncError: the one exception type that leaves the mano::sync module.
//
// Every failure in sync/ (a malformed message, a body over a limit, a bad signature, an HTTP
// error, a captive portal, a local storage failure seen by the engine) is reported as a
// SyncError carrying a kind, a one-sentence message and, where it applies, the offending
// field path (e.g. "results[3].v.score") and the HTTP status. Being offline is a state of the
// engine, not an error: kOffline exists only for callers that must surface it as one.
// The message never contains a bearer token or any other secret.
// Thread safety: immutable after construction; safe to share between threads.
#pragma once

#include <stdexcept>
#include <string>

namespace mano::sync {

enum class SyncErrorKind {
  kBadMessage,  // input is not what the protocol says (JSON syntax, types, missing fields, UTF-8)
  kTooLarge,    // a body, a decompressed body or a field exceeds a limit
  kOffline,     // no route to the server (connect failed, DNS failed, link down)
  kTimeout,     // the link stalled or a request took too long
  kHttp,        // the server answered with an unexpected status code
  kAuth,        // 401/403: token refused or revoked
  kCaptive,     // a captive portal answered instead of the server (HTML with 200, redirect)
  kSignature,   // a receipt signature or pinned key did not verify
  kStorage,     // the local store failed underneath the engine
  kConfig,      // bad configuration (URL, key, file)
  kInternal,    // a bug or a library failure that should not happen
};

// Stable lower-case name of a kind ("bad_message", "too_large", ...), for logs and tests.
const char* SyncErrorKindName(SyncErrorKind kind) noexcept;

class SyncError : public std::runtime_error {
 public:
  // `field` names the offending field path when there is one (empty otherwise);
  // `http_status` is the HTTP status that caused the error, 0 when none.
  SyncError(SyncErrorKind kind, const std::string& message, std::string field = {},
            int http_status = 0);

  SyncErrorKind kind() const noexcept { return kind_; }
  const std::string& field() const noexcept { return field_; }
  int http_status() const noexcept { return http_status_; }

 private:
  SyncErrorKind kind_;
  std::string field_;
  int http_status_;
};

}  // namespace mano::sync
