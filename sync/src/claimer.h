// Claimer: claims (docs/PROTOCOL.md, POST /v1/claim), exactly once across cuts and
// crashes: the claim key is stored before any request carries it, reused while no reply was
// stored, and cleared in the same transaction that stores the claimed assignments (all of them
// or none: Store::StoreClaim). The request
// goes alone (ClaimNow) or inside a sync request (Begin, then Apply with the reply).
// Internal to the engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pass_context.h"

namespace mano::sync {

class Claimer {
 public:
  explicit Claimer(const PassContext& pass) : pass_(pass) {}

  // Bytes a claimed assignment is expected to cost on the wire (for the data budget).
  static constexpr int64_t kCostEstimate = 4096;

  // How many prefetch wants claimed now, within `room` bytes: nullopt when nothing is
  // wanted and no claim is pending; sets report.budget_limited when the room is too small.
  std::optional<ClaimRequest> Wanted(int64_t room);
  // The request for `count` (reusing a stored key left by a cut or crash), its key stored.
  ClaimRequest Begin(int count, const std::vector<std::string>& kinds);
  // Stores the claimed assignments and clears the key, in one transaction. Returns local ids.
  std::vector<int64_t> Apply(const ClaimRequest& request, const ClaimReply& reply);
  // Begin, POST /v1/claim, Apply.
  std::vector<int64_t> ClaimNow(int count, const std::vector<std::string>& kinds);
  // Ids of the open (claimed, in progress) assignments, from the lean listing.
  std::vector<int64_t> OpenIds() const;

 private:
  const PassContext& pass_;
};

}  // namespace mano::sync
