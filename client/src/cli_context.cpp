#include "mano/client/cli_context.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <ostream>

#include "mano/client/exit_code.h"
#include "mano/client/i18n.h"
#include "mano/client/open_notice.h"

namespace mano::client {

storage::Store CliContext::OpenStore() const {
  storage::Store store = storage::Store::Open(data_dir);
  if (err) {
    for (const auto& notice : OpenNotices(store.report())) *err << "mano: " << notice << "\n";
  }
  return store;
}

sync::EngineOptions CliContext::EngineOptionsFor(sync::ProgressSink* progress) const {
  sync::EngineOptions options;
  options.transport.ca_file = config.ca_file;
  options.transport.allow_insecure_http = config.allow_insecure_http;
  options.budget.daily_bytes = config.budget_daily_mb * 1024 * 1024;
  options.budget.monthly_bytes = config.budget_monthly_mb * 1024 * 1024;
  auto mib = [](int64_t mb) { return std::min<int64_t>(mb, INT64_MAX >> 20) << 20; };
  options.assets.task_bytes = mib(config.asset_task_max_mb);
  options.assets.folder_bytes = mib(config.asset_folder_max_mb);
  options.assets.disk_reserve_bytes = mib(config.disk_reserve_mb);
  options.want[""] = sync::QueueWant{config.keep_claimed, config.kinds};
  options.progress = progress;
  return options;
}

storage::Assignment FindAssignmentOrThrow(storage::Store& store, const std::string& id_text) {
  char* end = nullptr;
  long long id = std::strtoll(id_text.c_str(), &end, 10);
  if (!id_text.empty() && *end == '\0' && id > 0) {
    if (auto a = store.GetAssignment(id)) return *a;
  }
  throw CliError(ExitCode::kUsage,
                 TrFormat("There is no assignment '{0}' (see mano list).", {id_text}));
}

sync::Answer DraftOf(storage::Store& store, int64_t assignment_id) {
  auto latest = store.LatestCheckpoint(assignment_id);
  if (!latest || latest->content.empty()) return {};
  // A draft is read whatever its size: it may be over what a result may carry (64 MiB), and
  // the worker must be able to see and shorten it.
  return sync::Answer::FromJson(latest->content, latest->content.size());
}

int64_t DraftVersion(storage::Store& store, int64_t assignment_id) {
  auto latest = store.LatestCheckpoint(assignment_id);
  return latest ? latest->version : 0;
}

std::optional<int64_t> RemainingMs(storage::Store& store, const storage::Assignment& a) {
  auto now = store.ServerNow(a.account);
  if (!now) return std::nullopt;
  return a.deadline_server_ms - *now;
}

bool IsEditable(storage::AssignmentState state) {
  using S = storage::AssignmentState;
  return state == S::kClaimed || state == S::kInProgress || state == S::kExpired;
}

}  // namespace mano::client
