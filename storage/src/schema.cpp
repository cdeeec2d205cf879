#include "schema.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "mano/storage/database.h"
#include "mano/storage/transaction.h"

namespace mano::storage {
namespace {

// Schema 1. Opaque payloads are TEXT (JSON) or BLOB (bytes); times are ms since epoch.
// AUTOINCREMENT keeps local ids from ever being reused (the journal refers to them).
constexpr const char* kV1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE accounts(
  name TEXT PRIMARY KEY, server_url TEXT NOT NULL, token TEXT NOT NULL,
  receipt_key TEXT NOT NULL, currency TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE assignments(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
  server_id TEXT NOT NULL, task_id TEXT NOT NULL, kind TEXT NOT NULL,
  payload TEXT NOT NULL, assets TEXT NOT NULL, deadline_server_ms INTEGER NOT NULL,
  reward_micros INTEGER NOT NULL, currency TEXT NOT NULL, state TEXT NOT NULL,
  claimed_at_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,
  UNIQUE(account, server_id));
CREATE TABLE checkpoints(
  assignment_id INTEGER NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  version INTEGER NOT NULL, content BLOB NOT NULL, ui_position TEXT NOT NULL,
  sha256 TEXT NOT NULL, saved_ms INTEGER NOT NULL, restored_from INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(assignment_id, version));
CREATE TABLE outbox(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  assignment_id INTEGER NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  account TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE, body BLOB NOT NULL,
  content_hash TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  enqueued_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,
  upload_url TEXT NOT NULL DEFAULT '', upload_offset INTEGER NOT NULL DEFAULT 0);
CREATE INDEX outbox_by_account ON outbox(account, state, id);
CREATE TABLE receipts(
  assignment_id INTEGER PRIMARY KEY REFERENCES assignments(id) ON DELETE CASCADE,
  outbox_id INTEGER NOT NULL, idempotency_key TEXT NOT NULL, status TEXT NOT NULL,
  server_time_ms INTEGER NOT NULL, signature TEXT NOT NULL, raw TEXT NOT NULL,
  received_ms INTEGER NOT NULL);
CREATE TABLE anchors(
  id INTEGER PRIMARY KEY,
  assignment_id INTEGER NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
  checkpoint_hash TEXT NOT NULL, server_time_ms INTEGER NOT NULL,
  new_deadline_ms INTEGER NOT NULL, recorded_ms INTEGER NOT NULL);
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
  seq INTEGER NOT NULL, type TEXT NOT NULL, assignment_server_id TEXT NOT NULL,
  payload TEXT NOT NULL, server_time_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL,
  UNIQUE(account, seq));
CREATE TABLE cursors(
  account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
  name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(account, name));
CREATE TABLE journal(
  seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, account TEXT NOT NULL,
  assignment_id INTEGER, type TEXT NOT NULL, payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE active_time(
  account TEXT NOT NULL, assignment_id INTEGER NOT NULL,
  paid_ms INTEGER NOT NULL DEFAULT 0, unpaid_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(account, assignment_id));
CREATE TABLE clock(
  account TEXT PRIMARY KEY REFERENCES accounts(name) ON DELETE CASCADE,
  offset_ms INTEGER NOT NULL, last_server_ms INTEGER NOT NULL, last_local_ms INTEGER NOT NULL);
CREATE TABLE sync_state(
  account TEXT PRIMARY KEY REFERENCES accounts(name) ON DELETE CASCADE,
  last_contact_ms INTEGER NOT NULL, offline_since_ms INTEGER NOT NULL,
  next_retry_ms INTEGER NOT NULL, backoff_step INTEGER NOT NULL,
  pending_claim_key TEXT NOT NULL);
CREATE TABLE data_usage(
  account TEXT NOT NULL, day TEXT NOT NULL, up INTEGER NOT NULL DEFAULT 0,
  down INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(account, day));
CREATE TABLE assets(
  hash TEXT PRIMARY KEY, expected_size INTEGER NOT NULL, bytes_present INTEGER NOT NULL,
  recorded_ms INTEGER NOT NULL);
)sql";

// Schema 2: batch receipts. The server may sign all receipts of one reply at once; the
// exact signed bytes and the signature are kept once per batch, and each receipt row names
// its batch (NULL for receipts signed one by one).
constexpr const char* kV2 = R"sql(
CREATE TABLE receipt_batches(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
  canonical BLOB NOT NULL, signature TEXT NOT NULL, received_ms INTEGER NOT NULL);
ALTER TABLE receipts ADD COLUMN batch_id INTEGER REFERENCES receipt_batches(id)
  ON DELETE CASCADE;
)sql";

// Schema 3: states tell the truth. Each receipt has its own assignment state ("acknowledged"
// meant any receipt, refusals included); "finished" and "sent" were never set by mano (a
// row holding one goes back to where mano would have it); the words the server gave with a
// state (a receipt's "e", a review's or revocation's reason) are kept on the assignment.
// A rejection's reason is copied from its event. Accounts learn the worker their token
// belongs to (at the next login); the sync state keeps when the token was last refused. Rows that
// schema 2 marked expired or returned after a revocation or withdrawal keep that state (the events
// still tell).
constexpr const char* kV3 = R"sql(
ALTER TABLE assignments ADD COLUMN state_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN worker TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_state ADD COLUMN auth_refused_ms INTEGER NOT NULL DEFAULT 0;
UPDATE assignments SET state = 'in_progress' WHERE state = 'finished';
UPDATE assignments SET state = 'queued' WHERE state = 'sent';
UPDATE assignments SET
  state = coalesce((SELECT CASE r.status WHEN 'late_accepted' THEN 'late_accepted'
      WHEN 'conflict' THEN 'conflict' WHEN 'late_refused' THEN 'late_refused'
      WHEN 'not_found' THEN 'not_found' WHEN 'invalid' THEN 'invalid' ELSE 'accepted' END
    FROM receipts r WHERE r.assignment_id = assignments.id), 'accepted'),
  state_reason = coalesce((SELECT CASE WHEN json_valid(r.raw) AND
      json_type(r.raw, '$.e') = 'text' THEN json_extract(r.raw, '$.e') ELSE '' END
    FROM receipts r WHERE r.assignment_id = assignments.id), '')
  WHERE state = 'acknowledged';
UPDATE assignments SET state_reason = coalesce((SELECT CASE WHEN json_valid(e.payload) AND
    json_type(e.payload, '$.reason') = 'text' THEN json_extract(e.payload, '$.reason') ELSE ''
    END FROM events e WHERE e.account = assignments.account AND e.type = 'rejected'
    AND e.assignment_server_id = assignments.server_id ORDER BY e.seq DESC LIMIT 1), '')
  WHERE state = 'rejected';
)sql";

// Schema 4: an outbox row knows its task kind and the assignment's server id, so a sync pass
// reads neither the assignment nor the body to learn them (issue 19). Copied from the
// assignment for the rows already queued.
constexpr const char* kV4 = R"sql(
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN server_id TEXT NOT NULL DEFAULT '';
UPDATE outbox SET
  kind = coalesce((SELECT a.kind FROM assignments a WHERE a.id = outbox.assignment_id), ''),
  server_id = coalesce((SELECT a.server_id FROM assignments a
                        WHERE a.id = outbox.assignment_id), '');
)sql";

// The title column (issue 19; schema 5): listings
// read the title from its own column, filled by the caller at claim time, instead of reading
// the protocol's payload shape. Existing rows take it from their payload, the one time
// storage reads a payload (as the listing did before). The legacy active_time totals go:
// nothing writes them since work time became focus marks, and the ledger reads the old
// "active_time" journal entries, which stay.
constexpr const char* kTitleColumn = R"sql(
ALTER TABLE assignments ADD COLUMN title TEXT NOT NULL DEFAULT '';
UPDATE assignments SET title = CASE WHEN json_valid(payload) AND
    json_type(payload, '$.form.title') = 'text' THEN json_extract(payload, '$.form.title')
    ELSE '' END;
DROP TABLE active_time;
)sql";

// kMigrations[i] takes the schema from version i to version i + 1.
constexpr const char* kMigrations[] = {kV1, kV2, kV3, kV4, kTitleColumn};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kCurrentSchema);

}  // namespace

void Migrate(Database& db, int from, int to) {
  Transaction tx(db);
  for (int v = from; v < to; ++v) db.Exec(kMigrations[v]);
  db.Exec("PRAGMA user_version = " + std::to_string(to));
  tx.Commit();
}

int ReadUserVersionRaw(const char* path) {
  FILE* f = std::fopen(path, "rb");
  if (!f) return -1;
  unsigned char header[100];
  size_t n = std::fread(header, 1, sizeof(header), f);
  std::fclose(f);
  if (n < sizeof(header) || std::memcmp(header, "SQLite format 3", 16) != 0) return -1;
  return static_cast<int>(uint32_t(header[60]) << 24 | uint32_t(header[61]) << 16 |
                          uint32_t(header[62]) << 8 | uint32_t(header[63]));
}

}  // namespace mano::storage
