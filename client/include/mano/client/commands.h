// The `mano` commands, one function each, called by RunCli after the command line is
// parsed. Each returns the exit code (exit_code.h) or throws (CliError, StoreError,
// SyncError), which RunCli maps to an exit code and one translated sentence on stderr.
// Output: human text or JSON on ctx.out; progress only on a terminal.
#pragma once

#include <string>
#include <vector>

#include "mano/client/cli_context.h"
#include "mano/client/exit_code.h"

namespace mano::client {

struct LoginArgs {
  std::string server;
  std::string name;
  std::string token_file;  // "" = standard input
  bool replace_key = false;
  bool replace_identity = false;  // a token of another worker may take the account over
};
ExitCode CmdLogin(const CliContext& ctx, const LoginArgs& args);
ExitCode CmdAccounts(const CliContext& ctx);

struct ClaimArgs {
  std::string account;
  int count = 1;
  std::vector<std::string> kinds;
};
ExitCode CmdClaim(const CliContext& ctx, const ClaimArgs& args);
ExitCode CmdList(const CliContext& ctx, bool json);
ExitCode CmdShow(const CliContext& ctx, const std::string& id, bool json);

struct AnswerArgs {
  std::string id;
  std::vector<std::string> sets;  // FIELD=VALUE
  std::string json_file;          // "-" = standard input
};
ExitCode CmdAnswer(const CliContext& ctx, const AnswerArgs& args);
ExitCode CmdUndo(const CliContext& ctx, const std::string& id);
ExitCode CmdSubmit(const CliContext& ctx, const std::string& id);
// Takes a submitted result back to a draft while it still waits in the outbox; exit code
// kAlreadySent when it has gone to the server.
ExitCode CmdUnsubmit(const CliContext& ctx, const std::string& id);
ExitCode CmdReturn(const CliContext& ctx, const std::string& id);

ExitCode CmdSync(const CliContext& ctx, bool watch);
// One translated sentence on ctx.err per asset the pass left alone (AssetLimits), naming
// the task by the id mano list shows (claim and sync).
void PrintAssetRefusals(const CliContext& ctx, storage::Store& store,
                        const sync::AccountReport& report);
ExitCode CmdStatus(const CliContext& ctx, bool json);

}  // namespace mano::client
