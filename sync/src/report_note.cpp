#include "mano/sync/report_note.h"

#include <utility>

#include "mano/storage/enum_names.h"

namespace mano::sync {

constexpr storage::EnumName<ReportCode> kCodeNames[] = {
    {ReportCode::kError, "error"},
    {ReportCode::kStoreFailed, "store_failed"},
    {ReportCode::kAnchorRefused, "anchor_refused"},
    {ReportCode::kBatchBadSignature, "batch_bad_signature"},
    {ReportCode::kReceiptBadSignature, "receipt_bad_signature"},
    {ReportCode::kReceiptOtherContent, "receipt_other_content"},
    {ReportCode::kResultRefused, "result_refused"},
    {ReportCode::kAssetResumeFailed, "asset_resume_failed"},
    {ReportCode::kAssetDamaged, "asset_damaged"},
    {ReportCode::kDictUnusable, "dict_unusable"},
    {ReportCode::kDictNotWritten, "dict_not_written"},
    {ReportCode::kDictDamaged, "dict_damaged"},
    {ReportCode::kAnswerTooLarge, "answer_too_large"},
};

const char* ReportCodeName(ReportCode code) noexcept {
  return storage::NameOf(kCodeNames, code, "unknown");
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
