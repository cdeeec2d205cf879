// Internal to ApiService (api_service.cpp, api_submit.cpp): one request being served.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "api_service.h"
#include "mano/sync/messages.h"

namespace mano::manod {

struct ApiService::Call {
  const HttpRequest& request;
  WorkerRecord worker;  // set by Authenticate
  int64_t now = 0;      // server time of this request, one value for the whole request
  bool accept_zstd = false;
  // Uploads named by the results of this submit so far: each may serve one result only.
  mutable std::set<std::string> uploads_named;
  // Accept-Encoding excludes identity (`identity;q=0`, `*;q=0`): zstd even when it does not
  // shrink the body (when accept_zstd).
  bool identity_refused = false;
};

// The wire form of a stored lease: the task's assignment template with id and deadline.
sync::Assignment ToAssignment(const AssignmentRecord& record);

}  // namespace mano::manod
