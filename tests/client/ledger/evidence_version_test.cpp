// Evidence files written by an earlier mano keep verifying: the fixture was written by the
// mano of commit 6890c3d (before amounts were printed exactly; its summary rounds the 0.025 USD
// reward to "0.03" and the 0.005 bonus to "0.01") against a real manod, for a rejected
// assignment with a batch-signed receipt. The checker renders each version of the file as
// that version wrote it.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "mano/client/ledger/evidence.h"
#include "mano/sync/json_util.h"

using mano::client::ledger::VerifyEvidence;

namespace {

std::string Fixture(const std::string& name) {
  const char* source = std::getenv("MANO_SOURCE_DIR");
  const std::string path =
      std::string(source ? source : ".") + "/tests/client/ledger/fixtures/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr const char* kKey = "HsOCNi3XzV9Wx7hQjZtLNFcKuQh0lD6HA8IzhPwpQz8=";

}  // namespace

TEST_CASE("an evidence file from before exact amounts (no version field) still verifies") {
  const std::string json = Fixture("evidence_v1_0025usd.json");
  mano::sync::JsonDocument doc(json);
  REQUIRE_FALSE(doc.Root().Has("version"));
  const std::string summary = doc.Root().Str("summary");
  CHECK(summary.find("reward 0.03 USD") != std::string::npos);
  CHECK(summary.find("amount 0.01.") != std::string::npos);
  const auto check = VerifyEvidence(json, kKey);
  INFO(check.problem);
  CHECK(check.ok);
  CHECK(summary == Fixture("evidence_v1_0025usd.txt"));

  // Still checked: the old summary cannot be changed to read otherwise.
  std::string changed = json;
  const auto at = changed.find("reward 0.03 USD");
  REQUIRE(at != std::string::npos);
  changed.replace(at, 15, "reward 0.02 USD");
  CHECK_FALSE(VerifyEvidence(changed, kKey).ok);
}
