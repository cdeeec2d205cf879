// Exit codes of the `mano` program: a contract with scripts (documented in docs/CLI.md).
// CliError is the one exception type the client's command code throws; every other module's
// error (StoreError, SyncError) is mapped to an exit code and a one-sentence message at the
// single catch site in RunCli. Thread-safe: pure functions and immutable values.
#pragma once

#include <stdexcept>
#include <string>

namespace mano::client {

enum class ExitCode : int {
  kOk = 0,
  kOther = 1,
  kUsage = 2,        // bad flags or arguments, unknown command, unknown assignment id
  kUnreachable = 3,  // nothing reachable, or only part of the work synced
  kAuth = 4,         // the server refused the token
  kStorage = 5,      // the local store failed (disk full, read-only, damaged, newer schema)
  kValidation = 6,   // an answer does not satisfy its form
  kAlreadySent = 7,  // mano unsubmit: the result has already gone to the server
};

inline int ToInt(ExitCode code) { return static_cast<int>(code); }

// An error the command line reports: one sentence (already in the worker's language) and
// the exit code it maps to.
class CliError : public std::runtime_error {
 public:
  CliError(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

// Maps the exception currently being handled (call inside a catch block) to an exit code
// and writes its one-sentence, translated description into `message`.
ExitCode ExitCodeForCurrentException(std::string& message);

}  // namespace mano::client
