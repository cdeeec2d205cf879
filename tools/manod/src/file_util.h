// Reading whole files for manod's commands (task files, templates, PEM keys, review CSVs).
// Thread-safe.
#pragma once

#include <string>

namespace mano::manod {

// The file's bytes; throws std::runtime_error("cannot read <path>") when it cannot be opened.
std::string ReadWholeFile(const std::string& path);

}  // namespace mano::manod
