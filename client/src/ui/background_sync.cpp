#include "mano/client/ui/background_sync.h"

namespace mano::client::ui {

BackgroundSync::BackgroundSync(const std::string& data_dir, sync::EngineOptions options)
    : engine_(std::make_unique<sync::SyncEngine>(data_dir, std::move(options))) {
  thread_ = std::thread([this] {
    try {
      engine_->Watch();
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      fatal_error_ = e.what();
    }
  });
}

BackgroundSync::~BackgroundSync() {
  engine_->RequestStop();
  if (thread_.joinable()) thread_.join();
}

std::string BackgroundSync::fatal_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fatal_error_;
}

}  // namespace mano::client::ui
