#include "mano/client/cli_app.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "mano/client/commands.h"
#include "mano/client/i18n.h"
#include "mano/client/ledger/ledger_commands.h"
#include "mano/client/terminal_text.h"
#include "mano/client/text_table.h"
#include "mano/client/ui/terminal_ui.h"
#include "mano/client/utf8.h"
#include "mano/help_manual.h"
#include "mano/storage/data_dir.h"
#include "mano/version.h"

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

// Help that fits an 80-column terminal in every language: descriptions wrap inside their
// column (CLI11 indents the lines after a '\n'), commands get a narrow name column.
class FittedFormatter : public CLI::Formatter {
 public:
  static constexpr int kWidth = 80;
  static constexpr int kCommandColumn = 14;

  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    return Row(make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt),
               static_cast<int>(column_width_));
  }
  std::string make_subcommand(const CLI::App* sub) const override {
    return Row(sub->get_display_name(true), sub->get_description(), kCommandColumn);
  }
  // Rows matter too (24, with the shell's prompt below): no blank lines (the group headings
  // already separate options from commands), none at the end.
  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override {
    std::string text = CLI::Formatter::make_help(app, std::move(name), mode);
    for (auto blank = text.find("\n\n"); blank != std::string::npos; blank = text.find("\n\n"))
      text.erase(blank, 1);
    while (text.size() > 1 && text[text.size() - 2] == '\n') text.pop_back();
    return text;
  }
  std::string make_description(const CLI::App* app) const override {
    std::string text = CLI::Formatter::make_description(app);
    return text.empty() ? text : Wrap(text, kWidth) + "\n";
  }

 private:
  static std::string Wrap(const std::string& text, int width) {
    std::string out;
    for (const auto& line : WrapText(text, width)) {
      if (line.empty() && out.empty()) continue;
      out += (out.empty() ? "" : "\n") + line;
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
  // CLI11's format_help, with the name column padded by display width rather than bytes
  // (an Arabic "TEXT" label is 4 bytes, 2 cells) and the description wrapped in its column.
  static std::string Row(const std::string& name, const std::string& description, int column) {
    std::string out = "  " + name;
    const int used = 2 + DisplayWidth(name);
    const std::string pad(static_cast<size_t>(column), ' ');
    if (!description.empty()) {
      out += used >= column ? "\n" + pad : std::string(static_cast<size_t>(column - used), ' ');
      for (char c : Wrap(description, kWidth - column)) {
        out += c;
        if (c == '\n') out += pad;
      }
    }
    return out + "\n";
  }
};

void TranslateLabels(CLI::App& app) {
  app.formatter(std::make_shared<FittedFormatter>());
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
  formatter->column_width(22);
}

// The options `app` and its chosen commands require but were not given ("--server", "ID").
void MissingOptions(const CLI::App& app, std::vector<std::string>& out) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_required() && option->count() == 0) out.push_back(option->get_name());
  }
  for (const CLI::App* command : app.get_subcommands())
    if (command->parsed()) MissingOptions(*command, out);
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// A usage error in the worker's words. Never echoes a value from the command line (it may be a
// token typed where it should not be): only the names of options mano knows or that start
// with "-" (cut at "="), never what follows them.
std::string UsageErrorText(const CLI::App& app, const CLI::ParseError& e) {
  std::string detail;
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    std::vector<std::string> options;
    for (std::string arg : app.remaining(true)) {
      if (arg.size() < 2 || arg[0] != '-') continue;
      arg.resize(std::min(arg.find('='), arg.size()));
      options.push_back(arg);
    }
    detail = options.empty()
                 ? std::string(Tr("unexpected words on the command line (not shown: one could be "
                                  "a secret)"))
                 : TrFormat("unknown option {0}", {Join(options)});
  } else if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    std::vector<std::string> missing;
    MissingOptions(app, missing);
    detail = missing.empty() ? std::string(Tr("something required is missing"))
                             : TrFormat("missing {0}", {Join(missing)});
  } else if (dynamic_cast<const CLI::ConversionError*>(&e) ||
             dynamic_cast<const CLI::ValidationError*>(&e)) {
    detail = Tr("a value is not of the right kind (for example a number)");
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    detail = Tr("an option lacks its value, or has too many");
  } else if (dynamic_cast<const CLI::ExcludesError*>(&e) ||
             dynamic_cast<const CLI::RequiresError*>(&e)) {
    detail = Tr("these options do not go together");
  } else {
    detail = Tr("the command line is not valid");
  }
  return TrFormat("Usage error: {0}. See --help.", {detail});
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
    std::cerr << "mano: " << TerminalSafe(config_error->what()) << "\n";
    return ToInt(ExitCode::kUsage);
  }
  for (const auto& warning : config.warnings)
    std::cerr << "mano: " << TerminalSafe(warning) << "\n";

  Parsed p;
  CLI::App app(Tr("mano: offline-first work on tasks for data workers."), "mano");
  TranslateLabels(app);
  app.option_defaults()->group(Tr("Options"));
  app.set_help_flag("-h,--help", Tr("Print this help and exit"));
  // Both only in `mano --help-all` and the man page: the short help fits 80x24.
  version::AddHelpAllFlag(app, Tr("Print the help of every command and exit"))->group("");
  app.set_version_flag("--version", version::VersionLine("mano"), Tr("Print the version and exit"))
      ->group("");
  app.add_option("--data-dir", p.data_dir, Tr("Data folder [$MANO_HOME or $XDG_DATA_HOME/mano]"));
  app.add_option("--lang", p.lang, Tr("Language of messages (es, fr, ar, en...)"));
  app.add_option("--config", p.config, Tr("Config file [$XDG_CONFIG_HOME/mano/config.toml]"));
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

  CLI::App* unsubmit = sub("unsubmit", "Take a result back to a draft before it is sent");
  unsubmit->add_option("ID", p.id, Tr("Assignment id (from mano list)"))->required();

  CLI::App* ret = sub("return", "Hand an assignment back to its server");
  ret->add_option("ID", p.id, Tr("Assignment id (from mano list)"))->required();

  CLI::App* sync = sub("sync", "Send finished work, fetch events and new work");
  sync->add_flag("--watch", p.watch, Tr("Keep syncing until interrupted"));

  CLI::App* status = sub("status", "Per account: link, outbox, last contact, deadlines");
  status->add_flag("--json", p.json, Tr("Print JSON"));

  ledger::LedgerCommands ledger_commands(app);
  // Every command, ours or registered by another part, in one translated group (one hidden
  // with group("") stays hidden).
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    if (!command->get_group().empty()) command->group(Tr("Commands"));
    command->fallthrough();
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, std::cout, std::cerr) == 0 ? 0 : ToInt(ExitCode::kUsage);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, std::cout, std::cerr) == 0 ? 0 : ToInt(ExitCode::kUsage);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, std::cout, std::cerr) == 0 ? 0 : ToInt(ExitCode::kUsage);
  } catch (const CLI::Success&) {
    return 0;  // --help-all has printed (CallForVersion is a Success too)
  } catch (const CLI::ParseError& e) {
    std::cerr << "mano: " << TerminalSafe(UsageErrorText(app, e)) << "\n";
    return ToInt(ExitCode::kUsage);
  }

  CliContext ctx;
  ctx.config = config;
  ctx.stdout_is_tty = ::isatty(STDOUT_FILENO);
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  try {
    ctx.data_dir = storage::ResolveDataDir(p.data_dir);
    // The command given, run; nullopt when none was (the terminal UI).
    const auto run_command = [&]() -> std::optional<ExitCode> {
      if (auto code = ledger_commands.Run(ctx)) return code;
      if (login->parsed()) return CmdLogin(ctx, p.login);
      if (accounts->parsed()) return CmdAccounts(ctx);
      if (claim->parsed()) return CmdClaim(ctx, p.claim);
      if (list->parsed()) return CmdList(ctx, p.json);
      if (show->parsed()) return CmdShow(ctx, p.id, p.json);
      if (answer->parsed()) return CmdAnswer(ctx, p.answer);
      if (undo->parsed()) return CmdUndo(ctx, p.id);
      if (submit->parsed()) return CmdSubmit(ctx, p.id);
      if (unsubmit->parsed()) return CmdUnsubmit(ctx, p.id);
      if (ret->parsed()) return CmdReturn(ctx, p.id);
      if (sync->parsed()) return CmdSync(ctx, p.watch);
      if (status->parsed()) return CmdStatus(ctx, p.json);
      return std::nullopt;
    };
    if (const auto code = run_command()) {
      std::cout.flush();
      return ToInt(*code);
    }
    ui::UiOptions options;
    options.data_dir = ctx.data_dir;
    options.language = language;
    options.config = ctx.config;
    options.engine = ctx.EngineOptionsFor(nullptr);
    return ui::RunTerminalUi(options);
  } catch (...) {
    std::string message;
    ExitCode code = ExitCodeForCurrentException(message);
    std::cout.flush();
    // Error texts quote servers and files: printed cleaned (mano/client/terminal_text.h).
    std::cerr << "mano: " << TerminalSafe(message) << "\n";
    return ToInt(code);
  }
}

}  // namespace mano::client
