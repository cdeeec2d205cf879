#include "mano/version.h"

#include "mano/sync/protocol_version.h"

namespace mano::version {
namespace detail {
extern const char kVersion[];  // generated: <build>/generated/build_info.cpp
extern const char kCommit[];
}  // namespace detail

const char* Version() { return detail::kVersion; }
const char* Protocol() { return sync::kProtocolVersion; }
const char* Commit() { return detail::kCommit; }

std::string VersionLine(const std::string& program) {
  std::string line = program + " " + Version() + " (protocol " + Protocol();
  if (*Commit() != '\0') line += std::string(", commit ") + Commit();
  return line + ")";
}

}  // namespace mano::version
