// Shared set-up for the manod conformance tests: a ManodProcess with tasks whose policies the
// tests choose, and typed calls that parse replies with the protocol's own message types.
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "mano/sync/messages.h"
#include "mano/sync/receipt_signer.h"
#include "manod_http.h"
#include "manod_process.h"

namespace mano::test {

// One task line of the import format, with a two-field form (score 0..4 required, note text
// of at most 20 code points).
inline std::string TaskLine(const std::string& id, const std::string& kind, const std::string& late,
                            int64_t lease_ms, bool renew = false, int assignments = 1) {
  return "{\"id\":\"" + id + "\",\"kind\":\"" + kind +
         "\",\"reward\":50000,\"assignments\":" + std::to_string(assignments) +
         ",\"form\":{\"title\":\"t\",\"fields\":[{\"name\":\"score\",\"type\":\"scale\","
         "\"min\":0,\"max\":4,\"required\":true},{\"name\":\"note\",\"type\":\"text\","
         "\"max_length\":20}]},\"policy\":{\"late\":\"" +
         late + "\",\"renew_on_anchor\":" + (renew ? "true" : "false") +
         ",\"lease_ms\":" + std::to_string(lease_ms) + "}}";
}

// `count` task lines as TaskLine writes them, with ids <prefix>0, <prefix>1...
inline std::vector<std::string> TaskLines(const std::string& prefix, int count,
                                          const std::string& kind, const std::string& late,
                                          int64_t lease_ms, bool renew = false,
                                          int assignments = 1) {
  std::vector<std::string> lines;
  for (int i = 0; i < count; ++i)
    lines.push_back(TaskLine(prefix + std::to_string(i), kind, late, lease_ms, renew, assignments));
  return lines;
}

// Writes `lines` as <dir>/<name> and returns the path.
inline std::string WriteFile(const std::string& dir, const std::string& name,
                             const std::vector<std::string>& lines) {
  std::string path = dir + "/" + name;
  std::ofstream out(path, std::ios::binary);
  for (const auto& l : lines) out << l << "\n";
  return path;
}

// The protocol's own types over a real manod.
struct Client {
  Http http;
  std::string token;

  sync::ClaimReply Claim(const std::string& key, int count, const std::string& kind = {}) const {
    std::string body = "{\"key\":\"" + key + "\",\"count\":" + std::to_string(count) +
                       (kind.empty() ? "" : ",\"kinds\":[\"" + kind + "\"]") + "}";
    Reply r = http.Post("/v1/claim", token, body);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return sync::ClaimReply::FromJson(r.body);
  }
  sync::SubmitReply Submit(const std::string& body) const {
    Reply r = http.Post("/v1/submit", token, body);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return sync::SubmitReply::FromJson(r.body);
  }
  // One result {"a":id,"k":key,"v":{"score":score}}.
  sync::Receipt SubmitOne(const std::string& a, int score, const std::string& key = {}) const {
    std::string k = key.empty() ? "" : ",\"k\":\"" + key + "\"";
    auto reply = Submit("{\"results\":[{\"a\":\"" + a + "\"" + k +
                        ",\"v\":{\"score\":" + std::to_string(score) + "}}]}");
    REQUIRE(reply.receipts.size() == 1);
    return reply.receipts[0];
  }
  Reply Anchor(const std::string& a) const {
    return http.Post("/v1/anchor", token,
                     "{\"a\":\"" + a + "\",\"h\":\"00112233445566778899aabbccddeeff\"}");
  }
  Reply Return(const std::string& a) const {
    return http.Post("/v1/return", token, "{\"a\":\"" + a + "\"}");
  }
  sync::EventsReply Events(const std::string& query = {}) const {
    Reply r = http.Get("/v1/events" + query, token);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return sync::EventsReply::FromJson(r.body);
  }
};

// Claims one image task of the samples and downloads its asset whole.
struct ClaimedAsset {
  sync::AssetRef ref;
  std::string path;  // /v1/assets/<hash>
  std::string etag;  // "<hash>", quoted
  Reply full;
  explicit ClaimedAsset(const Client& alice) {
    auto claim = alice.Claim("img", 1, "bounding_boxes");
    REQUIRE(claim.assignments.size() == 1);
    ref = claim.assignments[0].assets.at(0);
    path = "/v1/assets/" + ref.hash;
    etag = "\"" + ref.hash + "\"";
    full = alice.http.Get(path, alice.token);
    REQUIRE(full.status == 200);
    CHECK(full.Header("etag") == etag);
  }
};

inline sync::ReceiptVerifier VerifierFrom(const Http& http) {
  Reply r = http.Get("/.well-known/mano/receipt-key", "");
  REQUIRE(r.status == 200);
  auto key = sync::ReceiptKey::FromJson(r.body);
  REQUIRE(key.alg == "ed25519");
  return sync::ReceiptVerifier::FromBase64(key.key);
}

inline sync::ErrorBody ErrorOf(const Reply& r) {
  INFO(r.body);
  return sync::ErrorBody::FromJson(r.body);
}

}  // namespace mano::test
