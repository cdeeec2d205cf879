// Store: the append-only, hash-chained work journal.
//
// hash(n) = sha256hex(prev_hash || canonical(n)), canonical = each field as
// "<byte length>:<bytes>;" in the order seq, time_ms, account, assignment_id (empty when
// none), type, payload. The genesis prev_hash is 64 zeros. The head (last seq + hash) is
// also kept in meta rows "journal_head_seq"/"journal_head_hash", updated in the same
// transaction, so that deleting the newest entries is detected too.
#include "mano/storage/sha256.h"
#include "store_impl.h"

namespace mano::storage {
namespace {

const std::string kGenesis(64, '0');

void Field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += ';';
}

std::string MetaValue(Database& db, const char* key) {
  auto s = db.Prepare("SELECT value FROM meta WHERE key = ?");
  return s->BindAll(key).Step() ? s->Text(0) : std::string();
}

void SetMeta(Database& db, const char* key, const std::string& value) {
  db.Prepare(
        "INSERT INTO meta(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      ->BindAll(key, value)
      .Run();
}

JournalEntry ReadEntry(Statement& s) {
  return JournalEntry{s.Int(0),  s.Int(1),  s.Text(2), s.OptInt(3),
                      s.Text(4), s.Text(5), s.Text(6), s.Text(7)};
}

}  // namespace

std::string JournalEntryHash(const JournalEntry& e) {
  std::string c = e.prev_hash;
  Field(c, std::to_string(e.seq));
  Field(c, std::to_string(e.time_ms));
  Field(c, e.account);
  Field(c, e.assignment_id ? std::to_string(*e.assignment_id) : std::string());
  Field(c, e.type);
  Field(c, e.payload);
  return Sha256Hex(c);
}

int64_t Store::Impl::Journal(const std::string& account, std::optional<int64_t> assignment_id,
                             std::string_view type, std::string_view payload) {
  std::string head_seq = MetaValue(*db, "journal_head_seq");
  JournalEntry e;
  e.seq = head_seq.empty() ? 1 : std::stoll(head_seq) + 1;
  e.prev_hash = head_seq.empty() ? kGenesis : MetaValue(*db, "journal_head_hash");
  e.time_ms = Now();
  e.account = account;
  e.assignment_id = assignment_id;
  e.type = type;
  e.payload = payload;
  e.hash = JournalEntryHash(e);
  db->Prepare(
        "INSERT INTO journal(seq, time_ms, account, assignment_id, type, payload, prev_hash, "
        "hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
      ->BindAll(e.seq, e.time_ms, e.account, e.assignment_id, e.type, e.payload, e.prev_hash,
                e.hash)
      .Run();
  SetMeta(*db, "journal_head_seq", std::to_string(e.seq));
  SetMeta(*db, "journal_head_hash", e.hash);
  return e.seq;
}

int64_t Store::AppendJournal(const std::string& account, std::optional<int64_t> assignment_id,
                             std::string_view type, std::string_view payload) {
  Transaction tx(*impl_->db);
  int64_t seq = impl_->Journal(account, assignment_id, type, payload);
  tx.Commit();
  return seq;
}

std::vector<JournalEntry> Store::ListJournal(int64_t after_seq, int limit) {
  auto s = impl_->db->Prepare(
      "SELECT seq, time_ms, account, assignment_id, type, payload, prev_hash, hash "
      "FROM journal WHERE seq > ? ORDER BY seq LIMIT ?");
  return s->BindAll(after_seq, limit).Rows(ReadEntry);
}

void Store::ForEachJournalEntry(const std::function<void(JournalEntry&)>& fn) {
  ForEachRow([&](int64_t after) { return ListJournal(after); }, fn);
}

void Store::TEST_AddLegacyActiveTime(const std::string& account,
                                     std::optional<int64_t> assignment_id, int64_t ms, bool paid) {
  if (ms < 0) throw StoreError(StoreError::Kind::kInvalidArgument, "active time must be >= 0");
  Database& db = *impl_->db;
  Transaction tx(db);
  impl_->Journal(account, assignment_id, "active_time",
                 "{\"ms\":" + std::to_string(ms) + ",\"paid\":" + (paid ? "true" : "false") + "}");
  impl_->SaveNewestLocal();
  tx.Commit();
}

JournalCheck Store::VerifyJournal() {
  JournalCheck check;
  Database& db = *impl_->db;
  auto bad = [&check](int64_t seq, std::string problem) {
    check.ok = false;
    check.first_bad_seq = seq;
    check.problem = std::move(problem);
    return check;
  };
  std::string prev = kGenesis;
  int64_t expected_seq = 1;
  Statement s(db,
              "SELECT seq, time_ms, account, assignment_id, type, payload, prev_hash, hash "
              "FROM journal ORDER BY seq");
  while (s.Step()) {
    JournalEntry e = ReadEntry(s);
    ++check.entries;
    if (e.seq != expected_seq)
      return bad(expected_seq, "journal entry " + std::to_string(expected_seq) + " is missing");
    if (e.prev_hash != prev)
      return bad(e.seq,
                 "journal entry " + std::to_string(e.seq) + " does not follow its predecessor");
    if (JournalEntryHash(e) != e.hash)
      return bad(e.seq, "journal entry " + std::to_string(e.seq) + " was changed");
    prev = e.hash;
    ++expected_seq;
  }
  std::string head_seq = MetaValue(db, "journal_head_seq");
  int64_t head = head_seq.empty() ? 0 : std::stoll(head_seq);
  if (head != expected_seq - 1)
    return bad(std::min(head, expected_seq - 1) + 1,
               "the journal ends at " + std::to_string(expected_seq - 1) + " but its head says " +
                   std::to_string(head));
  if (head > 0 && MetaValue(db, "journal_head_hash") != prev)
    return bad(head, "the journal head hash does not match entry " + std::to_string(head));
  return check;
}

}  // namespace mano::storage
