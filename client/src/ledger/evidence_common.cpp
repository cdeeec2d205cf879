#include <sstream>

#include "evidence_internal.h"
#include "mano/client/ledger/money.h"
#include "mano/client/time_format.h"
#include "mano/sync/answer.h"
#include "mano/sync/messages.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/sync_error.h"

namespace mano::client::ledger::internal {
namespace {

std::string When(const sync::JsonIn& in, const char* member) {
  const int64_t ms = in.IntOr(member, 0);
  return ms > 0 ? FormatRfc3339(ms) : std::string("-");
}

}  // namespace

std::optional<BatchPlace> PlaceInBatch(const sync::JsonIn& root) {
  const auto receipt = root.OptMember("receipt");
  const auto batch = root.OptMember("receipt_batch");
  if (!receipt || !batch) return std::nullopt;
  const auto receipts = sync::ParseBatchBytes(batch->StrOr("canonical", ""));
  if (!receipts) return std::nullopt;
  const auto index = sync::FindInBatch(*receipts, sync::Receipt::Read(*receipt));
  if (!index) return std::nullopt;
  return BatchPlace{*index, receipts->size()};
}

std::string SummaryOf(const sync::JsonIn& root) {
  std::ostringstream s;
  const auto account = root.Member("account");
  const auto a = root.Member("assignment");
  const std::string currency = a.StrOr("currency", "");
  s << "Evidence kept by mano for assignment " << a.StrOr("server_id", "?") << " (local id "
    << a.IntOr("id", 0) << ") of account " << account.StrOr("name", "?") << " at "
    << account.StrOr("server_url", "?") << ".\n";
  s << "Task " << a.StrOr("task", "?") << ", kind " << a.StrOr("kind", "?") << ", reward "
    << FormatAmount(a.IntOr("reward_micros", 0), currency) << " " << currency << ", claimed "
    << When(a, "claimed_at_ms") << ", deadline " << When(a, "deadline_ms") << " (server time).\n";
  s << "State in the worker's records: " << a.StrOr("state", "?") << ".\n";
  if (auto answer = root.OptMember("answer")) {
    s << "Answer as submitted (" << root.StrOr("answer_source", "?") << ", sha256 "
      << root.StrOr("answer_hash", "?") << "):\n  " << sync::Answer::Read(*answer).ToJson() << "\n";
  } else if (root.Has("receipt")) {
    s << "The answer as submitted is no longer on this machine; the receipt below names its "
         "sha256.\n";
  } else {
    s << "No answer was submitted.\n";
  }
  const auto key = root.Member("server_key");
  if (auto r = root.OptMember("receipt")) {
    s << "Receipt signed by the server (key " << key.StrOr("key_id", "?");
    if (root.Has("receipt_batch")) {
      if (const auto place = PlaceInBatch(root)) {
        s << ", as receipt " << place->index + 1 << " of " << place->count << " in one batch";
      } else {
        s << ", in a batch that does not hold it";
      }
    }
    s << "): status " << r->StrOr("s", "?") << " (code " << r->IntOr("c", 0) << ") at "
      << When(*r, "t") << ", for the answer with sha256 " << r->StrOr("h", "?") << ".\n";
  } else {
    s << "No receipt from the server.\n";
  }
  const auto anchors = root.Member("anchors");
  s << "Progress anchors acknowledged by the server: " << anchors.Size() << ".\n";
  for (size_t i = 0; i < anchors.Size(); ++i)
    s << "  " << When(anchors.At(i), "t") << " checkpoint " << anchors.At(i).StrOr("h", "?")
      << "\n";
  const auto events = root.Member("events");
  for (size_t i = 0; i < events.Size(); ++i) {
    const auto e = events.At(i);
    s << "Server event: " << e.StrOr("type", "?") << " at " << When(e, "t");
    if (e.Has("amount"))
      s << ", amount " << FormatAmount(e.IntOr("amount", 0), e.StrOr("currency", currency));
    s << ".\n";
  }
  const std::string reason = root.StrOr("rejection_reason", "");
  if (!reason.empty()) s << "Reason the server gave for the rejection: \"" << reason << "\"\n";
  const auto journal = root.Member("journal");
  const auto entries = journal.Member("entries");
  int64_t own = 0;
  for (size_t i = 0; i < entries.Size(); ++i) own += entries.At(i).Has("type") ? 1 : 0;
  s << "Work journal: " << own << " entries about this assignment, hash-chained";
  if (entries.Size() > 0)
    s << " (entries " << entries.At(0).IntOr("seq", 0) << " to "
      << entries.At(entries.Size() - 1).IntOr("seq", 0) << ")";
  s << "; journal head at export: entry " << journal.IntOr("head_seq", 0) << ".\n";
  s << "File written " << root.StrOr("created", "?")
    << ". Check it offline with: mano evidence verify FILE\n";
  return s.str();
}

}  // namespace mano::client::ledger::internal
