#include "mano/help_manual.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace mano::version {
namespace {

std::string OneLine(std::string text) {
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

std::string OptionLine(const CLI::Option& option) {
  // Names by hand: CLI11's get_name() gives nothing for a hidden option.
  std::string names;
  for (const std::string& name : option.get_snames()) names += (names.empty() ? "-" : ",-") + name;
  for (const std::string& name : option.get_lnames())
    names += (names.empty() ? "--" : ",--") + name;
  std::string line = "  " + (names.empty() ? option.get_name(true) : names);
  if (option.get_type_size_max() > 0 && !option.get_type_name().empty())
    line += " " + option.get_type_name();
  if (!option.get_default_str().empty()) line += "=" + option.get_default_str();
  if (option.get_required()) line += " REQUIRED";
  if (!option.get_description().empty()) line += "  " + OneLine(option.get_description());
  return line + "\n";
}

void AppendCommands(const CLI::App& app, const std::string& path, std::string& out) {
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (command->get_group().empty()) continue;
    const std::string name = path + " " + command->get_name();
    out += "\n" + name + ":\n";
    if (!command->get_description().empty())
      out += "  " + OneLine(command->get_description()) + "\n\n";
    for (const CLI::Option* option : command->get_options()) {
      if (option->get_group().empty() || option == command->get_help_ptr() ||
          option == command->get_help_all_ptr())
        continue;
      out += OptionLine(*option);
    }
    AppendCommands(*command, name, out);
  }
}

}  // namespace

std::string ManualText(const CLI::App& app) {
  std::string out = app.help();
  if (!out.empty() && out.back() != '\n') out += "\n";
  // --version and --help-all may be hidden from the short help (mano's fits 24 rows); the
  // full text lists them after the help flag's line.
  std::string hidden;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty() &&
        (option == app.get_version_ptr() || option->check_lname("help-all")))
      hidden += OptionLine(*option);
  }
  const auto help_line = out.find("--help");
  if (!hidden.empty() && help_line != std::string::npos)
    out.insert(out.find('\n', help_line) + 1, hidden);
  const std::string& name = app.get_name();  // argv[0] when the program named none
  AppendCommands(app, name.substr(name.rfind('/') + 1), out);
  return out;
}

CLI::Option* AddHelpAllFlag(CLI::App& app, const std::string& description) {
  return app.add_flag_callback(
      "--help-all",
      [&app] {
        std::cout << ManualText(app);
        throw CLI::Success();
      },
      description);
}

}  // namespace mano::version
