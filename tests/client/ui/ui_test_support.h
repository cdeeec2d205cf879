// Shared helpers for the terminal UI's unit tests: the UTF-8 locale mano runs under, a private
// temp data dir, and a store with an account and assignments of the preset kinds.
#pragma once

#include <clocale>
#include <cstdlib>
#include <memory>
#include <string>

#include "mano/storage/store.h"
#include "mano/sync/messages.h"
#include "mano/sync/presets.h"
#include "temp_dir.h"

namespace mano::client::ui::test {

// The LC_CTYPE mano's InitLanguage sets (C.UTF-8); widths do not depend on it (utf8.h).
inline void UseUtf8Locale() {
  if (!std::setlocale(LC_CTYPE, "C.UTF-8")) std::setlocale(LC_CTYPE, "C.utf8");
}

using TempDir = mano::test::TempDir;  // tests/support/temp_dir.h

// The source tree (MANO_SOURCE_DIR, set by ctest), for the sample files.
inline std::string SourceDir() {
  const char* s = std::getenv("MANO_SOURCE_DIR");
  return s ? s : ".";
}

// Adds account "alice" (once) and an assignment of a preset kind; returns its local id.
inline int64_t AddPresetAssignment(storage::Store& store, const std::string& kind,
                                   const std::string& server_id, int64_t deadline_ms) {
  if (!store.GetAccount("alice")) {
    storage::Account acc;
    acc.name = "alice";
    acc.server_url = "http://127.0.0.1:1";
    acc.token = "t";
    acc.currency = "USD";
    store.AddAccount(acc);
  }
  sync::Assignment server;
  server.id = server_id;
  server.task = "task-" + server_id;
  server.kind = kind;
  server.deadline = deadline_ms;
  server.reward = 25000;
  server.form = sync::PresetForm(kind);
  if (kind == "bounding_boxes") {
    server.assets.push_back(sync::AssetRef{"image", std::string(64, 'a'), 1234, "image/png"});
  } else if (kind == "classification" || kind == "audio_quality" || kind == "transcription") {
    server.assets.push_back(sync::AssetRef{"clip", std::string(64, 'b'), 8044, "audio/wav"});
  }
  storage::Assignment a;
  a.account = "alice";
  a.server_id = server_id;
  a.task_id = server.task;
  a.kind = kind;
  a.title = server.form.title;
  a.payload = server.ToJson();
  a.deadline_server_ms = deadline_ms;
  a.reward_micros = server.reward;
  a.currency = "USD";
  return store.UpsertAssignment(a);
}

}  // namespace mano::client::ui::test
