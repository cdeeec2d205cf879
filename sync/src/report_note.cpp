#include "mano/sync/report_note.h"

#include <utility>

namespace mano::sync {

const char* ReportCodeName(ReportCode code) noexcept {
  switch (code) {
    case ReportCode::kError:
      return "error";
    case ReportCode::kStoreFailed:
      return "store_failed";
    case ReportCode::kAnchorRefused:
      return "anchor_refused";
    case ReportCode::kBatchBadSignature:
      return "batch_bad_signature";
    case ReportCode::kReceiptBadSignature:
      return "receipt_bad_signature";
    case ReportCode::kReceiptOtherContent:
      return "receipt_other_content";
    case ReportCode::kResultRefused:
      return "result_refused";
    case ReportCode::kAssetResumeFailed:
      return "asset_resume_failed";
    case ReportCode::kAssetDamaged:
      return "asset_damaged";
    case ReportCode::kDictUnusable:
      return "dict_unusable";
    case ReportCode::kDictNotWritten:
      return "dict_not_written";
    case ReportCode::kDictDamaged:
      return "dict_damaged";
    case ReportCode::kAnswerTooLarge:
      return "answer_too_large";
  }
  return "unknown";
}

ReportNote ReportNote::Of(ReportCode code, std::vector<std::string> args) {
  ReportNote note;
  note.code = code;
  note.args = std::move(args);
  return note;
}

ReportNote ReportNote::FromError(const SyncError& error) {
  ReportNote note;
  note.code = ReportCode::kError;
  note.error = error.kind();
  note.http_status = error.http_status();
  note.detail = error.what();
  return note;
}

ReportNote ReportNote::StoreFailed(const std::exception& error) {
  ReportNote note;
  note.code = ReportCode::kStoreFailed;
  note.error = SyncErrorKind::kStorage;
  note.detail = error.what();
  return note;
}

std::string ReportNote::DebugString() const {
  std::string out = ReportCodeName(code);
  out += "(";
  if (code == ReportCode::kError) out += SyncErrorKindName(error) + std::string(": ");
  for (size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + args[i];
  if (!detail.empty()) out += (args.empty() ? "" : ", ") + detail;
  return out + ")";
}

}  // namespace mano::sync
