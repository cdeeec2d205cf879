#include "mano/client/ledger/ledger_commands.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mano/client/i18n.h"
#include "mano/client/ledger/evidence.h"
#include "mano/client/ledger/ledger.h"
#include "mano/client/ledger/ledger_format.h"
#include "mano/client/ledger/requester_report.h"
#include "mano/client/terminal_text.h"
#include "mano/storage/atomic_file.h"

namespace mano::client::ledger {
namespace {

storage::Store OpenStore(const CliContext& ctx) { return storage::Store::Open(ctx.data_dir); }

// A local id as `mano list` shows it, or a server id when exactly one account has it.
storage::Assignment FindAssignment(storage::Store& store, const std::string& id) {
  char* end = nullptr;
  const long long local = std::strtoll(id.c_str(), &end, 10);
  if (!id.empty() && *end == '\0' && local > 0)
    if (auto a = store.GetAssignment(local)) return *a;
  std::optional<storage::Assignment> found;
  for (const auto& a : store.ListAssignments()) {
    if (a.server_id != id) continue;
    if (found)
      throw CliError(ExitCode::kUsage,
                     TrFormat("Several accounts have an assignment '{0}'; give the local id "
                              "from mano list.",
                              {id}));
    found = a;
  }
  if (!found)
    throw CliError(ExitCode::kUsage,
                   TrFormat("There is no assignment '{0}' (see mano list).", {id}));
  return *found;
}

// Written whole or not at all, readable by the worker alone (0600): an evidence file names
// her account, her server and her answers.
void WriteFile(const std::string& path, const std::string& text) {
  if (!storage::WriteFileAtomically(path, text, 0600)) {
    throw CliError(ExitCode::kOther, TrFormat("Cannot write the file {0}.", {path}));
  }
}

std::string SummaryPathFor(const std::string& path) {
  const std::string ext = ".json";
  if (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0)
    return path.substr(0, path.size() - ext.size()) + ".txt";
  return path + ".txt";
}

}  // namespace

ExitCode CmdLedger(const CliContext& ctx, const LedgerArgs& args) {
  if (args.csv && args.json)
    throw CliError(ExitCode::kUsage, Tr("Choose either --csv or --json, not both."));
  LedgerOptions options;
  if (args.by == "week")
    options.by = Period::kWeek;
  else if (args.by != "day")
    throw CliError(ExitCode::kUsage, Tr("--by expects day or week."));
  options.account = args.account;
  options.include_idle = args.include_idle;
  options.idle_limit_ms = ctx.config.idle_minutes * 60'000;
  try {
    options.local = LoadLocalCurrency(ctx.config.path);
    if (!args.local_currency.empty()) options.local.currency = args.local_currency;
    for (const auto& rate : args.rates) AddRateFlag(options.local, rate);
  } catch (const ConfigError& e) {
    throw CliError(ExitCode::kUsage, e.what());
  }
  storage::Store store = OpenStore(ctx);
  if (!args.account.empty() && !store.GetAccount(args.account))
    throw CliError(
        ExitCode::kUsage,
        TrFormat("There is no account named '{0}' (see mano accounts).", {args.account}));
  const LedgerReport report = ComputeLedger(store, options);
  if (args.csv)
    *ctx.out << LedgerCsv(report);
  else if (args.json)
    *ctx.out << JsonForTerminal(LedgerJson(report));
  else
    *ctx.out << RenderLedgerText(report);
  return ExitCode::kOk;
}

ExitCode CmdEvidence(const CliContext& ctx, const EvidenceArgs& args) {
  storage::Store store = OpenStore(ctx);
  const storage::Assignment a = FindAssignment(store, args.id);
  const Evidence evidence = BuildEvidence(store, a.id);
  if (args.output == "-") {
    *ctx.out << JsonForTerminal(evidence.json);
    return ExitCode::kOk;
  }
  std::string path = args.output;
  if (path.empty()) {
    // In the data folder, beside the records it is drawn from, unless a path is given.
    const std::string dir = ctx.data_dir + "/evidence";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    ::chmod(dir.c_str(), 0700);
    // The server chose the id: only plain characters reach the file name.
    std::string name = "evidence-" + a.account + "-" + a.server_id;
    for (char& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
    path = dir + "/" + name + ".json";
  }
  const std::string summary_path = SummaryPathFor(path);
  WriteFile(path, JsonForTerminal(evidence.json));  // the same data, safe to cat
  // The summary is read with cat or less: cleaned like everything printed.
  WriteFile(summary_path, TerminalSafe(evidence.summary, LineBreaks::kKeep));
  *ctx.out << TrFormat("Evidence written to {0} (a readable summary is in {1}).",
                       {path, summary_path})
           << "\n";
  // The files stay English (a requester or platform reads them); the worker reads what they
  // say in her language here.
  if (evidence.worker_summary != evidence.summary)
    *ctx.out << "\n" << TerminalSafe(evidence.worker_summary, LineBreaks::kKeep);
  return ExitCode::kOk;
}

ExitCode CmdEvidenceVerify(const CliContext& ctx, const std::string& file,
                           const std::string& key_b64) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CliError(ExitCode::kUsage, TrFormat("Cannot read the file {0}.", {file}));
  std::ostringstream text;
  text << in.rdbuf();
  const EvidenceCheck check = VerifyEvidence(text.str(), key_b64);
  if (!check.ok) {
    *ctx.err << "mano: " << TerminalSafe(check.problem) << "\n";
    return ExitCode::kOther;
  }
  for (const auto& line : check.passed) *ctx.out << TerminalSafe(line) << "\n";
  *ctx.out << TrFormat("{0}: the evidence is intact.", {file}) << "\n";
  return ExitCode::kOk;
}

ExitCode CmdJournalVerify(const CliContext& ctx) {
  storage::Store store = OpenStore(ctx);
  const storage::JournalCheck check = store.VerifyJournal();
  if (!check.ok) {
    *ctx.err << "mano: "
             << TerminalSafe(TrFormat("The work journal was altered: {0}", {check.problem}))
             << "\n";
    return ExitCode::kOther;
  }
  *ctx.out << TrFormat(
                  "The work journal is intact: {0} entries, each chained to the one "
                  "before.",
                  {std::to_string(check.entries)})
           << "\n";
  return ExitCode::kOk;
}

ExitCode CmdRequesters(const CliContext& ctx, const RequestersArgs& args) {
  if (args.csv && args.json)
    throw CliError(ExitCode::kUsage, Tr("Choose either --csv or --json, not both."));
  storage::Store store = OpenStore(ctx);
  const RequesterReport report = ComputeRequesters(store);
  if (!args.share.empty()) {
    WriteFile(args.share, RequestersShare(report, store.clock().NowMs()));
    *ctx.out << TrFormat(
                    "The shareable report is in {0}: it names no account, server, task or "
                    "time finer than a day; read it before you share it.",
                    {args.share})
             << "\n";
    return ExitCode::kOk;
  }
  if (args.csv)
    *ctx.out << RequestersCsv(report);
  else if (args.json)
    *ctx.out << JsonForTerminal(RequestersJson(report));
  else
    *ctx.out << RenderRequestersText(report);
  return ExitCode::kOk;
}

LedgerCommands::LedgerCommands(CLI::App& app) {
  auto sub = [](CLI::App& parent, const char* name, const char* description) {
    CLI::App* s = parent.add_subcommand(name, Tr(description));
    s->set_help_flag("-h,--help", Tr("Print this help and exit"));
    s->fallthrough();
    return s;
  };
  ledger_ = sub(app, "ledger", "Earnings, hours and the real hourly wage, by day or week");
  ledger_->add_option("--account", ledger_args_.account, Tr("Only this account"));
  ledger_->add_option("--by", ledger_args_.by, Tr("day or week (default day)"))
      ->check(CLI::IsMember({"day", "week"}));
  ledger_->add_flag("--csv", ledger_args_.csv, Tr("Export the rows as CSV"));
  ledger_->add_flag("--json", ledger_args_.json, Tr("Export the rows as JSON"));
  ledger_->add_flag("--include-idle", ledger_args_.include_idle,
                    Tr("Count idle time (no input for longer than [ledger] idle_minutes, or "
                       "the machine asleep) in the hours and the wages"));
  ledger_->add_option("--local-currency", ledger_args_.local_currency,
                      Tr("Also show amounts in this currency (config: [ledger] local_currency)"));
  ledger_->add_option("--rate", ledger_args_.rates,
                      Tr("CURRENCY=RATE, e.g. USD=36.5 (config: [ledger] rate.USD); repeatable"));

  evidence_ = sub(app, "evidence", "Write the proof about one assignment to a file");
  evidence_->add_option("ID", evidence_args_.id, Tr("Assignment id (from mano list)"));
  evidence_->add_option("-o,--output", evidence_args_.output,
                        Tr("File to write ('-' = standard output)"));
  evidence_verify_ =
      sub(*evidence_, "verify", "Check an evidence file offline (signature and hash chain)");
  evidence_verify_->add_option("FILE", verify_file_, Tr("Evidence file"))->required();
  evidence_verify_->add_option("--key", verify_key_,
                               Tr("The server's receipt key (base64) to check against"));

  // Not in `mano --help`'s list (it fills a 24-row terminal already): `mano ledger --help`
  // names it.
  requesters_ = sub(app, "requesters",
                    "Per requester: pay per real hour, rejections, days to approval and payment");
  requesters_->group("");
  ledger_->footer(Tr("Per requester: mano requesters [--csv|--json|--share FILE]"));
  requesters_->add_flag("--csv", requesters_args_.csv, Tr("Export the rows as CSV"));
  requesters_->add_flag("--json", requesters_args_.json, Tr("Export the rows as JSON"));
  requesters_->add_option("--share", requesters_args_.share,
                          Tr("Write a report to FILE that names neither you nor your accounts"));

  CLI::App* journal = sub(app, "journal", "The work journal");
  journal->require_subcommand(1, 1);
  journal_verify_ = sub(*journal, "verify", "Check that no journal entry was changed or removed");
}

std::optional<ExitCode> LedgerCommands::Run(const CliContext& ctx) const {
  if (ledger_->parsed()) return CmdLedger(ctx, ledger_args_);
  if (evidence_verify_->parsed()) return CmdEvidenceVerify(ctx, verify_file_, verify_key_);
  if (evidence_->parsed()) {
    if (evidence_args_.id.empty())
      throw CliError(ExitCode::kUsage, Tr("Give an assignment id: mano evidence ID."));
    return CmdEvidence(ctx, evidence_args_);
  }
  if (journal_verify_->parsed()) return CmdJournalVerify(ctx);
  if (requesters_->parsed()) return CmdRequesters(ctx, requesters_args_);
  return std::nullopt;
}

}  // namespace mano::client::ledger
