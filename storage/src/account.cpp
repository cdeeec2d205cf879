// Store: accounts.
#include "store_impl.h"

namespace mano::storage {
namespace {

Account ReadAccount(Statement& s) {
  return Account{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Int(5), s.Text(6)};
}

}  // namespace

void Store::AddAccount(const Account& a) {
  if (a.name.empty())
    throw StoreError(StoreError::Kind::kInvalidArgument, "an account needs a name");
  Database& db = *impl_->db;
  Transaction tx(db);
  if (GetAccount(a.name))
    throw StoreError(StoreError::Kind::kConstraint,
                     "account '" + a.name + "' already exists in " + db.path(), db.path());
  auto s = db.Prepare(
      "INSERT INTO accounts(name, server_url, token, receipt_key, currency, created_ms, worker) "
      "VALUES(?, ?, ?, ?, ?, ?, ?)");
  s->BindAll(a.name, a.server_url, a.token, a.receipt_key, a.currency, impl_->Now(), a.worker)
      .Run();
  tx.Commit();
}

void Store::UpdateAccount(const Account& a) {
  Database& db = *impl_->db;
  Transaction tx(db);
  auto s = db.Prepare(
      "UPDATE accounts SET server_url = ?, token = ?, receipt_key = ?, currency = ?, worker = ? "
      "WHERE name = ?");
  s->BindAll(a.server_url, a.token, a.receipt_key, a.currency, a.worker, a.name).Run();
  if (db.Changes() == 0) impl_->NotFound("account '" + a.name + "'");
  tx.Commit();
}

std::optional<Account> Store::GetAccount(const std::string& name) {
  auto s = impl_->db->Prepare(
      "SELECT name, server_url, token, receipt_key, currency, created_ms, worker FROM accounts "
      "WHERE name = ?");
  if (!s->BindAll(name).Step()) return std::nullopt;
  return ReadAccount(*s);
}

std::vector<Account> Store::ListAccounts() {
  auto s = impl_->db->Prepare(
      "SELECT name, server_url, token, receipt_key, currency, created_ms, worker FROM accounts "
      "ORDER BY name");
  return s->Rows(ReadAccount);
}

}  // namespace mano::storage
