// Pieces shared by the hostile manod-compatible peers of the tests (RawHttpPeer handlers
// that speak the protocol, so they can say what manod never would): JSON replies, the
// login exchange, and a plain assignment to build a claim reply from. Header-only.
#pragma once

#include <optional>
#include <string>

#include "mano/sync/messages.h"
#include "mano/sync/presets.h"
#include "mano/sync/receipt_signer.h"
#include "raw_http_peer.h"

namespace mano::test {

constexpr int64_t kPeerServerTime = 1'790'000'000'000;

inline RawHttpPeer::Reply JsonReply(int status, const std::string& body,
                                    const std::string& extra_headers = "") {
  return {RawHttpPeer::Http(status, "Content-Type: application/json\r\n" + extra_headers, body)};
}

// The replies `mano login` needs (receipt key, /v1/me) from a server signing with `signer`;
// nullopt for any other request line.
inline std::optional<RawHttpPeer::Reply> LoginReply(const std::string& line,
                                                    const sync::ReceiptSigner& signer) {
  if (line.find("/.well-known/mano/receipt-key") != std::string::npos)
    return JsonReply(200, signer.ToReceiptKey().ToJson());
  if (line.find("/v1/me") != std::string::npos)
    return JsonReply(200, sync::MeReply{"w", "USD", kPeerServerTime}.ToJson());
  return std::nullopt;
}

// A relevance assignment with server id `id`, due in an hour, paying 0.025 USD.
inline sync::Assignment PeerAssignment(const std::string& id) {
  sync::Assignment a;
  a.id = id;
  a.task = "t" + id;
  a.kind = "relevance";
  a.deadline = kPeerServerTime + 3'600'000;
  a.reward = 25000;
  a.form = sync::PresetForm("relevance");
  return a;
}

}  // namespace mano::test
