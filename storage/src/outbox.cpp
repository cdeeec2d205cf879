// Store: the outbox of finished results, receipts, large-upload state and anchors.
#include "store_impl.h"

namespace mano::storage {
namespace {

#define MANO_OUTBOX_COLUMNS                                                         \
  "SELECT id, assignment_id, account, idempotency_key, body, content_hash, state, " \
  "attempts, enqueued_ms, updated_ms, upload_url, upload_offset, kind, server_id FROM outbox "

OutboxItem ReadItem(Statement& s) {
  OutboxItem o;
  std::string state;
  s.Columns(o.id, o.assignment_id, o.account, o.idempotency_key, o.body, o.content_hash, state,
            o.attempts, o.enqueued_ms, o.updated_ms, o.upload_url, o.upload_offset, o.kind,
            o.server_id);
  o.state = OutboxStateFromString(state);
  return o;
}

// Sets the state of outbox item `id`; returns its assignment id. Inside a transaction.
int64_t SetOutboxState(Store::Impl& impl, int64_t id, OutboxState state, int attempts_delta) {
  Database& db = *impl.db;
  auto s = db.Prepare(
      "UPDATE outbox SET state = ?, attempts = attempts + ?, updated_ms = ? WHERE id = ? "
      "RETURNING assignment_id");
  if (!s->BindAll(ToString(state), attempts_delta, impl.Now(), id).Step())
    impl.NotFound("outbox item " + std::to_string(id));
  int64_t assignment_id = s->Int(0);
  s->Run();
  return assignment_id;
}

}  // namespace

int64_t Store::EnqueueResult(int64_t assignment_id, std::string_view idempotency_key,
                             std::string_view body, std::string_view content_hash) {
  Database& db = *impl_->db;
  Transaction tx(db);
  {
    auto s = db.Prepare("SELECT id FROM outbox WHERE idempotency_key = ?");
    if (s->BindAll(idempotency_key).Step()) return s->Int(0);
  }
  auto a = GetAssignment(assignment_id);
  if (!a) impl_->NotFound("assignment " + std::to_string(assignment_id));
  int64_t now = impl_->Now();
  db.Prepare(
        "INSERT INTO outbox(assignment_id, account, idempotency_key, body, content_hash, "
        "state, enqueued_ms, updated_ms, kind, server_id) "
        "VALUES(?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)")
      ->BindAll(assignment_id, a->account, idempotency_key, Blob{body}, content_hash, now, now,
                a->kind, a->server_id)
      .Run();
  int64_t id = db.LastInsertId();
  impl_->ChangeState(assignment_id, AssignmentState::kQueued, "result enqueued");
  tx.Commit();
  return id;
}

std::vector<OutboxItem> Store::PendingResults(const std::string& account, int limit) {
  auto s = impl_->db->Prepare(MANO_OUTBOX_COLUMNS
                              "WHERE account = ? AND state IN ('pending', 'sending') "
                              "ORDER BY id LIMIT ?");
  return s->BindAll(account, limit).Rows(ReadItem);
}

std::vector<OutboxItem> Store::ListOutbox(const std::string& account) {
  auto s = impl_->db->Prepare(MANO_OUTBOX_COLUMNS
                              "WHERE account = ? AND state != 'acknowledged' ORDER BY id");
  return s->BindAll(account).Rows(ReadItem);
}

std::optional<OutboxItem> Store::TEST_GetOutboxItem(int64_t outbox_id) {
  auto s = impl_->db->Prepare(MANO_OUTBOX_COLUMNS "WHERE id = ?");
  if (!s->BindAll(outbox_id).Step()) return std::nullopt;
  return ReadItem(*s);
}

bool Store::MarkSending(int64_t outbox_id) { return !MarkSending(std::vector{outbox_id}).empty(); }

std::vector<int64_t> Store::MarkSending(const std::vector<int64_t>& outbox_ids) {
  Database& db = *impl_->db;
  Transaction tx(db);
  std::vector<int64_t> marked;
  auto s = db.Prepare(
      "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_ms = ? "
      "WHERE id = ? AND state IN ('pending', 'sending')");
  const int64_t now = impl_->Now();
  for (const int64_t id : outbox_ids) {
    s->BindAll(now, id).Run();
    if (db.Changes() > 0) marked.push_back(id);
    s->Reset();
  }
  tx.Commit();
  return marked;
}

bool Store::MarkUnsent(int64_t outbox_id) {
  Database& db = *impl_->db;
  Transaction tx(db);
  db.Prepare(
        "UPDATE outbox SET state = 'pending', updated_ms = ? WHERE id = ? AND state = 'sending'")
      ->BindAll(impl_->Now(), outbox_id)
      .Run();
  bool changed = db.Changes() > 0;
  tx.Commit();
  return changed;
}

TakeBack Store::TakeBackResult(int64_t assignment_id) {
  Database& db = *impl_->db;
  Transaction tx(db);
  TakeBack out;
  {
    auto s = db.Prepare(MANO_OUTBOX_COLUMNS "WHERE assignment_id = ? ORDER BY id DESC LIMIT 1");
    if (!s->BindAll(assignment_id).Step()) return out;
    out.item = ReadItem(*s);
  }
  db.Prepare("DELETE FROM outbox WHERE id = ? AND state = 'pending'")->BindAll(out.item->id).Run();
  if (db.Changes() == 0) {
    out.status = TakeBackStatus::kOnTheWire;
    return out;
  }
  impl_->ChangeState(assignment_id, AssignmentState::kInProgress, "result taken back");
  tx.Commit();
  out.status = TakeBackStatus::kTakenBack;
  return out;
}

bool Store::ReturnToDraft(int64_t outbox_id, std::string_view given_reason) {
  Database& db = *impl_->db;
  Transaction tx(db);
  int64_t assignment_id = 0;
  {
    auto s =
        db.Prepare("SELECT assignment_id FROM outbox WHERE id = ? AND state != 'acknowledged'");
    if (!s->BindAll(outbox_id).Step()) return false;
    assignment_id = s->Int(0);
  }
  db.Prepare("DELETE FROM outbox WHERE id = ?")->BindAll(outbox_id).Run();
  impl_->ChangeState(assignment_id, AssignmentState::kInProgress, "result refused locally",
                     given_reason);
  tx.Commit();
  return true;
}

void Store::SetUploadState(int64_t outbox_id, std::string_view upload_url, int64_t offset) {
  Database& db = *impl_->db;
  Transaction tx(db);
  db.Prepare("UPDATE outbox SET upload_url = ?, upload_offset = ?, updated_ms = ? WHERE id = ?")
      ->BindAll(upload_url, offset, impl_->Now(), outbox_id)
      .Run();
  if (db.Changes() == 0) impl_->NotFound("outbox item " + std::to_string(outbox_id));
  tx.Commit();
}

int Store::ApplyReceipts(const std::string& account, const std::vector<Receipt>& receipts) {
  Transaction tx(*impl_->db);
  int applied = impl_->ApplyReceipts(account, receipts, nullptr);
  tx.Commit();
  return applied;
}

int Store::ApplyReceipts(const std::string& account, const std::vector<Receipt>& receipts,
                         const ReceiptBatch& batch) {
  Transaction tx(*impl_->db);
  int applied = impl_->ApplyReceipts(account, receipts, &batch);
  tx.Commit();
  return applied;
}

int Store::Impl::ApplyReceipts(const std::string& account, const std::vector<Receipt>& receipts,
                               const ReceiptBatch* batch) {
  int applied = 0;
  std::optional<int64_t> batch_id;  // inserted with the first receipt it covers
  for (const Receipt& r : receipts) {
    int64_t outbox_id, assignment_id;
    {
      auto s = db->Prepare(
          "SELECT id, assignment_id FROM outbox WHERE account = ? AND idempotency_key = ? "
          "AND state != 'acknowledged'");
      if (!s->BindAll(account, r.idempotency_key).Step()) continue;
      outbox_id = s->Int(0);
      assignment_id = s->Int(1);
    }
    if (batch && !batch_id) {
      db->Prepare(
            "INSERT INTO receipt_batches(account, canonical, signature, received_ms) "
            "VALUES(?, ?, ?, ?)")
          ->BindAll(account, Blob{batch->canonical}, batch->signature, Now())
          .Run();
      batch_id = db->LastInsertId();
    }
    db->Prepare(
          "INSERT OR REPLACE INTO receipts(assignment_id, outbox_id, idempotency_key, status, "
          "server_time_ms, signature, raw, received_ms, batch_id) "
          "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)")
        ->BindAll(assignment_id, outbox_id, r.idempotency_key, r.status, r.server_time_ms,
                  r.signature, r.raw, Now(), batch_id)
        .Run();
    SetOutboxState(*this, outbox_id, OutboxState::kAcknowledged, 0);
    ChangeState(assignment_id, r.outcome, "receipt " + r.status, r.reason);
    ++applied;
  }
  return applied;
}

std::optional<Receipt> Store::GetReceipt(int64_t assignment_id) {
  auto s = impl_->db->Prepare(
      "SELECT idempotency_key, status, server_time_ms, signature, raw, assignment_id, "
      "coalesce(batch_id, 0) FROM receipts WHERE assignment_id = ?");
  if (!s->BindAll(assignment_id).Step()) return std::nullopt;
  // outcome and reason are what applying it made of the assignment: not part of the row.
  return Receipt{s->Text(0), s->Text(1), s->Int(2), s->Text(3), s->Text(4), s->Int(5), s->Int(6),
                 AssignmentState::kAccepted, ""};
}

std::optional<ReceiptBatch> Store::GetReceiptBatch(int64_t batch_id) {
  auto s = impl_->db->Prepare(
      "SELECT id, account, canonical, signature, received_ms FROM receipt_batches WHERE id = ?");
  if (!s->BindAll(batch_id).Step()) return std::nullopt;
  return ReceiptBatch{s->Int(0), s->Text(1), s->Text(2), s->Text(3), s->Int(4)};
}

OutboxTotals Store::OutboxStats(const std::string& account) {
  auto s = impl_->db->Prepare(
      "SELECT count(*), coalesce(sum(length(body)), 0) FROM outbox "
      "WHERE account = ? AND state != 'acknowledged'");
  s->BindAll(account).Step();
  return OutboxTotals{s->Int(0), s->Int(1)};
}

void Store::RecordAnchor(int64_t assignment_id, std::string_view checkpoint_hash,
                         int64_t server_time_ms, int64_t new_deadline_ms) {
  Database& db = *impl_->db;
  Transaction tx(db);
  if (!GetAssignment(assignment_id)) impl_->NotFound("assignment " + std::to_string(assignment_id));
  int64_t now = impl_->Now();
  db.Prepare(
        "INSERT INTO anchors(assignment_id, checkpoint_hash, server_time_ms, new_deadline_ms, "
        "recorded_ms) VALUES(?, ?, ?, ?, ?)")
      ->BindAll(assignment_id, checkpoint_hash, server_time_ms, new_deadline_ms, now)
      .Run();
  if (new_deadline_ms > 0)
    db.Prepare("UPDATE assignments SET deadline_server_ms = ?, updated_ms = ? WHERE id = ?")
        ->BindAll(new_deadline_ms, now, assignment_id)
        .Run();
  tx.Commit();
}

std::vector<Anchor> Store::ListAnchors(int64_t assignment_id) {
  auto s = impl_->db->Prepare(
      "SELECT assignment_id, checkpoint_hash, server_time_ms, new_deadline_ms, recorded_ms "
      "FROM anchors WHERE assignment_id = ? ORDER BY id");
  return s->BindAll(assignment_id).Rows([](Statement& row) {
    return Anchor{row.Int(0), row.Text(1), row.Int(2), row.Int(3), row.Int(4)};
  });
}

}  // namespace mano::storage
