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

ExitCode ForSync(const sync::SyncError& e, std::string& message) {
  using sync::SyncErrorKind;
  switch (e.kind()) {
    case SyncErrorKind::kOffline:
    case SyncErrorKind::kTimeout:
    case SyncErrorKind::kCaptive:
      message = TrFormat("The server cannot be reached ({0}); try again when online.", {Detail(e)});
      return ExitCode::kUnreachable;
    case SyncErrorKind::kAuth:
      message = TrFormat("The server refused the token ({0}); log in again.", {Detail(e)});
      return ExitCode::kAuth;
    case SyncErrorKind::kStorage:
      message = TrFormat("The local store failed ({0}).", {Detail(e)});
      return ExitCode::kStorage;
    case SyncErrorKind::kConfig:
      message = TrFormat("The configuration is not usable ({0}).", {Detail(e)});
      return ExitCode::kUsage;
    case SyncErrorKind::kSignature:
      message = TrFormat("The server's signature did not verify ({0}).", {Detail(e)});
      return ExitCode::kOther;
    default:
      message = TrFormat("The server's answer was not usable ({0}).", {Detail(e)});
      return ExitCode::kOther;
  }
}

ExitCode ForStore(const storage::StoreError& e, std::string& message) {
  using Kind = storage::StoreError::Kind;
  switch (e.kind()) {
    case Kind::kNotFound:
    case Kind::kConstraint:
    case Kind::kInvalidArgument:
      message = TrFormat("The request does not match the local data ({0}).", {Detail(e)});
      return ExitCode::kUsage;
    default:
      message = TrFormat("The local store failed ({0}).", {Detail(e)});
      return ExitCode::kStorage;
  }
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
    return ForSync(e, message);
  } catch (const storage::StoreError& e) {
    return ForStore(e, message);
  } catch (const std::bad_alloc&) {
    message = Tr("Out of memory.");
    return ExitCode::kOther;
  } catch (const std::exception& e) {
    message = TrFormat("Unexpected error: {0}.", {Detail(e)});
    return ExitCode::kOther;
  }
}

}  // namespace mano::client
