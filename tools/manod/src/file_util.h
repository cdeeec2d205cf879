// Reading whole files for manod's commands (task files, templates, PEM keys, review CSVs).
// Thread-safe.
#pragma once

#include <filesystem>
#include <string>

namespace mano::manod {

// The file's bytes; throws std::runtime_error("cannot read <path>") when it cannot be opened.
std::string ReadWholeFile(const std::string& path);

// The folder holding `path`, every link resolved: the import folder assets must stay in.
// Throws std::runtime_error when it cannot be read.
std::string RootOf(const std::string& path);

// True when `p` names something strictly below `root` (both absolute and normalised).
bool Inside(const std::filesystem::path& root, const std::filesystem::path& p);

}  // namespace mano::manod
