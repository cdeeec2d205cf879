// ReportNote: one thing a sync pass has to tell the worker, as a code plus arguments.
//
// sync/ never writes sentences for people: the client turns each note into one, in the
// worker's language (client/include/mano/client/sync_text.h). The arguments of each code
// are listed beside it, in order; they are values (ids, counts, kinds, a server's own
// reason), never English. A note that stands for a SyncError keeps its kind, its HTTP
// status and its English detail (for logs; the client shows it only inside a translated
// sentence). Plain values; thread-safe to copy.
#pragma once

#include <string>
#include <vector>

#include "mano/sync/sync_error.h"

namespace mano::sync {

enum class ReportCode {
  kError,                // a SyncError ended the pass or one request: see `error`, `detail`
  kStoreFailed,          // the local store failed: detail
  kAnchorRefused,        // the server refused an anchor: assignment id, HTTP status
  kBatchBadSignature,    // a batch signature did not verify: number of results kept queued
  kReceiptBadSignature,  // one receipt's signature did not verify: idempotency key
  kReceiptOtherContent,  // the receipt names other content: idempotency key
  kResultRefused,        // the server refused a result: key, receipt status, reason ("" none)
  kAssetResumeFailed,    // an asset download did not resume cleanly: hash (12 hex)
  kAssetDamaged,         // an asset arrived damaged: hash (12 hex)
  kDictUnusable,         // the server's zstd dictionary cannot be used: kind
  kDictNotWritten,       // the dictionary file could not be written: kind, path
  kDictDamaged,          // the stored dictionary is damaged: kind
  kAnswerTooLarge,       // a queued answer over kMaxUploadBytes went back to its draft, unsent:
                         // local assignment id, answer bytes, limit bytes
};

// Stable lower-case name of a code ("error", "result_refused", ...), for logs and tests.
const char* ReportCodeName(ReportCode code) noexcept;

struct ReportNote {
  ReportCode code = ReportCode::kError;
  std::vector<std::string> args;
  // For kError: what kind of failure and its English detail (logs only).
  SyncErrorKind error = SyncErrorKind::kInternal;
  int http_status = 0;
  std::string detail;

  static ReportNote Of(ReportCode code, std::vector<std::string> args = {});
  static ReportNote FromError(const SyncError& error);
  static ReportNote StoreFailed(const std::exception& error);

  // "result_refused(k1, late_refused, too late)": for logs and tests, not for people.
  std::string DebugString() const;
};

}  // namespace mano::sync
