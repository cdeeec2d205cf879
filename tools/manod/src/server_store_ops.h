// The operations of ServerStore (server_store.h) with their contracts: the one list that the
// interface and both backends (sqlite_server_store.h, pg_server_store.h) expand, so they
// cannot drift apart. Each entry is MANO_STORE_OP(result type, name, (parameters)); a class
// defines MANO_STORE_OP before including this file (as a pure virtual in ServerStore, as an
// override in a backend) and undefines it after. Included once per class, so no #pragma once.
// Adding an operation: its entry here, its body in both backends' .cpp files.

// Settings and keys (the receipt key pair lives here).
MANO_STORE_OP(std::optional<std::string>, GetMeta, (const std::string& key))
MANO_STORE_OP(void, SetMeta, (const std::string& key, const std::string& value))

// Workers. AddWorker returns false when the name is taken.
MANO_STORE_OP(bool, AddWorker,
              (const std::string& name, const std::string& token_hash, int64_t now))
MANO_STORE_OP(bool, RevokeWorker, (const std::string& name))
// Gives the worker a new token (its hash): the old token stops working, and a revoked
// worker works again with the new one. False when there is no such worker.
MANO_STORE_OP(bool, ReplaceWorkerToken, (const std::string& name, const std::string& token_hash))
MANO_STORE_OP(std::optional<WorkerRecord>, WorkerByTokenHash, (const std::string& token_hash))

// Tasks and assets arrive through an import batch: one transaction for a whole import file.
MANO_STORE_OP(std::unique_ptr<ImportBatch>, BeginImport, (int64_t now))
// Marks the task withdrawn, ends its live leases (state withdrawn) and records a
// `withdrawn` event for each. Returns false when there is no such task.
MANO_STORE_OP(bool, WithdrawTask, (const std::string& task_id, int64_t now))

// Leases up to `count` tasks (of `kinds`, when not empty) to the worker, or, when this
// worker already claimed with `key`, returns that claim's assignments again.
MANO_STORE_OP(std::vector<AssignmentRecord>, Claim,
              (int64_t worker_id, const std::string& key, int count,
               const std::vector<std::string>& kinds, int64_t now))
// Only the worker's own assignment; nullopt for others' and unknown ids alike.
MANO_STORE_OP(std::optional<AssignmentRecord>, GetAssignment, (int64_t worker_id, int64_t id))
// True when the asset belongs to a task of one of the worker's assignments.
MANO_STORE_OP(bool, WorkerMaySeeAsset, (int64_t worker_id, const std::string& hash))
// Reads [offset, offset+max) of an asset; sets `total` and `type`. nullopt when unknown.
// Like OpenUpload, holds up no other call while it reads.
MANO_STORE_OP(std::optional<std::string>, ReadAsset,
              (const std::string& hash, int64_t offset, int64_t max, int64_t* total,
               std::string* type))

// Records an anchor on a live lease; renews the lease when the task allows. kNotFound for
// another worker's assignment, kConflict when the lease is not live (submitted, returned).
MANO_STORE_OP(ChangeOutcome, Anchor,
              (int64_t worker_id, int64_t id, const std::string& hash, int64_t now,
               AssignmentRecord* after))
// Hands a live lease back before its deadline (kConflict after it or after submit).
MANO_STORE_OP(ChangeOutcome, Return, (int64_t worker_id, int64_t id, int64_t now))
// All results of one submit request in one transaction: for each attempt in order, the
// store reads its SubmitFacts (seeing what the earlier attempts of the batch stored), calls
// `decide(i, facts)` for attempts[i] and stores what it decided. Returns once the whole batch
// is durable; throws (and nothing of the batch is stored) when it could not be. Concurrent
// calls may share one transaction and its fsync (group commit, so `decide` may run on
// another caller's thread), but a batch is never stored in part. A backend that retries a
// transaction calls `decide` again for the same i: the last decision is the one stored.
MANO_STORE_OP(void, SubmitBatch,
              (const std::vector<SubmitAttempt>& attempts,
               const std::function<SubmitDecision(size_t, const SubmitFacts&)>& decide))

// Events for one worker after `after_seq`, oldest first.
MANO_STORE_OP(std::vector<EventRecord>, Events, (int64_t worker_id, int64_t after_seq, int limit))
// What the worker was paid, per currency.
MANO_STORE_OP(WorkerMoney, Money, (int64_t worker_id))
// Reviews (operator side), in one transaction, all or nothing: the outcome of each, in order;
// the decisions are applied only when every outcome is kDone (otherwise nothing is written).
// kNotFound: no such assignment; kConflict: it has no result, or it was reviewed already
// (approve/reject). ServerStore::Review is a ReviewAll of one.
MANO_STORE_OP(std::vector<ChangeOutcome>, ReviewAll,
              (const std::vector<ReviewDecision>& decisions, int64_t now))
MANO_STORE_OP(ChangeOutcome, Bonus,
              (int64_t id, int64_t amount, const std::string& reason, int64_t now))
MANO_STORE_OP(ChangeOutcome, RevokeLease, (int64_t id, const std::string& reason, int64_t now))

// Resumable uploads (tus-style), owned by one worker. An upload is attached to the first
// stored result that names it (Submit), which drops its bytes. CreateUpload refuses (and
// creates nothing) when the new one would take the worker over `quota`.
MANO_STORE_OP(UploadOutcome, CreateUpload,
              (int64_t worker_id, const std::string& id, int64_t length, int64_t now,
               const UploadQuota& quota))
// Deletes every upload no result names that was created before `created_before`, with its
// bytes. Returns how many went.
MANO_STORE_OP(int64_t, ExpireUploads, (int64_t created_before))
MANO_STORE_OP(std::optional<UploadRecord>, GetUpload, (int64_t worker_id, const std::string& id))
// Appends at `offset`; kConflict (and `current` set) when offset is not the current one.
MANO_STORE_OP(ChangeOutcome, AppendUpload,
              (int64_t worker_id, const std::string& id, int64_t offset, const std::string& bytes,
               int64_t* current))
// tus termination: deletes the worker's upload and its bytes. kNotFound when the worker has
// no such upload, kConflict (nothing deleted) when a stored result names it.
MANO_STORE_OP(ChangeOutcome, DeleteUpload, (int64_t worker_id, const std::string& id))
// The complete upload's bytes, chunk by chunk (upload_chunks.h); nullptr when unknown,
// still incomplete or attached. Reads without holding up other calls (a 64 MiB upload takes
// a while) and never holds more than one chunk.
MANO_STORE_OP(std::unique_ptr<UploadChunks>, OpenUpload, (int64_t worker_id, const std::string& id))

MANO_STORE_OP(void, ForEachResult, (const std::function<void(const ExportRow&)>& row))

// Operator views (operator_views.h), for `manod status` and `manod assignments`; `now`
// decides which leases count as expired. An empty `worker` lists every worker's.
MANO_STORE_OP(std::vector<KindCounts>, CountByKind, (int64_t now))
MANO_STORE_OP(std::vector<WorkerCounts>, CountByWorker, (int64_t now))
MANO_STORE_OP(std::vector<AssignmentView>, ListAssignments,
              (const std::string& worker, int64_t now))
