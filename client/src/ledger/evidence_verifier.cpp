// VerifyEvidence: the offline check of an evidence file (see evidence.h).
#include <optional>

#include "evidence_internal.h"
#include "mano/client/i18n.h"
#include "mano/client/ledger/evidence.h"
#include "mano/sync/answer.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/jcs.h"
#include "mano/sync/messages.h"
#include "mano/sync/receipt_batch.h"
#include "mano/sync/receipt_signer.h"
#include "mano/sync/sync_error.h"

namespace mano::client::ledger {
namespace {

struct Failed {
  std::string sentence;
};

void Require(bool ok, const std::string& sentence) {
  if (!ok) throw Failed{sentence};
}

// Checks the journal excerpt; returns the last "state" entry's payload "to" and "reason".
std::pair<std::string, std::string> CheckJournal(const sync::JsonIn& journal, int64_t local_id,
                                                 std::vector<std::string>& passed) {
  const auto entries = journal.Member("entries");
  std::string prev_hash;
  int64_t prev_seq = 0, own = 0;
  std::pair<std::string, std::string> last_state;
  for (size_t i = 0; i < entries.Size(); ++i) {
    const auto e = entries.At(i);
    const int64_t seq = e.IntOf("seq");
    const std::string n = std::to_string(seq);
    Require(prev_seq == 0 || seq == prev_seq + 1,
            TrFormat("The journal excerpt skips from entry {0} to {1}: an entry was deleted or "
                     "the entries were reordered.",
                     {std::to_string(prev_seq), n}));
    Require(prev_seq == 0 || e.Str("prev_hash") == prev_hash,
            TrFormat("Journal entry {0} does not follow the entry before it: the chain is broken.",
                     {n}));
    if (e.Has("type")) {
      storage::JournalEntry entry;
      entry.seq = seq;
      entry.time_ms = e.IntOf("time_ms");
      entry.account = e.Str("account");
      entry.assignment_id = e.IntOf("assignment_id");
      entry.type = e.Str("type");
      entry.payload = e.Str("payload");
      entry.prev_hash = e.Str("prev_hash");
      Require(
          storage::JournalEntryHash(entry) == e.Str("hash"),
          TrFormat("Journal entry {0} was changed after it was written (its hash differs).", {n}));
      Require(*entry.assignment_id == local_id,
              TrFormat("Journal entry {0} belongs to another assignment.", {n}));
      ++own;
      if (entry.type == "state") {
        sync::JsonDocument payload(entry.payload);
        last_state = {payload.Root().StrOr("to", ""), payload.Root().StrOr("reason", "")};
      }
    }
    prev_hash = e.Str("hash");
    prev_seq = seq;
  }
  Require(own > 0, Tr("The file holds no journal entry about this assignment."));
  passed.push_back(TrFormatN(
      "The {0} journal entry about this assignment is unchanged and chained in order "
      "(entries {1} to {2}).",
      "The {0} journal entries about this assignment are unchanged and chained in order "
      "(entries {1} to {2}).",
      static_cast<unsigned long>(own),
      {std::to_string(own), std::to_string(entries.At(0).IntOf("seq")), std::to_string(prev_seq)}));
  return last_state;
}

void Check(std::string_view json, const std::string& expected_key_b64,
           std::vector<std::string>& passed) {
  std::optional<sync::JsonDocument> doc;
  try {
    doc.emplace(json);
  } catch (const sync::SyncError&) {
    throw Failed{Tr("This file is not valid JSON, so it is not a mano evidence file.")};
  }
  const auto root = doc->Root();
  Require(root.IsObject() && root.StrOr("format", "") == internal::kEvidenceFormat,
          TrFormat("This is not a mano evidence file (format {0}).", {internal::kEvidenceFormat}));
  const int64_t version = internal::EvidenceVersion(root);
  Require(version >= 1 && version <= internal::kEvidenceVersion,
          TrFormat("This evidence file is of version {0}, newer than this mano can check (up to "
                   "version {1}): check it with a newer mano.",
                   {std::to_string(version), std::to_string(internal::kEvidenceVersion)}));
  const auto a = root.Member("assignment");

  // The key pinned at login (needed only to check a receipt).
  const auto key = root.Member("server_key");
  std::optional<sync::ReceiptVerifier> verifier;
  try {
    verifier.emplace(sync::ReceiptVerifier::FromBase64(key.Str("key")));
  } catch (const sync::SyncError&) {
    Require(!root.Has("receipt") && expected_key_b64.empty(),
            Tr("The server key recorded in this file is not a valid Ed25519 public key."));
  }
  if (verifier) {
    Require(verifier->KeyId() == key.Str("key_id"),
            Tr("The server key id in this file does not match its key."));
  }
  if (!expected_key_b64.empty())
    Require(key.Str("key") == expected_key_b64,
            Tr("The server key in this file is not the key you gave to check against."));

  // The receipt, the answer, and the hash that binds them.
  std::optional<sync::Receipt> receipt;
  if (auto r = root.OptMember("receipt")) {
    receipt = sync::Receipt::Read(*r);
    const std::string status = sync::ReceiptStatusName(receipt->status);
    if (auto batch = root.OptMember("receipt_batch")) {
      // Signed with the other receipts of its reply: the batch's signature, then this
      // receipt's place in the batch.
      const std::string bytes = batch->Str("canonical");
      Require(verifier->VerifyBatch(bytes, batch->Str("sig")),
              TrFormat("The signature of the receipt batch does not match the server's key {0}: "
                       "the batch was altered, or it was not signed by this server.",
                       {verifier->KeyId()}));
      const auto receipts = sync::ParseBatchBytes(bytes);
      Require(receipts.has_value(),
              Tr("The signed receipt batch in this file is not in the protocol's canonical "
                 "form."));
      const auto place = internal::PlaceInBatch(root);
      Require(place.has_value(),
              Tr("The receipt is not in the batch the server signed: its key, assignment, "
                 "status, code, time or answer hash was changed."));
      passed.push_back(TrFormat(
          "The receipt (status {0}) is receipt {1} of {2} in a batch signed by the server key "
          "{3}.",
          {status, std::to_string(place->index + 1), std::to_string(place->count),
           verifier->KeyId()}));
    } else {
      Require(verifier->Verify(*receipt),
              TrFormat("The receipt's signature does not match the server's key {0}: the "
                       "receipt was altered, or it was not signed by this server.",
                       {verifier->KeyId()}));
      passed.push_back(TrFormat("The receipt (status {0}) is signed by the server key {1}.",
                                {status, verifier->KeyId()}));
    }
    Require(receipt->assignment_id == a.Str("server_id"),
            TrFormat("The receipt is for assignment {0}, not {1}.",
                     {receipt->assignment_id, a.Str("server_id")}));
  }
  if (auto answer = root.OptMember("answer")) {
    // The receipt's canonicalization version decides the hash (1: before RFC 8785); without
    // a receipt, the version whose hash the file records.
    const sync::Answer parsed = sync::Answer::Read(*answer);
    int cv = receipt ? receipt->canonical_version : sync::kCanonJcs;
    if (!receipt && parsed.Hash() != root.Str("answer_hash")) cv = sync::kCanonLegacy;
    const std::string hash = parsed.HashFor(cv);
    Require(hash == root.Str("answer_hash"),
            Tr("The answer in this file was changed: it no longer matches its recorded hash."));
    if (receipt) {
      Require(hash == receipt->answer_hash,
              Tr("The answer in this file is not the answer the server signed for "
                 "(its hash differs from the receipt's)."));
      passed.push_back(Tr("The answer is exactly the one the server's receipt covers."));
    }
  } else if (receipt) {
    passed.push_back(
        TrFormat("The answer itself is not in this file; the receipt names its sha256 {0}.",
                 {receipt->answer_hash}));
  }

  // The journal, the state, and the reason.
  const auto [state_to, state_reason] = CheckJournal(root.Member("journal"), a.IntOf("id"), passed);
  Require(state_to == a.Str("state"),
          TrFormat("The assignment's state ({0}) is not the last state in its journal ({1}).",
                   {a.Str("state"), state_to}));
  const std::string reason = root.StrOr("rejection_reason", "");
  if (state_to == "rejected" || root.Has("rejection_reason")) {
    Require(state_to == "rejected",
            Tr("The file gives a rejection reason but the journal shows no rejection."));
    Require(reason == state_reason,
            Tr("The rejection reason in this file differs from the one recorded in the "
               "journal."));
    const auto events = root.Member("events");
    for (size_t i = 0; i < events.Size(); ++i) {
      const auto e = events.At(i);
      if (e.StrOr("type", "") == "rejected")
        Require(e.StrOr("reason", "") == reason,
                Tr("The rejection reason in this file differs from the one in the server's "
                   "event."));
    }
    passed.push_back(Tr("The rejection reason matches the journal and the server's event."));
  }
  Require(root.Str("summary") == internal::SummaryOf(root),
          Tr("The plain-text summary was changed: it no longer matches the data in the file."));
  passed.push_back(Tr("The plain-text summary matches the data."));
}

}  // namespace

EvidenceCheck VerifyEvidence(std::string_view json, const std::string& expected_key_b64) {
  EvidenceCheck check;
  try {
    Check(json, expected_key_b64, check.passed);
    check.ok = true;
  } catch (const Failed& f) {
    check.problem = f.sentence;
  } catch (const sync::SyncError& e) {
    std::string detail = e.what();
    if (!detail.empty() && detail.back() == '.') detail.pop_back();
    // The detail is the parser's (English): it names the field that is wrong.
    check.problem = TrFormat("The evidence file is damaged or incomplete: {0}.", {detail});
  } catch (const std::exception& e) {
    check.problem = TrFormat("The evidence file could not be checked: {0}", {e.what()});
  }
  return check;
}

}  // namespace mano::client::ledger
