// CliContext: what every `mano` command needs — the data folder, the config (flags already
// applied on top), where to write — plus the small helpers commands share: opening the
// store, building the sync engine's options, finding an assignment by the id `mano list`
// shows, and reading its form and draft. Not thread-safe: one command, one thread.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "mano/client/config.h"
#include "mano/storage/store.h"
#include "mano/sync/answer.h"
#include "mano/sync/messages.h"
#include "mano/sync/sync_engine.h"

namespace mano::client {

struct CliContext {
  std::string data_dir;
  Config config;
  bool stdout_is_tty = false;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;

  // Opens the store and writes its OpenNotices (damaged file moved aside, clock went
  // back) to `err`; StoreError propagates (exit code 5).
  storage::Store OpenStore() const;
  // Engine options from the config (CA file, plain http, data budget, queue wanted).
  sync::EngineOptions EngineOptionsFor(sync::ProgressSink* progress) const;
};

// The assignment whose local id is `id_text` (what `mano list` shows). Throws
// CliError(kUsage) when it is not a number or no such assignment exists.
storage::Assignment FindAssignmentOrThrow(storage::Store& store, const std::string& id_text);

// The draft (latest checkpoint, an Answer in canonical JSON), empty when none.
sync::Answer DraftOf(storage::Store& store, int64_t assignment_id);
// The latest checkpoint's version (0 when none).
int64_t DraftVersion(storage::Store& store, int64_t assignment_id);

// The remaining time until `deadline_ms` in server time for `account`, nullopt when the
// account never had contact with its server.
std::optional<int64_t> RemainingMs(storage::Store& store, const storage::Assignment& a);

// States in which an answer may still be edited: claimed, in_progress, expired.
bool IsEditable(storage::AssignmentState state);

}  // namespace mano::client
