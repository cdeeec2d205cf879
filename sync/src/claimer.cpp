#include "claimer.h"

#include <algorithm>

#include "mano/sync/crypto_util.h"
#include "mano/sync/limits.h"

namespace mano::sync {

using storage::AssignmentState;

namespace {

// An idempotency key for a claim: 16 bytes from the system's CSPRNG (libsodium, like tokens),
// base64url (22 chars, a valid id).
std::string NewClaimKey() { return "c" + Base64UrlEncode(RandomBytes(16)); }

}  // namespace

std::vector<int64_t> Claimer::OpenIds() const {
  std::vector<int64_t> ids;
  pass_.store.ForEachAssignmentSummary(
      pass_.LeanListing({AssignmentState::kClaimed, AssignmentState::kInProgress}),
      [&ids](const storage::AssignmentSummary& a) { ids.push_back(a.id); });
  return ids;
}

std::optional<ClaimRequest> Claimer::Wanted(int64_t room) {
  const auto& wants = pass_.options.want;
  auto want = wants.find(pass_.account.name);
  if (want == wants.end()) want = wants.find("");
  const storage::SyncState state = pass_.store.GetSyncState(pass_.account.name);
  const int open = static_cast<int>(OpenIds().size());
  const int need = want == wants.end() ? 0 : want->second.count - open;
  if (state.pending_claim_key.empty() && need <= 0) return std::nullopt;
  const int count = std::max(need, 1);
  if (room < kCostEstimate * count) {
    pass_.report.budget_limited = true;
    return std::nullopt;
  }
  return Begin(count, want == wants.end() ? std::vector<std::string>{} : want->second.kinds);
}

ClaimRequest Claimer::Begin(int count, const std::vector<std::string>& kinds) {
  ClaimRequest request;
  // Durable before the request goes out; a key left by a lost reply is reused.
  request.key = pass_.store.BeginClaim(pass_.account.name, NewClaimKey());
  request.count = std::clamp<int64_t>(count, 1, kMaxClaimCount);
  request.kinds = kinds;
  return request;
}

std::vector<int64_t> Claimer::Apply(const ClaimRequest& request, const ClaimReply& reply) {
  storage::Store& store = pass_.store;
  pass_.Contact(reply.server_time);
  const int64_t now = store.clock().NowMs();
  std::vector<storage::Assignment> claimed;
  claimed.reserve(reply.assignments.size());
  for (const Assignment& server : reply.assignments) {
    storage::Assignment& local = claimed.emplace_back();
    local.account = pass_.account.name;
    local.server_id = server.id;
    local.task_id = server.task;
    local.kind = server.kind;
    local.payload = server.ToJson();
    local.title = server.form.title;
    JsonOut assets;
    assets.StartArray();
    for (const AssetRef& ref : server.assets) ref.Write(assets);
    assets.EndArray();
    local.assets = assets.Take();
    local.deadline_server_ms = server.deadline;
    local.reward_micros = server.reward;
    local.currency = server.currency;
    local.claimed_at_ms = now;
  }
  // All or nothing: a failure (full disk, kill) leaves the key pending and no assignment, so
  // the next claim replays the key and gets the same assignments back.
  std::vector<int64_t> ids = store.StoreClaim(pass_.account.name, request.key, claimed);
  pass_.report.claimed += static_cast<int>(ids.size());
  return ids;
}

std::vector<int64_t> Claimer::ClaimNow(int count, const std::vector<std::string>& kinds) {
  const ClaimRequest request = Begin(count, kinds);
  pass_.progress.Report("claim", 0, request.count);
  return Apply(request, pass_.api.Claim(request));
}

}  // namespace mano::sync
