// The `manod` subcommands, one function each, called by main.cpp once CLI11 has parsed the
// arguments. Each returns the process exit status (0 ok, 1 failure with a one-line message on
// stderr) and never throws.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "http_server.h"
#include "mano/sync/receipt_signer.h"
#include "server_store.h"

namespace mano::manod {

// The receipt signer kept in the database by `init` (shared by serve). Throws when absent.
sync::ReceiptSigner LoadSigner(ServerStore& store);

int RunInit(const std::string& db);
int RunWorkerAdd(const std::string& db, const std::string& name);
int RunWorkerRevoke(const std::string& db, const std::string& name);
// `manod worker token NAME`: a new token for an existing worker (the old one is revoked, a
// revoked worker works again); printed once, alone on the last line of stdout.
int RunWorkerToken(const std::string& db, const std::string& name);
// `max_asset_bytes`: the per-asset limit (1..kMaxAssetBytesCeiling of task_importer.h).
int RunImport(const std::string& db, const std::string& file, const std::string& template_file,
              int64_t max_asset_bytes);
// `manod import --format label-studio FILE --config XML [--template JSON]`
// (label_studio_importer.h).
int RunImportLabelStudio(const std::string& db, const std::string& file, const std::string& config,
                         const std::string& template_file, int64_t max_asset_bytes);
int RunWithdraw(const std::string& db, const std::string& task);
int RunExport(const std::string& db, const std::string& format, const std::string& out);
// `manod migrate`: SQLite file -> new PostgreSQL database (sqlite_to_pg.h).
int RunMigrate(const std::string& from, const std::string& to);

struct ReviewArgs {
  std::vector<std::string> approve;
  std::string reject;
  std::string bonus;
  std::string revoke;
  std::string amount;
  std::string reason;
  std::string csv;
  bool list = false;
  std::string test_clock_file;  // tests only: the serving manod's clock offset file
};
int RunReview(const std::string& db, const ReviewArgs& args);

struct ServeArgs {
  // A submit waits on its event loop for its group's fsync: the loops are how many requests
  // can wait at once without holding up a GET /v1/me (ingest_bench: p99 ~90 ms with 4 loops
  // under 8 submitting workers, ~6 ms with 16).
  ServeArgs() { http.threads = 16; }

  std::string listen = "127.0.0.1:8787";
  std::string cert, key;
  bool insecure_http = false;
  // The connection settings the options set (threads, limits, timeouts, body rate); RunServe
  // fills in the rest (host, port, TLS, body_budget) from the fields here.
  HttpServer::Options http;
  size_t body_budget_mib = 256;        // request bodies in flight, all connections together
  size_t parse_budget_mib = 128;       // uploaded answers being read, all requests together
  unsigned stop_timeout_seconds = 10;  // after SIGTERM, running requests get this long
  double rate = 0, burst = 0;          // 0: the protocol defaults (limits.h)
  size_t max_batch = 0;                // 0: the protocol default
  std::string port_file;
  std::string test_clock_file;
  std::string test_hold_file;      // SqliteServerStore::TEST_HoldBeforeCommit
  bool test_without_sync = false;  // tests only: act as a server from before POST /v1/sync
};
int RunServe(const std::string& db, const ServeArgs& args);

}  // namespace mano::manod
