#include <string>
#include <vector>

#include "evidence_internal.h"
#include "mano/client/i18n.h"
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

int64_t EvidenceVersion(const sync::JsonIn& root) { return root.IntOr("version", 1); }

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

std::string SummaryOf(const sync::JsonIn& root, SummaryWords words) {
  // Each sentence is an English pattern: the record keeps it as it is (its bytes are what
  // the verifier derives again), the worker's rendering translates it.
  auto line = [words](const char* pattern, const std::vector<std::string>& args) {
    return Format(words == SummaryWords::kWorker ? Tr(pattern) : pattern, args) + "\n";
  };
  // Amounts as the file's version printed them.
  const bool rounded = EvidenceVersion(root) < 2;
  auto amount = [rounded](int64_t micros, const std::string& currency) {
    return rounded ? FormatAmountRoundedV1(micros, currency) : FormatAmount(micros, currency);
  };
  std::string s;
  const auto account = root.Member("account");
  const auto a = root.Member("assignment");
  const std::string currency = a.StrOr("currency", "");
  s += line(N_("Evidence kept by mano for assignment {0} (local id {1}) of account {2} at {3}."),
            {a.StrOr("server_id", "?"), std::to_string(a.IntOr("id", 0)),
             account.StrOr("name", "?"), account.StrOr("server_url", "?")});
  s += line(
      N_("Task {0}, kind {1}, reward {2} {3}, claimed {4}, deadline {5} (server time)."),
      {a.StrOr("task", "?"), a.StrOr("kind", "?"), amount(a.IntOr("reward_micros", 0), currency),
       currency, When(a, "claimed_at_ms"), When(a, "deadline_ms")});
  s += line(N_("State in the worker's records: {0}."), {a.StrOr("state", "?")});
  if (auto answer = root.OptMember("answer")) {
    s += line(N_("Answer as submitted ({0}, sha256 {1}):"),
              {root.StrOr("answer_source", "?"), root.StrOr("answer_hash", "?")});
    s += "  " + sync::Answer::Read(*answer).ToJson() + "\n";
  } else if (root.Has("receipt")) {
    s += line(N_("The answer as submitted is no longer on this machine; the receipt below names "
                 "its sha256."),
              {});
  } else {
    s += line(N_("No answer was submitted."), {});
  }
  const auto key = root.Member("server_key");
  if (auto r = root.OptMember("receipt")) {
    std::vector<std::string> args = {key.StrOr("key_id", "?"), r->StrOr("s", "?"),
                                     std::to_string(r->IntOr("c", 0)), When(*r, "t"),
                                     r->StrOr("h", "?")};
    if (!root.Has("receipt_batch")) {
      s += line(N_("Receipt signed by the server (key {0}): status {1} (code {2}) at {3}, for "
                   "the answer with sha256 {4}."),
                args);
    } else if (const auto place = PlaceInBatch(root)) {
      args.push_back(std::to_string(place->index + 1));
      args.push_back(std::to_string(place->count));
      s += line(N_("Receipt signed by the server (key {0}, as receipt {5} of {6} in one batch): "
                   "status {1} (code {2}) at {3}, for the answer with sha256 {4}."),
                args);
    } else {
      s += line(N_("Receipt signed by the server (key {0}, in a batch that does not hold it): "
                   "status {1} (code {2}) at {3}, for the answer with sha256 {4}."),
                args);
    }
  } else {
    s += line(N_("No receipt from the server."), {});
  }
  const auto anchors = root.Member("anchors");
  s += line(N_("Progress anchors acknowledged by the server: {0}."),
            {std::to_string(anchors.Size())});
  for (size_t i = 0; i < anchors.Size(); ++i)
    s += "  " +
         line(N_("{0} checkpoint {1}"), {When(anchors.At(i), "t"), anchors.At(i).StrOr("h", "?")});
  const auto events = root.Member("events");
  for (size_t i = 0; i < events.Size(); ++i) {
    const auto e = events.At(i);
    if (e.Has("amount")) {
      s += line(N_("Server event: {0} at {1}, amount {2}."),
                {e.StrOr("type", "?"), When(e, "t"),
                 amount(e.IntOr("amount", 0), e.StrOr("currency", currency))});
    } else {
      s += line(N_("Server event: {0} at {1}."), {e.StrOr("type", "?"), When(e, "t")});
    }
  }
  const std::string reason = root.StrOr("rejection_reason", "");
  if (!reason.empty()) s += line(N_("Reason the server gave for the rejection: \"{0}\""), {reason});
  const auto journal = root.Member("journal");
  const auto entries = journal.Member("entries");
  int64_t own = 0;
  for (size_t i = 0; i < entries.Size(); ++i) own += entries.At(i).Has("type") ? 1 : 0;
  const std::string head = std::to_string(journal.IntOr("head_seq", 0));
  if (entries.Size() > 0) {
    s += line(N_("Work journal: {0} entries about this assignment, hash-chained (entries {1} to "
                 "{2}); journal head at export: entry {3}."),
              {std::to_string(own), std::to_string(entries.At(0).IntOr("seq", 0)),
               std::to_string(entries.At(entries.Size() - 1).IntOr("seq", 0)), head});
  } else {
    s += line(N_("Work journal: {0} entries about this assignment, hash-chained; journal head at "
                 "export: entry {1}."),
              {std::to_string(own), head});
  }
  s += line(N_("File written {0}. Check it offline with: mano evidence verify FILE"),
            {root.StrOr("created", "?")});
  return s;
}

}  // namespace mano::client::ledger::internal
