// Store: assignments and their states.
#include "store_impl.h"

namespace mano::storage {
namespace {

#define MANO_ASSIGNMENT_COLUMNS                                                         \
  "SELECT id, account, server_id, task_id, kind, payload, assets, deadline_server_ms, " \
  "reward_micros, currency, state, claimed_at_ms, updated_ms FROM assignments "

Assignment ReadAssignment(Statement& s) {
  Assignment a;
  a.id = s.Int(0);
  a.account = s.Text(1);
  a.server_id = s.Text(2);
  a.task_id = s.Text(3);
  a.kind = s.Text(4);
  a.payload = s.Text(5);
  a.assets = s.Text(6);
  a.deadline_server_ms = s.Int(7);
  a.reward_micros = s.Int(8);
  a.currency = s.Text(9);
  a.state = AssignmentStateFromString(s.Text(10));
  a.claimed_at_ms = s.Int(11);
  a.updated_ms = s.Int(12);
  return a;
}

}  // namespace

int64_t Store::UpsertAssignment(const Assignment& a) {
  Database& db = *impl_->db;
  Transaction tx(db);
  impl_->RequireAccount(a.account);
  int64_t now = impl_->Now();
  int64_t id;
  if (auto existing = FindAssignment(a.account, a.server_id)) {
    id = existing->id;
    auto s = db.Prepare(
        "UPDATE assignments SET task_id = ?, kind = ?, payload = ?, assets = ?, "
        "deadline_server_ms = ?, reward_micros = ?, currency = ?, claimed_at_ms = ?, "
        "updated_ms = ? WHERE id = ?");
    s->BindAll(a.task_id, a.kind, a.payload, a.assets, a.deadline_server_ms, a.reward_micros,
               a.currency, a.claimed_at_ms, now, id)
        .Run();
  } else {
    auto s = db.Prepare(
        "INSERT INTO assignments(account, server_id, task_id, kind, payload, assets, "
        "deadline_server_ms, reward_micros, currency, state, claimed_at_ms, updated_ms) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s->BindAll(a.account, a.server_id, a.task_id, a.kind, a.payload, a.assets, a.deadline_server_ms,
               a.reward_micros, a.currency, ToString(a.state), a.claimed_at_ms, now)
        .Run();
    id = db.LastInsertId();
    impl_->Journal(a.account, id, "state",
                   "{\"from\":null,\"to\":" + JsonQuote(ToString(a.state)) +
                       ",\"server_id\":" + JsonQuote(a.server_id) + "}");
  }
  tx.Commit();
  return id;
}

std::optional<Assignment> Store::GetAssignment(int64_t id) {
  auto s = impl_->db->Prepare(MANO_ASSIGNMENT_COLUMNS "WHERE id = ?");
  if (!s->BindAll(id).Step()) return std::nullopt;
  return ReadAssignment(*s);
}

std::optional<Assignment> Store::FindAssignment(const std::string& account,
                                                const std::string& server_id) {
  auto s = impl_->db->Prepare(MANO_ASSIGNMENT_COLUMNS "WHERE account = ? AND server_id = ?");
  if (!s->BindAll(account, server_id).Step()) return std::nullopt;
  return ReadAssignment(*s);
}

std::vector<Assignment> Store::ListAssignments(const AssignmentFilter& filter) {
  // NULL parameters mean "any"; one cached statement serves every filter.
  auto s = impl_->db->Prepare(MANO_ASSIGNMENT_COLUMNS
                              "WHERE (?1 IS NULL OR account = ?1) AND (?2 IS NULL OR state = ?2) "
                              "ORDER BY id");
  if (filter.account) s->Bind(1, *filter.account);
  if (filter.state) s->Bind(2, ToString(*filter.state));
  std::vector<Assignment> out;
  while (s->Step()) out.push_back(ReadAssignment(*s));
  return out;
}

void Store::SetState(int64_t id, AssignmentState state, std::string_view reason) {
  Transaction tx(*impl_->db);
  impl_->ChangeState(id, state, reason);
  tx.Commit();
}

void Store::Impl::ChangeState(int64_t id, AssignmentState to, std::string_view reason) {
  std::string account, from;
  {
    auto s = db->Prepare("SELECT account, state FROM assignments WHERE id = ?");
    if (!s->BindAll(id).Step()) NotFound("assignment " + std::to_string(id));
    account = s->Text(0);
    from = s->Text(1);
  }
  if (from == ToString(to)) return;
  db->Prepare("UPDATE assignments SET state = ?, updated_ms = ? WHERE id = ?")
      ->BindAll(ToString(to), Now(), id)
      .Run();
  Journal(account, id, "state",
          "{\"from\":" + JsonQuote(from) + ",\"to\":" + JsonQuote(ToString(to)) +
              ",\"reason\":" + JsonQuote(reason) + "}");
}

}  // namespace mano::storage
