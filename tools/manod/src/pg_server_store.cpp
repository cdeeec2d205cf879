#include "pg_server_store.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "server_rows.h"

namespace mano::manod {

namespace {

// Advisory lock keys (pg_advisory_xact_lock), arbitrary but fixed.
constexpr int64_t kEventsLock = 0x6d616e6f01;  // "mano" 1: event numbering

// A task is open to worker $1 at time $2 while its live leases plus results stay under
// max_assignments, and a worker never gets the same task twice (the same rule as SQLite's).
constexpr const char* kOpenToWorker =
    " t.withdrawn=0"
    " AND NOT EXISTS(SELECT 1 FROM assignments x WHERE x.task_id=t.id AND x.worker_id=$1::bigint)"
    " AND (SELECT COUNT(*) FROM assignments x WHERE x.task_id=t.id AND"
    "  ((x.state='leased' AND x.deadline>$2::bigint) OR"
    "   x.state IN ('submitted','approved','rejected'))) < t.max_assignments";

}  // namespace

std::string PgTextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::optional<std::string> PgServerStore::GetMeta(const std::string& key) {
  auto conn = pool_.Acquire();
  PgResult r = conn->Exec("SELECT value FROM meta WHERE key=$1", PgParams().Add(key));
  if (r.Rows() == 0) return std::nullopt;
  return r.Text(0, 0);
}

void PgServerStore::SetMeta(const std::string& key, const std::string& value) {
  auto conn = pool_.Acquire();
  conn->Exec(
      "INSERT INTO meta(key, value) VALUES($1, $2)"
      " ON CONFLICT(key) DO UPDATE SET value=EXCLUDED.value",
      PgParams().Add(key).Add(value));
}

bool PgServerStore::AddWorker(const std::string& name, const std::string& token_hash, int64_t now) {
  auto conn = pool_.Acquire();
  return conn->Exec(
                 "INSERT INTO workers(name, token_hash, created) VALUES($1, $2, $3)"
                 " ON CONFLICT DO NOTHING",
                 PgParams().Add(name).Add(token_hash).Add(now))
             .Affected() == 1;
}

bool PgServerStore::RevokeWorker(const std::string& name) {
  auto conn = pool_.Acquire();
  return conn->Exec("UPDATE workers SET revoked=1 WHERE name=$1", PgParams().Add(name))
             .Affected() == 1;
}

bool PgServerStore::ReplaceWorkerToken(const std::string& name, const std::string& token_hash) {
  auto conn = pool_.Acquire();
  return conn->Exec("UPDATE workers SET token_hash=$1, revoked=0 WHERE name=$2",
                    PgParams().Add(token_hash).Add(name))
             .Affected() == 1;
}

std::optional<WorkerRecord> PgServerStore::WorkerByTokenHash(const std::string& token_hash) {
  auto conn = pool_.Acquire();
  PgResult r = conn->Exec("SELECT id, name, revoked FROM workers WHERE token_hash=$1",
                          PgParams().Add(token_hash));
  if (r.Rows() == 0) return std::nullopt;
  return WorkerRecord{r.Int(0, 0), r.Text(0, 1), r.Int(0, 2) != 0};
}

bool PgServerStore::WithdrawTask(const std::string& task_id, int64_t now) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    if (conn.Exec("UPDATE tasks SET withdrawn=1 WHERE id=$1", PgParams().Add(task_id)).Affected() !=
        1) {
      return false;
    }
    // The task's row lock (taken by the UPDATE) keeps claims off it until this commits.
    PgResult ended = conn.Exec(
        "UPDATE assignments SET state='withdrawn' WHERE task_id=$1 AND state='leased'"
        " RETURNING id, worker_id",
        PgParams().Add(task_id));
    for (int i = 0; i < ended.Rows(); ++i) {
      AddEvent(conn, ended.Int(i, 1), "withdrawn", ended.Int(i, 0), "the task was withdrawn", 0,
               now);
    }
    tx.Commit();
    return true;
  });
}

std::vector<AssignmentRecord> PgServerStore::Claim(int64_t worker_id, const std::string& key,
                                                   int count, const std::vector<std::string>& kinds,
                                                   int64_t now) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    std::vector<AssignmentRecord> out;
    // The key is the claim's idempotency: a concurrent claim with the same key waits here for
    // this one to end, then finds its row and replays it.
    if (conn.Exec("INSERT INTO claims(worker_id, key, t) VALUES($1, $2, $3)"
                  " ON CONFLICT DO NOTHING",
                  PgParams().Add(worker_id).Add(key).Add(now))
            .Affected() == 0) {
      PgResult r = conn.Exec(std::string("SELECT ") + kAssignmentColumns +
                                 " FROM assignments a JOIN tasks t ON t.id=a.task_id"
                                 " WHERE a.worker_id=$1 AND a.claim_key=$2 ORDER BY a.id",
                             PgParams().Add(worker_id).Add(key));
      for (int i = 0; i < r.Rows(); ++i) out.push_back(ReadAssignment(PgRow(r, i)));
      return out;
    }
    const std::string kind_filter = kinds.empty() ? "" : " AND t.kind = ANY($5::text[])";
    const std::string kinds_array = PgTextArray(kinds);
    std::vector<std::string> seen;  // locked in an earlier round: not looked at again
    // `taken` (live and expired leases plus results) is a hint kept beside the rows: tasks
    // under it are looked at first, through a partial index, instead of walking past every
    // full task. A task whose leases expired is open though its hint says full: those are
    // found by the full scan once the hinted ones run out. The re-check below decides alone.
    bool hinted = true;
    for (int round = 0; static_cast<int>(out.size()) < count && round < 16; ++round) {
      // 1. Lock candidates that look open; tasks another claim holds are skipped, not waited
      //    for. This statement's snapshot may predate a lease committed since.
      PgParams lock_params;
      lock_params.Add(worker_id).Add(now).Add(static_cast<int64_t>(count - out.size()));
      lock_params.Add(PgTextArray(seen));
      if (!kinds.empty()) lock_params.Add(kinds_array);
      PgResult locked = conn.Exec(std::string("SELECT t.id FROM tasks t WHERE") +
                                      (hinted ? " t.taken < t.max_assignments AND" : "") +
                                      kOpenToWorker + kind_filter +
                                      " AND NOT (t.id = ANY($4::text[])) ORDER BY t.seq LIMIT $3 "
                                      "FOR UPDATE OF t SKIP LOCKED",
                                  lock_params);
      if (locked.Rows() == 0) {
        if (!hinted) break;
        hinted = false;
        continue;
      }
      std::vector<std::string> ids;
      for (int i = 0; i < locked.Rows(); ++i) ids.push_back(locked.Text(i, 0));
      seen.insert(seen.end(), ids.begin(), ids.end());
      // 2. Re-check them in a new snapshot: every claim that leased one of them committed
      //    before its lock came to us, so its lease counts now.
      PgResult open = conn.Exec(std::string("SELECT t.id, t.lease_ms, t.task_json FROM tasks t"
                                            " WHERE t.id = ANY($3::text[]) AND") +
                                    kOpenToWorker + " ORDER BY t.seq",
                                PgParams().Add(worker_id).Add(now).Add(PgTextArray(ids)));
      if (open.Rows() == 0) continue;
      // 3. Lease them all in one statement (one round trip however many).
      std::vector<std::string> task_ids, deadlines;
      std::map<std::string, std::pair<int64_t, std::string>> picked;  // deadline, task_json
      for (int i = 0; i < open.Rows(); ++i) {
        task_ids.push_back(open.Text(i, 0));
        deadlines.push_back(std::to_string(now + open.Int(i, 1)));
        picked[task_ids.back()] = {now + open.Int(i, 1), open.Text(i, 2)};
      }
      PgResult leased = conn.Exec(
          "INSERT INTO assignments(task_id, worker_id, claim_key, state, leased_at, deadline)"
          " SELECT u.task_id, $3, $4, 'leased', $5, u.deadline FROM"
          " unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS u(task_id, deadline, n)"
          " ORDER BY u.n RETURNING id, task_id",
          PgParams()
              .Add(PgTextArray(task_ids))
              .Add(PgTextArray(deadlines))
              .Add(worker_id)
              .Add(key)
              .Add(now));
      conn.Exec("UPDATE tasks SET taken = taken + 1 WHERE id = ANY($1::text[])",
                PgParams().Add(PgTextArray(task_ids)));
      std::vector<AssignmentRecord> batch;
      for (int i = 0; i < leased.Rows(); ++i) {
        auto& [deadline, task_json] = picked[leased.Text(i, 1)];
        batch.push_back(NewLease(leased.Int(i, 0), leased.Text(i, 1), worker_id, now, deadline,
                                 std::move(task_json)));
      }
      // In task order, as SQLite's store answers (ids grow with it).
      std::sort(batch.begin(), batch.end(),
                [](const AssignmentRecord& x, const AssignmentRecord& y) { return x.id < y.id; });
      for (auto& a : batch) out.push_back(std::move(a));
    }
    tx.Commit();
    return out;
  });
}

void PgServerStore::Untake(PgConnection& conn, const std::string& task_id) {
  conn.Exec("UPDATE tasks SET taken = taken - 1 WHERE id=$1 AND taken > 0",
            PgParams().Add(task_id));
}

std::optional<AssignmentRecord> PgServerStore::LoadAssignment(PgConnection& conn, int64_t worker_id,
                                                              int64_t id, bool lock) {
  PgResult r = conn.Exec(std::string("SELECT ") + kAssignmentColumns +
                             " FROM assignments a JOIN tasks t ON t.id=a.task_id"
                             " WHERE a.id=$1 AND a.worker_id=$2" +
                             (lock ? " FOR UPDATE OF a" : ""),
                         PgParams().Add(id).Add(worker_id));
  if (r.Rows() == 0) return std::nullopt;
  return ReadAssignment(PgRow(r, 0));
}

std::optional<AssignmentRecord> PgServerStore::GetAssignment(int64_t worker_id, int64_t id) {
  auto conn = pool_.Acquire();
  return LoadAssignment(*conn, worker_id, id, false);
}

bool PgServerStore::WorkerMaySeeAsset(int64_t worker_id, const std::string& hash) {
  auto conn = pool_.Acquire();
  return conn->Exec(
                 "SELECT 1 FROM task_assets ta JOIN assignments a ON a.task_id=ta.task_id"
                 " WHERE ta.hash=$1 AND a.worker_id=$2 LIMIT 1",
                 PgParams().Add(hash).Add(worker_id))
             .Rows() > 0;
}

std::optional<std::string> PgServerStore::ReadAsset(const std::string& hash, int64_t offset,
                                                    int64_t max, int64_t* total,
                                                    std::string* type) {
  auto conn = pool_.Acquire();
  PgResult head = conn->Exec("SELECT size, type FROM assets WHERE hash=$1", PgParams().Add(hash));
  if (head.Rows() == 0) return std::nullopt;
  *total = head.Int(0, 0);
  *type = head.Text(0, 1);
  std::string out;
  if (offset >= *total || max <= 0) return out;
  const int64_t end = std::min(*total, offset + max);
  // Assets never change once imported: the chunks need no snapshot shared with the head.
  PgResult chunks = conn->Exec(
      "SELECT off, data FROM asset_chunks WHERE hash=$1 AND off < $3::bigint"
      " AND off + length(data) > $2::bigint ORDER BY off",
      PgParams().Add(hash).Add(offset).Add(end));
  for (int i = 0; i < chunks.Rows(); ++i) {
    const int64_t off = chunks.Int(i, 0);
    const std::string data = chunks.Bytes(i, 1);
    const int64_t from = std::max(offset, off) - off;
    const int64_t to = std::min(end, off + static_cast<int64_t>(data.size())) - off;
    if (to > from) out.append(data, static_cast<size_t>(from), static_cast<size_t>(to - from));
  }
  return out;
}

ChangeOutcome PgServerStore::Anchor(int64_t worker_id, int64_t id, const std::string& hash,
                                    int64_t now, AssignmentRecord* after) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    auto a = LoadAssignment(conn, worker_id, id, true);
    if (!a) return ChangeOutcome::kNotFound;
    if (a->state != "leased") return ChangeOutcome::kConflict;
    conn.Exec("INSERT INTO anchors(assignment_id, hash, t) VALUES($1, $2, $3)",
              PgParams().Add(id).Add(hash).Add(now));
    // Renewal: a live lease is pushed to now + lease_ms when the task allows it. An anchor
    // after the deadline is still recorded (it is evidence) but renews nothing.
    conn.Exec(
        "UPDATE assignments a SET deadline=$1::bigint + t.lease_ms FROM tasks t"
        " WHERE t.id=a.task_id AND a.id=$2 AND a.deadline>$1::bigint AND t.renew_on_anchor=1"
        " AND a.deadline < $1::bigint + t.lease_ms",
        PgParams().Add(now).Add(id));
    *after = *LoadAssignment(conn, worker_id, id, false);
    tx.Commit();
    return ChangeOutcome::kDone;
  });
}

ChangeOutcome PgServerStore::Return(int64_t worker_id, int64_t id, int64_t now) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    auto a = LoadAssignment(conn, worker_id, id, true);
    if (!a) return ChangeOutcome::kNotFound;
    if (a->state == "returned") return ChangeOutcome::kDone;  // a replayed return
    if (a->state != "leased" || a->deadline <= now) return ChangeOutcome::kConflict;
    conn.Exec("UPDATE assignments SET state='returned' WHERE id=$1", PgParams().Add(id));
    Untake(conn, a->task_id);
    tx.Commit();
    return ChangeOutcome::kDone;
  });
}

void PgServerStore::SubmitBatch(
    const std::vector<SubmitAttempt>& attempts,
    const std::function<SubmitDecision(size_t, const SubmitFacts&)>& decide) {
  // One transaction for the request's results (PostgreSQL's own WAL flushes are shared by
  // concurrent commits); a lost race (unique violation, deadlock) runs the whole batch again.
  InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    for (size_t i = 0; i < attempts.size(); ++i) SubmitOne(conn, attempts[i], i, decide);
    tx.Commit();
    return 0;
  });
}

void PgServerStore::SubmitOne(
    PgConnection& conn, const SubmitAttempt& at, size_t index,
    const std::function<SubmitDecision(size_t, const SubmitFacts&)>& decide) {
  {
    SubmitFacts facts;
    // The assignment's row lock first: a second submit of it (another key, another process)
    // waits here and then sees this one's result.
    facts.assignment = LoadAssignment(conn, at.worker_id, at.assignment_id, true);
    PgResult stored = conn.Exec("SELECT receipt, hash FROM receipts WHERE worker_id=$1 AND key=$2",
                                PgParams().Add(at.worker_id).Add(at.key));
    if (stored.Rows() > 0) {
      facts.stored_receipt = stored.Text(0, 0);
      facts.stored_hash = stored.Text(0, 1);
    }
    if (facts.assignment) {
      facts.assignment_has_result = conn.Exec("SELECT 1 FROM results WHERE assignment_id=$1",
                                              PgParams().Add(at.assignment_id))
                                        .Rows() > 0;
      PgResult an = conn.Exec("SELECT MIN(t) FROM anchors WHERE assignment_id=$1",
                              PgParams().Add(at.assignment_id));
      if (an.Rows() > 0 && !an.IsNull(0, 0)) facts.first_anchor_t = an.Int(0, 0);
    }
    if (!at.upload_id.empty()) {
      PgResult u = conn.Exec("SELECT key FROM results WHERE upload_id=$1 AND worker_id=$2",
                             PgParams().Add(at.upload_id).Add(at.worker_id));
      if (u.Rows() > 0) facts.upload_attached_key = u.Text(0, 0);
    }
    SubmitDecision d = decide(index, facts);
    if (d.record_receipt) {
      // A concurrent submit with the same key loses here (unique violation) and runs again.
      conn.Exec(
          "INSERT INTO receipts(worker_id, key, assignment_id, hash, receipt)"
          " VALUES($1, $2, $3, $4, $5)",
          PgParams()
              .Add(at.worker_id)
              .Add(at.key)
              .Add(at.assignment_id)
              .Add(at.hash)
              .Add(d.receipt_json));
    }
    if (d.store_result) {
      std::optional<std::string> upload;
      if (!at.upload_id.empty()) upload = at.upload_id;
      conn.Exec(
          "INSERT INTO results(assignment_id, worker_id, key, answer, hash, status, upload_id,"
          " t) VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
          PgParams()
              .Add(at.assignment_id)
              .Add(at.worker_id)
              .Add(at.key)
              .AddBorrowed(at.answer_json)
              .Add(at.hash)
              .Add(d.status)
              .AddOptional(upload)
              .Add(at.now));
      conn.Exec("UPDATE assignments SET state='submitted', submitted_at=$1 WHERE id=$2",
                PgParams().Add(at.now).Add(at.assignment_id));
      // The upload is attached now: its answer lives with the result, its bytes can go.
      if (upload) {
        conn.Exec("DELETE FROM upload_chunks WHERE upload_id=$1", PgParams().Add(*upload));
      }
    }
  }
}

std::vector<EventRecord> PgServerStore::Events(int64_t worker_id, int64_t after_seq, int limit) {
  auto conn = pool_.Acquire();
  PgResult r = conn->Exec(
      "SELECT seq, type, assignment_id, reason, amount, currency, t FROM events"
      " WHERE worker_id=$1 AND seq>$2 ORDER BY seq LIMIT $3",
      PgParams().Add(worker_id).Add(after_seq).Add(limit));
  std::vector<EventRecord> out;
  for (int i = 0; i < r.Rows(); ++i) {
    out.push_back({r.Int(i, 0), r.Text(i, 1), r.Int(i, 2), r.Text(i, 3), r.Int(i, 4), r.Text(i, 5),
                   r.Int(i, 6)});
  }
  return out;
}

WorkerMoney PgServerStore::Money(int64_t worker_id) {
  auto conn = pool_.Acquire();
  WorkerMoney money;
  PgResult totals = conn->Exec(
      "SELECT currency, sum(CASE WHEN type='payment' THEN amount ELSE 0 END),"
      " sum(CASE WHEN type='bonus' THEN amount ELSE 0 END) FROM events"
      " WHERE worker_id=$1 AND amount<>0 GROUP BY currency ORDER BY currency",
      PgParams().Add(worker_id));
  for (int i = 0; i < totals.Rows(); ++i) {
    money.totals.push_back({totals.Text(i, 0), totals.Int(i, 1), totals.Int(i, 2)});
  }
  PgResult current = conn->Exec(
      "SELECT coalesce((SELECT currency FROM events WHERE worker_id=$1 AND amount<>0"
      " ORDER BY seq DESC LIMIT 1), (SELECT t.currency FROM assignments a JOIN tasks t"
      " ON t.id=a.task_id WHERE a.worker_id=$1 ORDER BY a.id DESC LIMIT 1),"
      " (SELECT currency FROM tasks ORDER BY seq DESC LIMIT 1), 'USD')",
      PgParams().Add(worker_id));
  money.currency = current.Text(0, 0);
  return money;
}

void PgServerStore::AddEvent(PgConnection& conn, int64_t worker_id, const std::string& type,
                             int64_t assignment_id, const std::string& reason, int64_t amount,
                             int64_t now) {
  // Held to commit: events get their seq in commit order, so GET /v1/events?after=N (which
  // pages by seq) cannot miss one that a slower transaction numbered lower.
  conn.Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Add(kEventsLock));
  conn.Exec(
      "INSERT INTO events(worker_id, type, assignment_id, reason, amount, currency, t)"
      " VALUES($1, $2, $3, $4, $5::bigint, CASE WHEN $5::bigint<>0 THEN (SELECT t.currency"
      " FROM assignments a JOIN tasks t ON t.id=a.task_id WHERE a.id=$3) ELSE '' END, $6)",
      PgParams().Add(worker_id).Add(type).Add(assignment_id).Add(reason).Add(amount).Add(now));
}

std::vector<ChangeOutcome> PgServerStore::ReviewAll(const std::vector<ReviewDecision>& decisions,
                                                    int64_t now) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    std::vector<ChangeOutcome> outcomes;
    bool all = true;
    for (const auto& d : decisions) {
      outcomes.push_back(ReviewIn(conn, d.id, d.approve, d.reason, now));
      all = all && outcomes.back() == ChangeOutcome::kDone;
    }
    if (all) tx.Commit();
    return outcomes;
  });
}

ChangeOutcome PgServerStore::ReviewIn(PgConnection& conn, int64_t id, bool approve,
                                      const std::string& reason, int64_t now) {
  PgResult w =
      conn.Exec("SELECT worker_id FROM assignments WHERE id=$1 FOR UPDATE", PgParams().Add(id));
  if (w.Rows() == 0) return ChangeOutcome::kNotFound;
  const int64_t worker = w.Int(0, 0);
  PgResult s = conn.Exec(
      "SELECT t.reward FROM assignments a JOIN tasks t ON t.id=a.task_id"
      " JOIN results r ON r.assignment_id=a.id WHERE a.id=$1 AND a.state='submitted'",
      PgParams().Add(id));
  if (s.Rows() == 0) return ChangeOutcome::kConflict;
  const int64_t reward = s.Int(0, 0);
  conn.Exec("UPDATE assignments SET state=$1 WHERE id=$2",
            PgParams().Add(approve ? "approved" : "rejected").Add(id));
  AddEvent(conn, worker, approve ? "approved" : "rejected", id, reason, 0, now);
  // Approval pays the task's reward: a payment event, so a ledger adds up payments alone.
  if (approve && reward > 0) AddEvent(conn, worker, "payment", id, "", reward, now);
  return ChangeOutcome::kDone;
}

ChangeOutcome PgServerStore::Bonus(int64_t id, int64_t amount, const std::string& reason,
                                   int64_t now) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    PgResult w = conn.Exec("SELECT worker_id FROM assignments WHERE id=$1", PgParams().Add(id));
    if (w.Rows() == 0) return ChangeOutcome::kNotFound;
    AddEvent(conn, w.Int(0, 0), "bonus", id, reason, amount, now);
    tx.Commit();
    return ChangeOutcome::kDone;
  });
}

ChangeOutcome PgServerStore::RevokeLease(int64_t id, const std::string& reason, int64_t now) {
  return InTransaction([&](PgConnection& conn, PgTransaction& tx) {
    PgResult w = conn.Exec("SELECT worker_id FROM assignments WHERE id=$1", PgParams().Add(id));
    if (w.Rows() == 0) return ChangeOutcome::kNotFound;
    PgResult ended = conn.Exec(
        "UPDATE assignments SET state='revoked' WHERE id=$1 AND state='leased' RETURNING task_id",
        PgParams().Add(id));
    if (ended.Rows() != 1) return ChangeOutcome::kConflict;
    Untake(conn, ended.Text(0, 0));
    AddEvent(conn, w.Int(0, 0), "revoked", id, reason, 0, now);
    tx.Commit();
    return ChangeOutcome::kDone;
  });
}

}  // namespace mano::manod
