// `--help-all`: every command's help in one text, the source of the man pages (help2man runs
// the built programs with it, so a page cannot say what the program does not). The usual
// --help of the program first, then each command, nested ones too ("manod worker add"), as
// a paragraph headed "PROGRAM COMMAND:" with its description and one line per option or
// positional ("  --db TEXT REQUIRED  the server database"), blank lines between: the layout
// help2man turns into a subsection per command. Hidden options (empty group) are left out.
#pragma once

#include <string>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace mano::version {

std::string ManualText(const CLI::App& app);

// Adds `--help-all` to `app`: prints ManualText(app) to stdout and ends parsing with
// CLI::Success (exit status 0). A caller may hide it from the short help (group ""); the
// full text still lists it, and the version flag, after the help flag.
CLI::Option* AddHelpAllFlag(CLI::App& app, const std::string& description);

}  // namespace mano::version
