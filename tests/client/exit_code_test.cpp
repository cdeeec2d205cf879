#include "mano/client/exit_code.h"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include "mano/client/toml.h"
#include "mano/storage/store_error.h"
#include "mano/sync/sync_error.h"

using namespace mano::client;
using mano::storage::StoreError;
using mano::sync::SyncError;
using mano::sync::SyncErrorKind;

namespace {
template <class E>
std::pair<ExitCode, std::string> Map(const E& error) {
  try {
    throw error;
  } catch (...) {
    std::string message;
    ExitCode code = ExitCodeForCurrentException(message);
    return {code, message};
  }
}
}  // namespace

TEST_CASE("exit codes: each error maps to its documented code", "[exit]") {
  CHECK(Map(CliError(ExitCode::kValidation, "bad")).first == ExitCode::kValidation);
  CHECK(Map(CliError(ExitCode::kValidation, "bad")).second == "bad");
  CHECK(Map(CLI::ExtrasError({"--nope"})).first == ExitCode::kUsage);
  CHECK(Map(ConfigError("c, line 2: x.", 2)).first == ExitCode::kUsage);
  CHECK(Map(SyncError(SyncErrorKind::kOffline, "connect failed")).first == ExitCode::kUnreachable);
  CHECK(Map(SyncError(SyncErrorKind::kTimeout, "stalled")).first == ExitCode::kUnreachable);
  CHECK(Map(SyncError(SyncErrorKind::kCaptive, "portal")).first == ExitCode::kUnreachable);
  CHECK(Map(SyncError(SyncErrorKind::kAuth, "401", {}, 401)).first == ExitCode::kAuth);
  CHECK(Map(SyncError(SyncErrorKind::kStorage, "disk full")).first == ExitCode::kStorage);
  CHECK(Map(SyncError(SyncErrorKind::kBadMessage, "bad json")).first == ExitCode::kOther);
  CHECK(Map(StoreError(StoreError::Kind::kFull, "disk full at /x", "/x")).first ==
        ExitCode::kStorage);
  CHECK(Map(StoreError(StoreError::Kind::kNewerSchema, "newer", "/x")).first == ExitCode::kStorage);
  CHECK(Map(StoreError(StoreError::Kind::kConstraint, "exists", "/x")).first == ExitCode::kUsage);
  CHECK(Map(std::runtime_error("boom")).first == ExitCode::kOther);
}

TEST_CASE("exit codes: messages are one sentence carrying the detail", "[exit]") {
  auto [code, message] = Map(SyncError(SyncErrorKind::kOffline, "connect to 127.0.0.1:9 failed."));
  CHECK(code == ExitCode::kUnreachable);
  CHECK_THAT(message, Catch::Contains("connect to 127.0.0.1:9 failed"));
  CHECK(message.find('\n') == std::string::npos);
  CHECK(message.back() == '.');
  CHECK(ToInt(ExitCode::kOk) == 0);
  CHECK(ToInt(ExitCode::kUsage) == 2);
  CHECK(ToInt(ExitCode::kUnreachable) == 3);
  CHECK(ToInt(ExitCode::kAuth) == 4);
  CHECK(ToInt(ExitCode::kStorage) == 5);
  CHECK(ToInt(ExitCode::kValidation) == 6);
}

TEST_CASE("exit codes: every error kind keeps its code and sentence", "[exit]") {
  using K = SyncErrorKind;
  const std::pair<K, std::pair<ExitCode, const char*>> sync_kinds[] = {
      {K::kOffline,
       {ExitCode::kUnreachable, "The server cannot be reached (d); try again when online."}},
      {K::kTimeout,
       {ExitCode::kUnreachable, "The server cannot be reached (d); try again when online."}},
      {K::kCaptive,
       {ExitCode::kUnreachable, "The server cannot be reached (d); try again when online."}},
      {K::kAuth, {ExitCode::kAuth, "The server refused the token (d); log in again."}},
      {K::kStorage, {ExitCode::kStorage, "The local store failed (d)."}},
      {K::kConfig, {ExitCode::kUsage, "The configuration is not usable (d)."}},
      {K::kSignature, {ExitCode::kOther, "The server's signature did not verify (d)."}},
      {K::kBadMessage, {ExitCode::kOther, "The server's answer was not usable (d)."}},
      {K::kTooLarge, {ExitCode::kOther, "The server's answer was not usable (d)."}},
      {K::kHttp, {ExitCode::kOther, "The server's answer was not usable (d)."}},
      {K::kInternal, {ExitCode::kOther, "The server's answer was not usable (d)."}},
  };
  for (const auto& [kind, expected] : sync_kinds) {
    INFO(mano::sync::SyncErrorKindName(kind));
    CHECK(Map(SyncError(kind, "d.")) == std::pair<ExitCode, std::string>(expected));
  }
  using S = StoreError::Kind;
  const char* kNoMatch = "The request does not match the local data (d).";
  const char* kFailed = "The local store failed (d).";
  const std::pair<S, std::pair<ExitCode, const char*>> store_kinds[] = {
      {S::kNotFound, {ExitCode::kUsage, kNoMatch}},
      {S::kConstraint, {ExitCode::kUsage, kNoMatch}},
      {S::kInvalidArgument, {ExitCode::kUsage, kNoMatch}},
      {S::kIo, {ExitCode::kStorage, kFailed}},
      {S::kFull, {ExitCode::kStorage, kFailed}},
      {S::kReadOnly, {ExitCode::kStorage, kFailed}},
      {S::kCorrupt, {ExitCode::kStorage, kFailed}},
      {S::kNewerSchema, {ExitCode::kStorage, kFailed}},
      {S::kBusy, {ExitCode::kStorage, kFailed}},
  };
  for (const auto& [kind, expected] : store_kinds) {
    INFO(static_cast<int>(kind));
    CHECK(Map(StoreError(kind, "d")) == std::pair<ExitCode, std::string>(expected));
  }
}
