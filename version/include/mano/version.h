// What a build of mano is: the project's version, the protocol it speaks and the git commit
// it was built from. Read by `mano --version` and `manod --version`. Constant data: thread-safe.
#pragma once

#include <string>

namespace mano::version {

// "0.1.0": project(VERSION) in the top CMakeLists.txt.
const char* Version();

// The wire protocol's version, "v1" (the /v1/ in every path, GET /v1/health's `protocol`).
const char* Protocol();

// The short git commit ("6890c3d1a2b3", "-dirty" appended when tracked files had changes),
// or "" when the source had no .git and no MANO_GIT_COMMIT was given.
const char* Commit();

// One line for --version: "mano 0.1.0 (protocol v1, commit 6890c3d1a2b3)"; without a
// commit, "mano 0.1.0 (protocol v1)". Not translated: identifiers, read by scripts and help2man.
std::string VersionLine(const std::string& program);

}  // namespace mano::version
