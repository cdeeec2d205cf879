// mano login, mano accounts.
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "mano/client/commands.h"
#include "mano/client/i18n.h"
#include "mano/client/terminal_text.h"
#include "mano/sync/text_trim.h"

namespace mano::client {
namespace {

// Turns terminal echo off while the token is typed (restored in the destructor).
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = ::tcsetattr(fd_, TCSANOW, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

// The token comes from a file or standard input, never from the command line (argv is
// visible to every user of the machine through /proc).
std::string ReadToken(const CliContext& ctx, const std::string& file) {
  std::string token;
  if (!file.empty() && file != "-") {
    std::ifstream in(file, std::ios::binary);
    if (!in)
      throw CliError(ExitCode::kUsage, TrFormat("Cannot read the token file {0}: {1}.",
                                                {file, std::strerror(errno)}));
    std::getline(in, token);
  } else if (::isatty(STDIN_FILENO)) {
    *ctx.err << Tr("Token (not shown): ") << std::flush;
    EchoOff quiet(STDIN_FILENO);
    std::getline(std::cin, token);
    *ctx.err << "\n";
  } else {
    std::getline(std::cin, token);
  }
  token = sync::Trim(token);
  if (token.empty())
    throw CliError(ExitCode::kUsage,
                   Tr("No token was given: put it in --token-file or on standard input."));
  return token;
}

}  // namespace

ExitCode CmdLogin(const CliContext& ctx, const LoginArgs& args) {
  std::string token = ReadToken(ctx, args.token_file);
  sync::SyncEngine engine(ctx.data_dir, ctx.EngineOptionsFor(nullptr));
  sync::LoginOptions options;
  options.replace_key = args.replace_key;
  // Another worker's token for this account: refused, or with --replace-identity said
  // plainly (what becomes of the open work) before anything is stored.
  options.identity_changed = [&](const sync::IdentityChange& change) {
    std::string ids;
    for (int64_t id : change.open_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    const std::string open = std::to_string(change.open_ids.size());
    if (!args.replace_identity)
      throw CliError(
          ExitCode::kUsage,
          TrFormat("This token belongs to worker {0}, but account '{1}' is worker {2}'s (open "
                   "tasks: {3}). Log in under another --name, or add --replace-identity to "
                   "give this account to worker {0}.",
                   {change.new_worker, change.account, change.old_worker, open}));
    *ctx.out << TrFormat("Account '{0}' passes from worker {1} to worker {2}.",
                         {change.account, change.old_worker, change.new_worker})
             << "\n";
    if (!change.open_ids.empty())
      *ctx.out << TrFormat("Open tasks leased to worker {0}: {1} ({2}). Their drafts stay on "
                           "this device (mano show ID), but the server will not take their "
                           "results from worker {3}: return them with the old token first if "
                           "it still works.",
                           {change.old_worker, open, ids, change.new_worker})
               << "\n";
    return true;
  };
  storage::Account account = engine.Login(args.name, args.server, token, options);
  *ctx.out << TrFormat("Logged in to {0} as account '{1}'; the server's receipt key is pinned.",
                       {TerminalSafe(account.server_url), TerminalSafe(account.name)})
           << "\n";
  return ExitCode::kOk;
}

ExitCode CmdAccounts(const CliContext& ctx) {
  storage::Store store = ctx.OpenStore();
  for (const auto& account : store.ListAccounts())
    *ctx.out << TerminalSafe(account.name) << "  " << TerminalSafe(account.server_url) << "  "
             << TerminalSafe(account.currency) << "\n";
  return ExitCode::kOk;
}

}  // namespace mano::client
