#include "mano/client/cli_app.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "mano/client/commands.h"
#include "mano/client/i18n.h"
#include "mano/storage/data_dir.h"
#if MANO_HAVE_UI
#include "mano/client/ui/terminal_ui.h"
#endif
#if MANO_HAVE_LEDGER_COMMANDS
#include "mano/client/ledger/ledger_commands.h"
#endif

namespace mano::client {
namespace {

// The value of `--name VALUE` or `--name=VALUE` in argv, looked up before parsing: the
// language and config must be known before the help texts are built.
std::string PreScan(int argc, char** argv, const std::string& name) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg == name && i + 1 < argc) return argv[i + 1];
    if (arg.rfind(name + "=", 0) == 0) return arg.substr(name.size() + 1);
  }
  return "";
}

void TranslateLabels(CLI::App& app) {
  auto formatter = app.get_formatter();
  formatter->label("Usage", Tr("Usage"));
  formatter->label("OPTIONS", Tr("OPTIONS"));
  formatter->label("SUBCOMMAND", Tr("COMMAND"));
  formatter->label("Positionals", Tr("Positionals"));
  formatter->label("REQUIRED", Tr("REQUIRED"));
  formatter->label("TEXT", Tr("TEXT"));
  formatter->label("INT", Tr("INT"));
  formatter->label("Env", Tr("Env"));
  formatter->label("Needs", Tr("Needs"));
  formatter->label("Excludes", Tr("Excludes"));
  formatter->column_width(32);
}

struct Parsed {
  std::string data_dir, lang, config;
  LoginArgs login;
  ClaimArgs claim;
  AnswerArgs answer;
  std::string id;
  bool json = false;
  bool watch = false;
};

}  // namespace

int RunCli(int argc, char** argv) {
  std::optional<ConfigError> config_error;
  Config config;
  try {
    config = LoadConfig(PreScan(argc, argv, "--config"));
  } catch (const ConfigError& e) {
    config_error = e;
  }
  std::string lang = PreScan(argc, argv, "--lang");
  [[maybe_unused]] std::string language = InitLanguage(lang.empty() ? config.language : lang);
  if (config_error) {
    std::cerr << "mano: " << config_error->what() << "\n";
    return ToInt(ExitCode::kUsage);
  }
  for (const auto& warning : config.warnings) std::cerr << "mano: " << warning << "\n";

  Parsed p;
  CLI::App app(Tr("mano: offline-first work on tasks for data workers."), "mano");
  TranslateLabels(app);
  app.option_defaults()->group(Tr("Options"));
  app.set_help_flag("-h,--help", Tr("Print this help and exit"));
  app.add_option("--data-dir", p.data_dir,
                 Tr("Data folder (default: $MANO_HOME, else $XDG_DATA_HOME/mano)"));
  app.add_option("--lang", p.lang, Tr("Language of messages (es, fr, ar, en...)"));
  app.add_option("--config", p.config,
                 Tr("Config file (default: $XDG_CONFIG_HOME/mano/config.toml)"));
  app.require_subcommand(0, 1);

  auto sub = [&](const char* name, const char* description) {
    CLI::App* s = app.add_subcommand(name, Tr(description));
    s->group(Tr("Commands"));
    s->set_help_flag("-h,--help", Tr("Print this help and exit"));
    s->fallthrough();
    return s;
  };

  CLI::App* login = sub("login", "Log in to a server; the token is read from a file or stdin");
  login->add_option("--server", p.login.server, Tr("Server URL, e.g. https://tasks.example"))
      ->required();
  login->add_option("--name", p.login.name, Tr("Local name for this account"))->required();
  login->add_option("--token-file", p.login.token_file,
                    Tr("File holding the token (default: standard input)"));
  login->add_flag("--replace-key", p.login.replace_key,
                  Tr("Accept a receipt key different from the pinned one"));
  login->add_flag("--replace-identity", p.login.replace_identity,
                  Tr("Accept a token of another worker for an existing account"));
  CLI::App* accounts = sub("accounts", "List accounts, one per line");

  CLI::App* claim = sub("claim", "Claim new assignments from a server");
  claim->add_option("--account", p.claim.account, Tr("Account (needed when there are several)"));
  claim->add_option("--count", p.claim.count, Tr("How many assignments (default 1)"));
  claim->add_option("--kind", p.claim.kinds, Tr("Only this kind (repeatable)"));

  CLI::App* list = sub("list", "List every account's assignments");
  list->add_flag("--json", p.json, Tr("Print JSON"));

  CLI::App* show = sub("show", "Show a task, its form and the current draft");
  show->add_option("ID", p.id, Tr("Assignment id (from mano list)"))->required();
  show->add_flag("--json", p.json, Tr("Print JSON"));

  CLI::App* answer = sub("answer", "Set answer fields and save a draft checkpoint");
  answer->add_option("ID", p.answer.id, Tr("Assignment id (from mano list)"))->required();
  answer->add_option("--set", p.answer.sets,
                     Tr("FIELD=VALUE (multi: a,b; boxes: x,y,w,h,label;...); repeatable"));
  answer->add_option("--json", p.answer.json_file,
                     Tr("Read values from a JSON object file ('-' = stdin)"));

  CLI::App* undo = sub("undo", "Go back to the previous saved version of a draft");
  undo->add_option("ID", p.id, Tr("Assignment id (from mano list)"))->required();

  CLI::App* submit = sub("submit", "Finish an assignment: validate and queue it (works offline)");
  submit->add_option("ID", p.id, Tr("Assignment id (from mano list)"))->required();

  CLI::App* ret = sub("return", "Hand an assignment back to its server");
  ret->add_option("ID", p.id, Tr("Assignment id (from mano list)"))->required();

  CLI::App* sync = sub("sync", "Send finished work, fetch events and new work");
  sync->add_flag("--watch", p.watch, Tr("Keep syncing until interrupted"));

  CLI::App* status = sub("status", "Per account: link, outbox, last contact, deadlines");
  status->add_flag("--json", p.json, Tr("Print JSON"));

#if MANO_HAVE_LEDGER_COMMANDS
  ledger::LedgerCommands ledger_commands(app);
#endif
  // Every command, ours or registered by another part, in one translated group.
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    command->group(Tr("Commands"));
    command->fallthrough();
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, std::cout, std::cerr) == 0 ? 0 : ToInt(ExitCode::kUsage);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, std::cout, std::cerr) == 0 ? 0 : ToInt(ExitCode::kUsage);
  } catch (const CLI::ParseError&) {
    std::string message;
    ExitCode code = ExitCodeForCurrentException(message);
    std::cerr << "mano: " << message << "\n";
    return ToInt(code);
  }

  CliContext ctx;
  ctx.config = config;
  ctx.stdout_is_tty = ::isatty(STDOUT_FILENO);
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  try {
    ctx.data_dir = storage::ResolveDataDir(p.data_dir);
    ExitCode code;
#if MANO_HAVE_LEDGER_COMMANDS
    if (auto ledger_code = ledger_commands.Run(ctx)) return ToInt(*ledger_code);
#endif
    if (login->parsed())
      code = CmdLogin(ctx, p.login);
    else if (accounts->parsed())
      code = CmdAccounts(ctx);
    else if (claim->parsed())
      code = CmdClaim(ctx, p.claim);
    else if (list->parsed())
      code = CmdList(ctx, p.json);
    else if (show->parsed())
      code = CmdShow(ctx, p.id, p.json);
    else if (answer->parsed())
      code = CmdAnswer(ctx, p.answer);
    else if (undo->parsed())
      code = CmdUndo(ctx, p.id);
    else if (submit->parsed())
      code = CmdSubmit(ctx, p.id);
    else if (ret->parsed())
      code = CmdReturn(ctx, p.id);
    else if (sync->parsed())
      code = CmdSync(ctx, p.watch);
    else if (status->parsed())
      code = CmdStatus(ctx, p.json);
    else {
#if MANO_HAVE_UI
      ui::UiOptions options;
      options.data_dir = ctx.data_dir;
      options.language = language;
      options.config = ctx.config;
      options.engine = ctx.EngineOptionsFor(nullptr);
      return ui::RunTerminalUi(options);
#endif
      std::cout << app.help();
      std::cout << Tr("The terminal UI is not part of this build yet; use the commands above.")
                << "\n";
      code = ExitCode::kOk;
    }
    std::cout.flush();
    return ToInt(code);
  } catch (...) {
    std::string message;
    ExitCode code = ExitCodeForCurrentException(message);
    std::cout.flush();
    std::cerr << "mano: " << message << "\n";
    return ToInt(code);
  }
}

}  // namespace mano::client
