// BuildEvidence: gathers what the store knows about one assignment into one JSON document.
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "evidence_internal.h"
#include "json_payload.h"
#include "mano/client/i18n.h"
#include "mano/client/ledger/evidence.h"
#include "mano/client/time_format.h"
#include "mano/sync/answer.h"
#include "mano/sync/crypto_util.h"
#include "mano/sync/jcs.h"
#include "mano/sync/messages.h"
#include "mano/sync/receipt_signer.h"
#include "mano/sync/sync_error.h"

namespace mano::client::ledger {
namespace {

using rapidjson::Value;

struct AnswerFound {
  std::optional<sync::Answer> answer;
  std::string source;  // "outbox", "checkpoint", "draft"
};

std::optional<sync::Answer> TryAnswer(std::string_view json, bool submit_result) {
  try {
    sync::JsonDocument doc(json);
    return sync::Answer::Read(submit_result ? doc.Root().Member("v") : doc.Root());
  } catch (const sync::SyncError&) {
    return std::nullopt;
  }
}

// The answer as submitted: the outbox item while it waits; once acknowledged, the
// checkpoint whose answer hashes to the receipt's "h"; failing both, the latest draft.
AnswerFound FindAnswer(storage::Store& store, const storage::Assignment& a,
                       const std::string& receipt_hash) {
  for (const auto& item : store.ListOutbox(a.account))
    if (item.assignment_id == a.id)
      if (auto answer = TryAnswer(item.body, true)) return {answer, "outbox"};
  const auto history = store.CheckpointHistory(a.id);
  if (!receipt_hash.empty()) {
    for (const auto& c : history) {
      auto answer = TryAnswer(c.content, false);
      // Version 1 receipts (before RFC 8785) hold the legacy hash.
      if (answer && (answer->Hash() == receipt_hash || answer->LegacyHash() == receipt_hash))
        return {answer, "checkpoint"};
    }
  }
  if (!history.empty())
    if (auto answer = TryAnswer(history.front().content, false)) return {answer, "draft"};
  return {};
}

class DocBuilder {
 public:
  DocBuilder() { doc_.SetObject(); }
  rapidjson::Document& doc() { return doc_; }
  Value Str(std::string_view s) {
    return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), al());
  }
  Value Int(int64_t v) { return Value(static_cast<int64_t>(v)); }
  // Embedded JSON text as a value; kept as a string when it does not parse.
  Value Parsed(const std::string& text) {
    rapidjson::Document sub;
    sub.Parse(text.data(), text.size());
    if (sub.HasParseError()) return Str(text);
    Value v;
    v.CopyFrom(sub, al());
    return v;
  }
  void Add(Value& object, const char* key, Value value) {
    object.AddMember(Value(key, al()), value, al());
  }
  // Appends to `array` an object whose members `fill(object)` adds.
  template <typename Fill>
  void AppendObject(Value& array, const Fill& fill) {
    Value object(rapidjson::kObjectType);
    fill(object);
    array.PushBack(object, al());
  }
  rapidjson::Document::AllocatorType& al() { return doc_.GetAllocator(); }

 private:
  rapidjson::Document doc_;
};

}  // namespace

Evidence BuildEvidence(storage::Store& store, int64_t assignment_id) {
  const auto a = store.GetAssignment(assignment_id);
  if (!a)
    throw storage::StoreError(
        storage::StoreError::Kind::kNotFound,
        TrFormat("There is no assignment {0}.", {std::to_string(assignment_id)}));
  const auto account = store.GetAccount(a->account).value_or(storage::Account{});
  const auto receipt = store.GetReceipt(a->id);
  std::string receipt_hash;
  int receipt_cv = sync::kCanonJcs;
  if (receipt) {
    try {
      const sync::Receipt parsed = sync::Receipt::FromJson(receipt->raw);
      receipt_hash = parsed.answer_hash;
      receipt_cv = parsed.canonical_version;
    } catch (const sync::SyncError&) {
    }
  }
  AnswerFound found = FindAnswer(store, *a, receipt_hash);
  // A later draft is not what the server received: leave it out rather than show it as such.
  if (!receipt_hash.empty() && found.source == "draft") found = {};

  DocBuilder b;
  Value& root = b.doc();
  b.Add(root, "format", b.Str(internal::kEvidenceFormat));
  b.Add(root, "version", b.Int(internal::kEvidenceVersion));
  b.Add(root, "summary", b.Str(""));
  b.Add(root, "created", b.Str(FormatRfc3339(store.clock().NowMs())));

  Value acc(rapidjson::kObjectType);
  b.Add(acc, "name", b.Str(a->account));
  b.Add(acc, "server_url", b.Str(account.server_url));
  b.Add(acc, "currency", b.Str(account.currency));
  b.Add(root, "account", std::move(acc));

  Value key(rapidjson::kObjectType);
  b.Add(key, "alg", b.Str("ed25519"));
  b.Add(key, "key", b.Str(account.receipt_key));
  std::string key_id;
  try {
    key_id = sync::KeyIdOf(sync::Base64Decode(account.receipt_key));
  } catch (const sync::SyncError&) {
  }
  b.Add(key, "key_id", b.Str(key_id));
  b.Add(root, "server_key", std::move(key));

  Value as(rapidjson::kObjectType);
  b.Add(as, "id", b.Int(a->id));
  b.Add(as, "server_id", b.Str(a->server_id));
  b.Add(as, "task", b.Str(a->task_id));
  b.Add(as, "kind", b.Str(a->kind));
  b.Add(as, "state", b.Str(storage::ToString(a->state)));
  b.Add(as, "reward_micros", b.Int(a->reward_micros));
  b.Add(as, "currency", b.Str(a->currency));
  b.Add(as, "deadline_ms", b.Int(a->deadline_server_ms));
  b.Add(as, "claimed_at_ms", b.Int(a->claimed_at_ms));
  b.Add(as, "task_as_sent", b.Parsed(a->payload));
  b.Add(root, "assignment", std::move(as));

  if (found.answer) {
    b.Add(root, "answer", b.Parsed(found.answer->ToJson()));
    b.Add(root, "answer_hash", b.Str(found.answer->HashFor(receipt_cv)));
    b.Add(root, "answer_source", b.Str(found.source));
  }
  if (receipt) b.Add(root, "receipt", b.Parsed(receipt->raw));
  if (receipt && receipt->batch_id > 0) {
    if (const auto batch = store.GetReceiptBatch(receipt->batch_id)) {
      Value signed_batch(rapidjson::kObjectType);
      b.Add(signed_batch, "canonical", b.Str(batch->canonical));
      b.Add(signed_batch, "sig", b.Str(batch->signature));
      b.Add(root, "receipt_batch", std::move(signed_batch));
    }
  }

  Value anchors(rapidjson::kArrayType);
  for (const auto& an : store.ListAnchors(a->id)) {
    b.AppendObject(anchors, [&](Value& v) {
      b.Add(v, "h", b.Str(an.checkpoint_hash));
      b.Add(v, "t", b.Int(an.server_time_ms));
      b.Add(v, "deadline", b.Int(an.new_deadline_ms));
      b.Add(v, "recorded_ms", b.Int(an.recorded_ms));
    });
  }
  b.Add(root, "anchors", std::move(anchors));

  Value events(rapidjson::kArrayType);
  std::string reason;
  store.ForEachEvent(a->account, [&](const storage::Event& e) {
    if (e.assignment_server_id != a->server_id) return;
    Value v = b.Parsed(e.payload);
    if (e.type == "rejected" && v.IsObject() && v.HasMember("reason") && v["reason"].IsString())
      reason = v["reason"].GetString();
    events.PushBack(v, b.al());
  });
  b.Add(root, "events", std::move(events));

  // The assignment's journal entries and the links between them.
  std::vector<storage::JournalEntry> all;
  int64_t first = 0, last = 0, head_seq = 0;
  std::string head_hash;
  store.ForEachJournalEntry([&](storage::JournalEntry& e) {
    head_seq = e.seq;
    head_hash = e.hash;
    if (e.assignment_id == a->id) {
      if (first == 0) first = e.seq;
      last = e.seq;
      if (e.type == "state" && reason.empty()) {
        internal::WithJson(e.payload, [&](const sync::JsonIn& in) {
          if (in.StrOr("to", "") == "rejected") reason = in.StrOr("reason", "");
        });
      }
    }
    if (first != 0) all.push_back(std::move(e));
  });
  if (a->state == storage::AssignmentState::kRejected || !reason.empty())
    b.Add(root, "rejection_reason", b.Str(reason));
  Value journal(rapidjson::kObjectType);
  b.Add(journal, "head_seq", b.Int(head_seq));
  b.Add(journal, "head_hash", b.Str(head_hash));
  Value entries(rapidjson::kArrayType);
  for (const auto& e : all) {
    if (e.seq > last) break;
    b.AppendObject(entries, [&](Value& v) {
      b.Add(v, "seq", b.Int(e.seq));
      if (e.assignment_id == a->id) {
        b.Add(v, "time_ms", b.Int(e.time_ms));
        b.Add(v, "account", b.Str(e.account));
        b.Add(v, "assignment_id", b.Int(*e.assignment_id));
        b.Add(v, "type", b.Str(e.type));
        b.Add(v, "payload", b.Str(e.payload));
      }
      b.Add(v, "prev_hash", b.Str(e.prev_hash));
      b.Add(v, "hash", b.Str(e.hash));
    });
  }
  b.Add(journal, "entries", std::move(entries));
  b.Add(root, "journal", std::move(journal));

  // The summary is derived from the rest, exactly as the checker will derive it.
  rapidjson::StringBuffer compact;
  rapidjson::Writer<rapidjson::StringBuffer> writer(compact);
  root.Accept(writer);
  Evidence out;
  {
    sync::JsonDocument parsed(std::string_view(compact.GetString(), compact.GetSize()));
    out.summary = internal::SummaryOf(parsed.Root());
    out.worker_summary = internal::SummaryOf(parsed.Root(), internal::SummaryWords::kWorker);
  }
  root["summary"] = b.Str(out.summary);
  rapidjson::StringBuffer pretty;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> pw(pretty);
  pw.SetIndent(' ', 2);
  root.Accept(pw);
  out.json.assign(pretty.GetString(), pretty.GetSize());
  out.json += '\n';
  return out;
}

}  // namespace mano::client::ledger
