#include "mano/client/exit_code.h"

#include <CLI/CLI.hpp>

#include "mano/client/i18n.h"
#include "mano/client/toml.h"
#include "mano/storage/store_error.h"
#include "mano/sync/sync_error.h"

namespace mano::client {
namespace {

// Other modules' messages are English details; the sentence around them is translated.
std::string Detail(const std::exception& e) {
  std::string what = e.what();
  while (!what.empty() && (what.back() == '.' || what.back() == ' ')) what.pop_back();
  return what;
}

// What an error of one kind tells the worker: the exit code, and the sentence (a msgid)
// around the error's English detail.
struct Meaning {
  ExitCode code;
  const char* sentence;
};

Meaning MeaningOf(sync::SyncErrorKind kind) {
  using K = sync::SyncErrorKind;
  switch (kind) {
    case K::kOffline:
    case K::kTimeout:
    case K::kCaptive:
      return {ExitCode::kUnreachable,
              N_("The server cannot be reached ({0}); try again when online.")};
    case K::kAuth:
      return {ExitCode::kAuth, N_("The server refused the token ({0}); log in again.")};
    case K::kStorage:
      return {ExitCode::kStorage, N_("The local store failed ({0}).")};
    case K::kConfig:
      return {ExitCode::kUsage, N_("The configuration is not usable ({0}).")};
    case K::kSignature:
      return {ExitCode::kOther, N_("The server's signature did not verify ({0}).")};
    default:
      return {ExitCode::kOther, N_("The server's answer was not usable ({0}).")};
  }
}

Meaning MeaningOf(storage::StoreError::Kind kind) {
  using K = storage::StoreError::Kind;
  switch (kind) {
    case K::kNotFound:
    case K::kConstraint:
    case K::kInvalidArgument:
      return {ExitCode::kUsage, N_("The request does not match the local data ({0}).")};
    default:
      return {ExitCode::kStorage, N_("The local store failed ({0}).")};
  }
}

// Fills `message` with the sentence `e`'s kind means around its detail; returns the code.
template <typename Error>
ExitCode Explain(const Error& e, std::string& message) {
  const Meaning meaning = MeaningOf(e.kind());
  message = TrFormat(meaning.sentence, {Detail(e)});
  return meaning.code;
}

}  // namespace

ExitCode ExitCodeForCurrentException(std::string& message) {
  try {
    throw;
  } catch (const CliError& e) {
    message = e.what();
    return e.code();
  } catch (const CLI::ParseError&) {
    // CLI11's own text may hold a value from the command line (a token typed by mistake).
    message = TrFormat("Usage error: {0}. See --help.", {Tr("the command line is not valid")});
    return ExitCode::kUsage;
  } catch (const ConfigError& e) {
    message = e.what();
    return ExitCode::kUsage;
  } catch (const sync::SyncError& e) {
    return Explain(e, message);
  } catch (const storage::StoreError& e) {
    return Explain(e, message);
  } catch (const std::bad_alloc&) {
    message = Tr("Out of memory.");
    return ExitCode::kOther;
  } catch (const std::exception& e) {
    message = TrFormat("Unexpected error: {0}.", {Detail(e)});
    return ExitCode::kOther;
  }
}

}  // namespace mano::client
