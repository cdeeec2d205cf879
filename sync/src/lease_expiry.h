// LeaseExpiry: open assignments (claimed, in progress) whose deadline, in server time, has
// passed become kExpired; the work stays. Needs no network. Internal to the engine.
#pragma once

#include "pass_context.h"

namespace mano::sync {

class LeaseExpiry {
 public:
  explicit LeaseExpiry(const PassContext& pass) : pass_(pass) {}
  void ExpireOverdue();

 private:
  const PassContext& pass_;
};

}  // namespace mano::sync
