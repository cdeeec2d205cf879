// SqliteServerStore's group commit: submits and claims queued by concurrent callers share one
// transaction and one fsync (SubmitBatch, RunInGroup).
#include <unistd.h>

#include <chrono>
#include <exception>
#include <fstream>
#include <thread>

#include "server_rows.h"
#include "sqlite_server_store.h"

namespace mano::manod {

// One caller's work, waiting in the queue; done and error are written under queue_mu_.
struct SqliteServerStore::GroupJob {
  const std::function<void()>& run;
  bool done = false;
  std::exception_ptr error;
};

// Prepared once per group, used for every result in it.
struct SqliteServerStore::SubmitStatements {
  explicit SubmitStatements(SqliteDb& db)
      : receipt(db, "SELECT receipt, hash FROM receipts WHERE worker_id=? AND key=?"),
        assignment(db,
                   "SELECT a.id, a.task_id, a.worker_id, a.state, a.leased_at, a.deadline,"
                   " t.task_json, EXISTS(SELECT 1 FROM results r WHERE r.assignment_id=a.id),"
                   " (SELECT MIN(n.t) FROM anchors n WHERE n.assignment_id=a.id)"
                   " FROM assignments a JOIN tasks t ON t.id=a.task_id"
                   " WHERE a.id=? AND a.worker_id=?"),
        upload_key(db, "SELECT key FROM results WHERE upload_id=? AND worker_id=?"),
        insert_receipt(db,
                       "INSERT INTO receipts(worker_id, key, assignment_id, hash, receipt)"
                       " VALUES(?,?,?,?,?)"),
        insert_result(db,
                      "INSERT INTO results(assignment_id, worker_id, key, answer, hash, status,"
                      " upload_id, t) VALUES(?,?,?,?,?,?,?,?)"),
        mark_submitted(db, "UPDATE assignments SET state='submitted', submitted_at=? WHERE id=?"),
        drop_chunks(db, "DELETE FROM upload_chunks WHERE upload_id=?") {}
  SqliteStatement receipt, assignment, upload_key, insert_receipt, insert_result, mark_submitted,
      drop_chunks;
};

void SqliteServerStore::SubmitBatch(
    const std::vector<SubmitAttempt>& attempts,
    const std::function<SubmitDecision(size_t, const SubmitFacts&)>& decide) {
  RunInGroup([&] { RunSubmits(attempts, decide); });
}

void SqliteServerStore::RunInGroup(const std::function<void()>& run) {
  GroupJob job{run, false, nullptr};
  std::unique_lock<std::mutex> queue(queue_mu_);
  queue_.push_back(&job);
  // Whoever finds no leader leads: it takes every job queued so far (its own among them) into
  // one transaction. Jobs that arrive meanwhile wait for the next group.
  while (!job.done) {
    if (leading_) {
      queue_cv_.wait(queue);
      continue;
    }
    leading_ = true;
    std::vector<GroupJob*> group;
    group.swap(queue_);
    queue.unlock();
    std::exception_ptr failed;
    try {
      CommitGroup(group);
    } catch (...) {
      failed = std::current_exception();  // the commit itself: no job of the group stored
    }
    queue.lock();
    for (GroupJob* j : group) {
      if (failed) j->error = failed;
      j->done = true;
    }
    leading_ = false;
    queue_cv_.notify_all();
  }
  if (job.error) std::rethrow_exception(job.error);
}

void SqliteServerStore::CommitGroup(const std::vector<GroupJob*>& group) {
  std::lock_guard<std::mutex> lock(mu_);
  try {
    SqliteTransaction tx(*db_);
    for (GroupJob* job : group) {
      // A savepoint per job: one that throws (a bad task, a disk error) is undone alone.
      db_->Exec("SAVEPOINT job");
      try {
        job->run();
        db_->Exec("RELEASE job");
      } catch (...) {
        job->error = std::current_exception();
        db_->Exec("ROLLBACK TO job; RELEASE job");
      }
    }
    group_statements_.reset();
    if (!hold_file_.empty() && ::access(hold_file_.c_str(), F_OK) == 0) {
      std::ofstream(hold_file_ + ".held") << "held\n";
      while (::access(hold_file_.c_str(), F_OK) == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    tx.Commit();
  } catch (...) {
    group_statements_.reset();
    // The claim mark may have moved past tasks filled by leases that are now undone.
    open_from_seq_ = 0;
    throw;
  }
}

void SqliteServerStore::RunSubmits(
    const std::vector<SubmitAttempt>& attempts,
    const std::function<SubmitDecision(size_t, const SubmitFacts&)>& decide) {
  if (!group_statements_) group_statements_ = std::make_shared<SubmitStatements>(*db_);
  SubmitStatements& st = *group_statements_;
  for (size_t i = 0; i < attempts.size(); ++i) {
    const SubmitAttempt& at = attempts[i];
    SubmitFacts facts;
    st.receipt.Reset();
    st.receipt.Bind(1, at.worker_id).Bind(2, at.key);
    if (st.receipt.Step()) {
      facts.stored_receipt = st.receipt.Text(0);
      facts.stored_hash = st.receipt.Text(1);
    }
    st.receipt.Reset();
    st.assignment.Reset();
    st.assignment.Bind(1, at.assignment_id).Bind(2, at.worker_id);
    if (st.assignment.Step()) {
      facts.assignment = ReadAssignment(st.assignment);
      facts.assignment_has_result = st.assignment.Int(7) != 0;
      if (!st.assignment.IsNull(8)) facts.first_anchor_t = st.assignment.Int(8);
    }
    st.assignment.Reset();
    if (!at.upload_id.empty()) {
      st.upload_key.Reset();
      st.upload_key.Bind(1, at.upload_id).Bind(2, at.worker_id);
      if (st.upload_key.Step()) facts.upload_attached_key = st.upload_key.Text(0);
      st.upload_key.Reset();
    }
    const SubmitDecision d = decide(i, facts);
    if (d.record_receipt) {
      st.insert_receipt.Reset();
      st.insert_receipt.BindAll(at.worker_id, at.key, at.assignment_id, at.hash, d.receipt_json)
          .Run();
    }
    if (d.store_result) {
      st.insert_result.Reset();
      // The answer is bound borrowed: up to 64 MiB, not copied.
      st.insert_result
          .BindAll(at.assignment_id, at.worker_id, at.key, storage::BorrowedText{at.answer_json},
                   at.hash, d.status)
          .BindOptional(7, at.upload_id.empty() ? std::optional<std::string>()
                                                : std::optional<std::string>(at.upload_id))
          .Bind(8, at.now)
          .Run();
      st.insert_result.Reset();  // the statement outlives the attempt: let go of its answer
      st.mark_submitted.Reset();
      st.mark_submitted.Bind(1, at.now).Bind(2, at.assignment_id).Run();
      // The upload is attached now: its answer lives with the result, its bytes can go.
      if (!at.upload_id.empty()) {
        st.drop_chunks.Reset();
        st.drop_chunks.Bind(1, at.upload_id).Run();
      }
    }
  }
}

}  // namespace mano::manod
