// manod: the reference server of the mano sync protocol. A thin main: CLI11 parses, and the
// functions of commands.h do the work. `manod --help` and `manod <command> --help` are the
// usage text; tools/manod/README.md is the operator's guide.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands.h"
#include "dict_commands.h"
#include "mano/help_manual.h"
#include "mano/version.h"
#include "status_commands.h"
#include "task_importer.h"

int main(int argc, char** argv) {
  using namespace mano::manod;
  CLI::App app{
      "manod - reference server of the mano sync protocol (docs/PROTOCOL.md).\n"
      "Keeps tasks, leases, results and its receipt signing key in one SQLite file, or in a\n"
      "PostgreSQL database that several manod processes serve (--db postgresql://...).\n"
      "Typical use: init, worker add, import, serve; later review and export.",
      "manod"};
  app.set_version_flag("--version", mano::version::VersionLine("manod"));
  mano::version::AddHelpAllFlag(app, "Print the help of every command and exit");
  app.require_subcommand(1);
  std::string db;
  auto add_db = [&](CLI::App* cmd) {
    cmd->add_option("--db", db, "the server database: a SQLite file, or a postgresql:// URL")
        ->required();
  };
  int status = 0;

  auto* init = app.add_subcommand(
      "init", "Create a new database (mode 0600) with a fresh Ed25519 receipt key pair.");
  add_db(init);
  init->callback([&] { status = RunInit(db); });

  auto* worker = app.add_subcommand("worker", "Manage workers and their bearer tokens.");
  worker->require_subcommand(1);
  std::string name;
  struct WorkerCommand {
    const char* name;
    const char* help;
    const char* name_help;
    int (*run)(const std::string& db, const std::string& name);
  };
  const WorkerCommand worker_commands[] = {
      {"add",
       "Add a worker. Prints its token once, alone on the last line of stdout; only the "
       "token's SHA-256 is stored.",
       "worker name (1..64 of A-Z a-z 0-9 . _ : -)", RunWorkerAdd},
      {"revoke", "Revoke a worker's token; a running server refuses it from the next request.",
       "worker name", RunWorkerRevoke},
      {"token",
       "Issue a new token for a worker and revoke the old one (a revoked worker works again). "
       "Prints the token once, alone on the last line of stdout; only its SHA-256 is stored.",
       "worker name", RunWorkerToken}};
  for (const auto& c : worker_commands) {
    auto* cmd = worker->add_subcommand(c.name, c.help);
    add_db(cmd);
    cmd->add_option("NAME", name, c.name_help)->required();
    cmd->callback([&, run = c.run] { status = run(db, name); });
  }

  std::string file, template_file;
  auto* import = app.add_subcommand(
      "import",
      "Import tasks: JSONL in the project's task format (docs/PROTOCOL.md), or an MTurk "
      "batch-input CSV (header row of variable names, one task per row) with --template, a "
      "task in JSON whose strings hold ${variable} placeholders. All or nothing; ids already "
      "present are skipped.");
  add_db(import);
  import->add_option("FILE", file, "tasks.jsonl or batch.csv")->required();
  import->add_option("--template", template_file, "JSON task template for a CSV import");
  int64_t max_asset_bytes = kDefaultMaxAssetBytes;
  import
      ->add_option("--max-asset-bytes", max_asset_bytes,
                   "largest asset file a task may carry, in bytes (at most 1000000000)")
      ->capture_default_str();
  std::string import_format, config_file;
  import
      ->add_option("--format", import_format,
                   "jsonl, mturk-csv or label-studio (default: mturk-csv with --template, else "
                   "jsonl)")
      ->check(CLI::IsMember({"jsonl", "mturk-csv", "label-studio"}));
  import->add_option("--config", config_file,
                     "the Label Studio labelling config (XML) of a --format label-studio import; "
                     "--template then holds kind, reward, currency, assignments, policy");
  import->callback([&] {
    if (import_format == "label-studio") {
      status = RunImportLabelStudio(db, file, config_file, template_file, max_asset_bytes);
    } else if (!config_file.empty()) {
      std::fprintf(stderr, "manod: --config is for --format label-studio\n");
      status = 1;
    } else if (!import_format.empty() && (import_format == "mturk-csv") == template_file.empty()) {
      std::fprintf(stderr, "manod: --format mturk-csv goes with --template FILE, jsonl without\n");
      status = 1;
    } else {
      status = RunImport(db, file, template_file, max_asset_bytes);
    }
  });

ServeArgs serve_args;
auto* serve = app.add_subcommand(
    "serve",
    "Serve protocol v1 over HTTP/1.1 until SIGTERM or SIGINT. Plain HTTP only on "
    "loopback unless --insecure-http; TLS with --cert and --key (PEM files).");
add_db(serve);
serve->add_option("--listen", serve_args.listen, "HOST:PORT (PORT 0: any free port)")
    ->capture_default_str();
serve->add_option("--cert", serve_args.cert, "TLS certificate chain, PEM");
serve->add_option("--key", serve_args.key, "TLS private key, PEM");
serve->add_flag("--insecure-http", serve_args.insecure_http,
                "allow plain HTTP on a non-loopback address (behind a TLS proxy only)");
// Each of these options shows its default in --help.
serve->option_defaults()->always_capture_default();
serve->add_option("--threads", serve_args.http.threads, "event loops (epoll threads)");
serve->add_option("--connection-limit", serve_args.http.connection_limit,
                  "most open connections");
serve->add_option("--timeout", serve_args.http.timeout_seconds,
                  "seconds an idle or stalled connection may stay open");
serve->add_option("--per-address-limit", serve_args.http.per_address_limit,
                  "most open connections from one client address (0: no limit; behind a proxy "
                  "every client has the proxy's address)");
serve->add_option("--header-timeout", serve_args.http.header_timeout_seconds,
                  "seconds a connection has to send a whole request line and headers");
serve->add_option("--body-min-rate", serve_args.http.body_min_rate,
                  "bytes per second a request body must keep up after --body-grace (0: none)");
serve->add_option("--body-grace", serve_args.http.body_grace_seconds,
                  "seconds before --body-min-rate");
serve->add_option("--body-budget", serve_args.body_budget_mib,
                  "MiB of request bodies held in memory at once, all connections together; over "
                  "it a request gets 503 with Retry-After");
serve->add_option("--parse-budget", serve_args.parse_budget_mib,
                  "MiB of uploaded answers being read at once (each counts its upload's length), "
                  "all requests together; over it a submit gets 503 with Retry-After; a request "
                  "naming more than the budget runs alone");
serve->add_option("--stop-timeout", serve_args.stop_timeout_seconds,
                  "seconds running requests get after SIGTERM before manod exits anyway");
serve->option_defaults()->always_capture_default(false);
serve->add_option("--rate", serve_args.rate, "requests per second per worker (default 10)");
serve->add_option("--burst", serve_args.burst, "request burst per worker (default 60)");
serve->add_option("--max-batch", serve_args.max_batch, "most results per submit (default 500)");
serve->add_option("--port-file", serve_args.port_file,
                  "write the port listened on into this file once listening");
serve
    ->add_option("--test-clock-file", serve_args.test_clock_file,
                 "tests only: a file holding a millisecond offset added to the clock")
    ->group("");
serve
    ->add_option("--test-hold-file", serve_args.test_hold_file,
                 "tests only: while this file exists, submits wait before their commit")
    ->group("");
serve
    ->add_flag("--test-without-sync", serve_args.test_without_sync,
               "tests only: answer POST /v1/sync 404, like a server from before it")
    ->group("");
serve->callback([&] { status = RunServe(db, serve_args); });

ReviewArgs review_args;
auto* review =
    app.add_subcommand("review",
                       "Review submitted results; each decision becomes an event for the worker. "
                       "Rejections and bonuses need --reason.");
add_db(review);
review->add_flag("--list", review_args.list,
                 "list results awaiting review: id, task, worker, status, answer");
review->add_option("--approve", review_args.approve, "approve assignment ID (repeatable)");
review->add_option("--reject", review_args.reject, "reject assignment ID (needs --reason)");
review->add_option("--bonus", review_args.bonus,
                   "pay a bonus on assignment ID (needs --amount, --reason)");
review->add_option("--revoke", review_args.revoke,
                   "revoke the live lease of assignment ID (needs --reason)");
review->add_option("--amount", review_args.amount, "bonus amount in currency units, e.g. 0.50");
review->add_option("--reason", review_args.reason, "reason shown to the worker");
review->add_option("--csv", review_args.csv,
                   "decisions from a CSV: the mturk-csv export with Approve (any mark) or Reject "
                   "(the reason) filled in, or assignment,decision(approve|reject),reason rows; "
                   "all in one transaction, nothing applied if a row is refused");
  review->add_option("--test-clock-file", review_args.test_clock_file)->group("");
review->callback([&] { status = RunReview(db, review_args); });

std::string task;
auto* withdraw = app.add_subcommand(
    "withdraw", "Withdraw a task: no new leases; live leases end with a `withdrawn` event.");
add_db(withdraw);
withdraw->add_option("--task", task, "task id")->required();
withdraw->callback([&] { status = RunWithdraw(db, task); });

std::string format, out;
auto* exp = app.add_subcommand("export",
                               "Export accepted results: JSONL (one object per result) or an MTurk "
                               "batch-results CSV (MTurk's fixed columns, Input.*, Answer.*, "
                               "Approve, Reject; cells made safe for spreadsheets).");
add_db(exp);
exp->add_option("--format", format, "jsonl, mturk-csv or label-studio")
    ->required()
    ->check(CLI::IsMember({"jsonl", "mturk-csv", "label-studio"}));
exp->add_option("--out", out, "output file (default: stdout)");
exp->callback([&] { status = RunExport(db, format, out); });

AddDictCommands(app, &status);

// Operator views (status_commands.h): read-only, safe beside a running serve.
bool as_json = false;
auto* status_cmd = app.add_subcommand(
    "status",
    "Show tasks per kind (open, leased, expired, submitted, approved, ...) and each worker's "
    "assignments per state. Read-only; safe while serving.");
add_db(status_cmd);
status_cmd->add_flag("--json", as_json, "one JSON object instead of tables");
std::string view_clock;  // tests: the serving manod's --test-clock-file, for `expired`
status_cmd->add_option("--test-clock-file", view_clock)->group("");
status_cmd->callback([&] { status = RunStatus(db, as_json, view_clock); });
std::string worker_name;
auto* assignments_cmd = app.add_subcommand(
    "assignments",
    "List assignments: id, task, kind, worker, state (leased, expired, submitted, approved, "
    "rejected, returned, revoked, withdrawn) and deadline (UTC). Read-only; safe while serving.");
add_db(assignments_cmd);
assignments_cmd->add_option("--worker", worker_name, "only this worker's assignments");
assignments_cmd->add_flag("--json", as_json, "a JSON array instead of a table");
assignments_cmd->add_option("--test-clock-file", view_clock)->group("");
assignments_cmd->callback([&] { status = RunAssignments(db, worker_name, as_json, view_clock); });

std::string migrate_from, migrate_to;
auto* migrate = app.add_subcommand(
    "migrate",
    "Copy a whole SQLite database (workers, tasks, results, events, receipt key...) into a new "
    "PostgreSQL database, ids kept: tokens, receipts and clients' ids stay valid.");
migrate->add_option("--from", migrate_from, "the SQLite file")->required();
migrate->add_option("--to", migrate_to, "the postgresql:// URL of an empty database")->required();
migrate->callback([&] { status = RunMigrate(migrate_from, migrate_to); });

CLI11_PARSE(app, argc, argv);
return status;
}
