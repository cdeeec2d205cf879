// The ledger's commands on the `mano` command line:
//   mano ledger [--account A] [--by day|week] [--csv|--json] [--local-currency VES]
//               [--rate USD=36.5 ...] [--include-idle]
//   mano evidence ID [-o FILE]          (FILE.json and FILE's summary beside it as .txt)
//   mano evidence verify FILE [--key BASE64]
//   mano journal verify
//   mano requesters [--csv|--json] [--share FILE]   (requester_report.h; FILE written 0600)
// Exit codes (exit_code.h): 0 success; 1 (kOther) when a verification finds a change (the
// one-sentence reason on stderr); 2 usage; 5 storage. The local currency comes from the
// config file's [ledger] section (money.h), flags on top; the idle limit from its
// idle_minutes (Config::idle_minutes).
//
// Wiring into RunCli (cli_app.cpp), the same pattern as the other commands:
//   ledger::LedgerCommands ledger_commands(app);      // before app.parse()
//   ...
//   if (auto code = ledger_commands.Run(ctx)) ...     // after parse, before the others
// Thread safety: one command, one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mano/client/cli_context.h"
#include "mano/client/exit_code.h"

namespace CLI {
class App;
}

namespace mano::client::ledger {

struct LedgerArgs {
  std::string account;  // "" = every account
  std::string by = "day";
  bool csv = false;
  bool json = false;
  std::string local_currency;      // overrides the config's
  std::vector<std::string> rates;  // "USD=36.5", override the config's
  bool include_idle = false;       // count idle intervals in the hours
};
ExitCode CmdLedger(const CliContext& ctx, const LedgerArgs& args);

struct EvidenceArgs {
  std::string id;      // local id (mano list) or the server's id
  std::string output;  // "" = <data dir>/evidence/evidence-<account>-<server id>.json; "-" = stdout
};
ExitCode CmdEvidence(const CliContext& ctx, const EvidenceArgs& args);
ExitCode CmdEvidenceVerify(const CliContext& ctx, const std::string& file,
                           const std::string& key_b64);
ExitCode CmdJournalVerify(const CliContext& ctx);

struct RequestersArgs {
  bool csv = false;
  bool json = false;
  std::string share;  // "" = none; else the file for the shareable report
};
ExitCode CmdRequesters(const CliContext& ctx, const RequestersArgs& args);

// Registers the commands on `app` and keeps their parsed arguments.
class LedgerCommands {
 public:
  explicit LedgerCommands(CLI::App& app);
  // After app.parse(): runs the ledger command given, nullopt when none of them was.
  std::optional<ExitCode> Run(const CliContext& ctx) const;

 private:
  LedgerArgs ledger_args_;
  EvidenceArgs evidence_args_;
  std::string verify_file_, verify_key_;
  RequestersArgs requesters_args_;
  CLI::App* requesters_ = nullptr;
  CLI::App* ledger_ = nullptr;
  CLI::App* evidence_ = nullptr;
  CLI::App* evidence_verify_ = nullptr;
  CLI::App* journal_verify_ = nullptr;
};

}  // namespace mano::client::ledger
