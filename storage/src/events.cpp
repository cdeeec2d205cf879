// Store: events received from the server and sync cursors.
#include "store_impl.h"

namespace mano::storage {
namespace {

void PutCursor(Database& db, const std::string& account, const std::string& name,
               std::string_view value) {
  db.Prepare(
        "INSERT INTO cursors(account, name, value) VALUES(?, ?, ?) "
        "ON CONFLICT(account, name) DO UPDATE SET value = excluded.value")
      ->BindAll(account, name, value)
      .Run();
}

}  // namespace

int Store::ApplyEvents(const std::string& account, const std::vector<Event>& events,
                       std::string_view new_cursor) {
  Database& db = *impl_->db;
  Transaction tx(db);
  impl_->RequireAccount(account);
  int64_t now = impl_->Now();
  int added = 0;
  for (const Event& e : events) {
    db.Prepare(
          "INSERT INTO events(account, seq, type, assignment_server_id, payload, "
          "server_time_ms, received_ms) VALUES(?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT(account, seq) DO NOTHING")
        ->BindAll(account, e.seq, e.type, e.assignment_server_id, e.payload, e.server_time_ms, now)
        .Run();
    added += static_cast<int>(db.Changes());
  }
  PutCursor(db, account, kEventsCursor, new_cursor);
  tx.Commit();
  return added;
}

std::vector<Event> Store::ListEvents(const std::string& account, int64_t after_seq, int limit) {
  auto s = impl_->db->Prepare(
      "SELECT seq, type, assignment_server_id, payload, server_time_ms FROM events "
      "WHERE account = ? AND seq > ? ORDER BY seq LIMIT ?");
  return s->BindAll(account, after_seq, limit).Rows([](Statement& row) {
    return Event{row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Int(4)};
  });
}

void Store::ForEachEvent(const std::string& account, const std::function<void(Event&)>& fn) {
  ForEachRow([&](int64_t after) { return ListEvents(account, after); }, fn);
}

std::optional<std::string> Store::GetCursor(const std::string& account, const std::string& name) {
  auto s = impl_->db->Prepare("SELECT value FROM cursors WHERE account = ? AND name = ?");
  if (!s->BindAll(account, name).Step()) return std::nullopt;
  return s->Text(0);
}

void Store::SetCursor(const std::string& account, const std::string& name, std::string_view value) {
  Transaction tx(*impl_->db);
  impl_->RequireAccount(account);
  PutCursor(*impl_->db, account, name, value);
  tx.Commit();
}

}  // namespace mano::storage
