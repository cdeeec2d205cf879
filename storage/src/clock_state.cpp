// Store: local vs server clock. Deadlines are in server time; the local clock may be
// wrong (dead CMOS battery) or jump, so server time is carried forward by the monotonic
// clock within a process and by the last known offset across restarts.
#include "store_impl.h"

namespace mano::storage {

void Store::RecordServerContact(const std::string& account, int64_t server_time_ms) {
  Database& db = *impl_->db;
  Transaction tx(db);
  impl_->RequireAccount(account);
  int64_t local = impl_->Now();
  db.Prepare(
        "INSERT INTO clock(account, offset_ms, last_server_ms, last_local_ms) "
        "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(account) DO UPDATE SET offset_ms = ?2, "
        "last_server_ms = max(last_server_ms, ?3), last_local_ms = ?4")
      ->BindAll(account, server_time_ms - local, server_time_ms, local)
      .Run();
  impl_->SaveNewestLocal();
  tx.Commit();
  impl_->contact_anchor[account] = {server_time_ms, impl_->clock->MonotonicMs()};
}

std::optional<int64_t> Store::ServerNow(const std::string& account) {
  if (auto it = impl_->contact_anchor.find(account); it != impl_->contact_anchor.end())
    return it->second.first + (impl_->clock->MonotonicMs() - it->second.second);
  auto s = impl_->db->Prepare("SELECT offset_ms, last_server_ms FROM clock WHERE account = ?");
  if (!s->BindAll(account).Step()) return std::nullopt;
  int64_t estimate = impl_->Now() + s->Int(0);
  // A local clock that went backwards would pull the estimate into the past.
  return std::max(estimate, s->Int(1));
}

std::optional<int64_t> Store::TEST_ClockOffsetMs(const std::string& account) {
  auto s = impl_->db->Prepare("SELECT offset_ms FROM clock WHERE account = ?");
  if (!s->BindAll(account).Step()) return std::nullopt;
  return s->Int(0);
}

bool Store::TEST_ClockJumpedBack() {
  int64_t newest = impl_->newest_local_ms;
  return impl_->clock->NowMs() < newest;
}

}  // namespace mano::storage
