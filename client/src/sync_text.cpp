#include "mano/client/sync_text.h"

#include <cstdlib>
#include <utility>

#include "mano/client/i18n.h"
#include "mano/client/time_format.h"
#include "mano/storage/enum_names.h"

namespace mano::client {
namespace {

unsigned long CountOf(const std::string& number) {
  return std::strtoul(number.c_str(), nullptr, 10);
}

std::string Arg(const std::vector<std::string>& args, size_t i) {
  return i < args.size() ? args[i] : std::string();
}

// The sentence around a failure that ended a pass or a request, by its kind.
std::string ErrorText(const sync::ReportNote& note) {
  using sync::SyncErrorKind;
  switch (note.error) {
    case SyncErrorKind::kOffline:
    case SyncErrorKind::kTimeout:
      return Tr("The server cannot be reached.");
    case SyncErrorKind::kCaptive:
      return Tr("A captive portal answered instead of the server (log in to the network first).");
    case SyncErrorKind::kAuth:
      return Tr("The server refused the token; log in again (mano login).");
    case SyncErrorKind::kHttp:
      return TrFormat("The server answered with error {0}.", {std::to_string(note.http_status)});
    case SyncErrorKind::kStorage:
      return TrFormat("The local store failed ({0}).", {note.detail});
    case SyncErrorKind::kSignature:
      return Tr("The server's signature did not verify; nothing was accepted from it.");
    case SyncErrorKind::kTooLarge:
      return Tr("The server's answer was larger than allowed; it was ignored.");
    case SyncErrorKind::kConfig:
      return TrFormat("The configuration is not usable ({0}).", {note.detail});
    case SyncErrorKind::kBadMessage:
    case SyncErrorKind::kInternal:
      break;
  }
  return TrFormat("The server's answer was not usable ({0}).", {note.detail});
}

}  // namespace

std::string ValidationText(const sync::ValidationError& e) {
  using sync::ValidationCode;
  const auto& a = e.args;
  switch (e.code) {
    case ValidationCode::kRequired:
      return Tr("is required");
    case ValidationCode::kUnknownField:
      return Tr("is not a field of this form");
    case ValidationCode::kNotWholeNumber:
      return Tr("must be a whole number");
    case ValidationCode::kNotNumber:
      return Tr("must be a number");
    case ValidationCode::kNotFinite:
      return Tr("must be a finite number");
    case ValidationCode::kNotText:
      return Tr("must be text (a string)");
    case ValidationCode::kNotUtf8:
      return Tr("is not valid UTF-8");
    case ValidationCode::kNotBoxList:
      return Tr("must be a list of boxes");
    case ValidationCode::kNotOptionString:
      return Tr("must be one of the options (a string)");
    case ValidationCode::kNotOptionList:
      return Tr("must be a list of options (strings)");
    case ValidationCode::kBoxNotPositive:
      return Tr("width and height must be positive");
    case ValidationCode::kBelowMin:
      return TrFormat("must be at least {0}", {Arg(a, 0)});
    case ValidationCode::kAboveMax:
      return TrFormat("must be at most {0}", {Arg(a, 0)});
    case ValidationCode::kTooFewOptions:
      return TrFormatN("choose at least {0} option", "choose at least {0} options",
                       CountOf(Arg(a, 0)), {Arg(a, 0)});
    case ValidationCode::kTooManyOptions:
      return TrFormatN("choose at most {0} option", "choose at most {0} options",
                       CountOf(Arg(a, 0)), {Arg(a, 0)});
    case ValidationCode::kTooFewBoxes:
      return TrFormatN("draw at least {0} box", "draw at least {0} boxes", CountOf(Arg(a, 0)),
                       {Arg(a, 0)});
    case ValidationCode::kTooManyBoxes:
      return TrFormatN("draw at most {0} box", "draw at most {0} boxes", CountOf(Arg(a, 0)),
                       {Arg(a, 0)});
    case ValidationCode::kOutsideImage:
      return TrFormat("lies outside the image ({0}x{1})", {Arg(a, 0), Arg(a, 1)});
    case ValidationCode::kNotAnOption:
      return TrFormat("\"{0}\" is not one of the options", {Arg(a, 0)});
    case ValidationCode::kChosenTwice:
      return TrFormat("\"{0}\" is chosen twice", {Arg(a, 0)});
    case ValidationCode::kNotALabel:
      return TrFormat("\"{0}\" is not one of the labels", {Arg(a, 0)});
    case ValidationCode::kTextTooLong:
      return TrFormatN("is {0} character long; the limit is {1}",
                       "is {0} characters long; the limit is {1}", CountOf(Arg(a, 0)),
                       {Arg(a, 0), Arg(a, 1)});
    case ValidationCode::kFormProblem:
      break;
  }
  return e.message;  // a form's own problem: for the operator who wrote it
}

std::string ValidationSummary(const std::vector<sync::ValidationError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += "; ";
    out += e.field + ": " + ValidationText(e);
  }
  return out;
}

std::string ReportNoteText(const sync::ReportNote& note) {
  using sync::ReportCode;
  const auto& a = note.args;
  switch (note.code) {
    case ReportCode::kError:
      return ErrorText(note);
    case ReportCode::kStoreFailed:
      return TrFormat("The local store failed ({0}).", {note.detail});
    case ReportCode::kAnchorRefused:
      return TrFormat("The server refused the progress proof of assignment {0} (error {1}).",
                      {Arg(a, 0), Arg(a, 1)});
    case ReportCode::kBatchBadSignature:
      return TrFormatN(
          "The server's receipt for {0} result has a bad signature; it stays queued.",
          "The server's receipts for {0} results have a bad signature; they stay queued.",
          CountOf(Arg(a, 0)), {Arg(a, 0)});
    case ReportCode::kReceiptBadSignature:
      return TrFormat("The receipt for {0} has a bad signature; the result stays queued.",
                      {Arg(a, 0)});
    case ReportCode::kReceiptOtherContent:
      return TrFormat("The server acknowledged other content for {0}; the result stays queued.",
                      {Arg(a, 0)});
    case ReportCode::kResultRefused:
      if (Arg(a, 2).empty())
        return TrFormat("The server refused {0} ({1}).", {Arg(a, 0), Arg(a, 1)});
      return TrFormat("The server refused {0} ({1}): {2}.", {Arg(a, 0), Arg(a, 1), Arg(a, 2)});
    case ReportCode::kAssetResumeFailed:
      return TrFormat("File {0} did not resume cleanly; it will be fetched again.", {Arg(a, 0)});
    case ReportCode::kAssetDamaged:
      return TrFormat("File {0} arrived damaged; it will be fetched again.", {Arg(a, 0)});
    case ReportCode::kDictUnusable:
      return TrFormat(
          "The server's compression dictionary for {0} cannot be used; results go without it.",
          {KindText(Arg(a, 0))});
    case ReportCode::kDictNotWritten:
      return TrFormat("Cannot write the compression dictionary file {1}; it is used for now only.",
                      {KindText(Arg(a, 0)), Arg(a, 1)});
    case ReportCode::kDictDamaged:
      return TrFormat(
          "The stored compression dictionary for {0} is damaged; it will be fetched again.",
          {KindText(Arg(a, 0))});
    case ReportCode::kAnswerTooLarge:
      return TrFormat(
          "Assignment {0} was not sent and is a draft again. {1}",
          {Arg(a, 0), AnswerTooLargeText(std::strtoull(Arg(a, 1).c_str(), nullptr, 10),
                                         std::strtoull(Arg(a, 2).c_str(), nullptr, 10))});
  }
  return sync::ReportCodeName(note.code);
}

std::string AnswerTooLargeText(size_t bytes, size_t limit) {
  // Whole MiB, rounded up: 64 MiB and one byte reads 65, never 64.
  auto mib = [](size_t n) { return std::to_string(n / (1u << 20) + (n % (1u << 20) != 0)); };
  return TrFormat(
      "The answer is {0} MiB, more than the {1} MiB a result may carry: shorten it and submit "
      "it again.",
      {mib(bytes), std::to_string(limit >> 20)});
}

std::string StateReasonText(const std::string& reason) {
  if (auto too_large = sync::ReadAnswerTooLargeReason(reason))
    return TrFormat("Not sent: {0}", {AnswerTooLargeText(too_large->bytes, too_large->limit)});
  return reason;
}

std::string LateWarningText(const sync::LateOutlook& late) {
  if (!late.late) return "";
  switch (late.policy) {
    case sync::LatePolicy::kRefuse:
      return Tr(
          "The deadline has passed and this task refuses late results: the server will "
          "not accept it.");
    case sync::LatePolicy::kAccept:
      return Tr(
          "The deadline has passed; this task accepts late results: it will be accepted "
          "as late.");
    case sync::LatePolicy::kAcceptIfAnchored:
      if (late.anchored)
        return TrFormat(
            "The deadline has passed; this task accepts late results only if the work was "
            "anchored in time, and it was (at {0}): it will be accepted as late.",
            {FormatLocalTime(late.anchor_server_ms)});
      return Tr(
          "The deadline has passed; this task accepts late results only if the work was "
          "anchored in time, and it was not: the server will refuse it.");
  }
  return "";
}

std::string FieldTypeText(sync::FieldType type) {
  using sync::FieldType;
  static constexpr storage::EnumName<FieldType> kWords[] = {
      {FieldType::kSingle, N_("single choice")}, {FieldType::kMulti, N_("multiple choice")},
      {FieldType::kScale, N_("scale")},          {FieldType::kText, N_("text")},
      {FieldType::kNumber, N_("number")},        {FieldType::kBoxes, N_("boxes")},
  };
  const char* words = storage::NameOf(kWords, type, nullptr);
  return words ? Tr(words) : sync::FieldTypeName(type);
}

std::string KindText(const std::string& kind) {
  static constexpr std::pair<const char*, const char*> kKinds[] = {
      {"relevance", N_("relevance")},         {"classification", N_("classification")},
      {"audio_quality", N_("audio_quality")}, {"transcription", N_("transcription")},
      {"entity_update", N_("entity_update")}, {"bounding_boxes", N_("bounding_boxes")},
  };
  for (const auto& [stable, words] : kKinds)
    if (kind == stable) return Tr(words);
  return kind;
}

}  // namespace mano::client
