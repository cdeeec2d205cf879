// BackgroundSync: the sync engine (sync_engine.h) running on its own thread inside the UI,
// so sending, receiving events and prefetching never block a key press. The engine opens
// its own Store. The UI polls notify_fd() and reads Snapshot() to show online/offline and
// the outbox in the status line; Wake() asks for a pass after a submit.
// Thread safety: every method may be called from the UI thread while the engine runs; the
// destructor stops the engine (cutting the request in flight) and joins its thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "mano/sync/sync_engine.h"

namespace mano::client::ui {

class BackgroundSync {
 public:
  // Throws what SyncEngine's constructor throws (e.g. StoreError).
  BackgroundSync(const std::string& data_dir, sync::EngineOptions options);
  ~BackgroundSync();
  BackgroundSync(const BackgroundSync&) = delete;
  BackgroundSync& operator=(const BackgroundSync&) = delete;

  void Wake() { engine_->Wake(); }
  // Cuts the transfer in flight and stops the engine; the destructor then joins at once.
  void RequestStop() { engine_->RequestStop(); }
  sync::EngineStatus Snapshot() const { return engine_->Snapshot(); }
  int notify_fd() const { return engine_->notify_fd(); }
  // The error that ended the engine's thread, "" while it runs.
  std::string fatal_error() const;

 private:
  std::unique_ptr<sync::SyncEngine> engine_;
  mutable std::mutex mutex_;
  std::string fatal_error_;
  std::thread thread_;
};

}  // namespace mano::client::ui
