#include "mano/sync/task_spec.h"

#include <catch2/catch.hpp>

#include "bad_field.h"
#include "mano/sync/sync_error.h"

using namespace mano::sync;
using mano::test::BadField;

namespace {

const char* kForm =
    R"({"fields":[{"name":"score","type":"scale","min":0,"max":4,"required":true}]})";

}  // namespace

TEST_CASE("A task line reads with defaults") {
  TaskSpec t = TaskSpec::FromJson(std::string(R"({"kind":"relevance","form":)") + kForm +
                                  R"(,"reward":25000})");
  CHECK(t.kind == "relevance");
  CHECK(t.reward == 25000);
  CHECK(t.currency == "USD");
  CHECK(t.assignments == 1);
  CHECK(t.policy.late == LatePolicy::kRefuse);
  CHECK(t.policy.lease_ms == 3600000);
  CHECK(TaskSpec::FromJson(t.ToJson()).ToJson() == t.ToJson());
}

TEST_CASE("Assets come inline or by relative path") {
  TaskSpec t = TaskSpec::FromJson(
      R"({"kind":"b","form":{"fields":[{"name":"b","type":"boxes","asset":"img","width":4,"height":4}]},
          "assets":[{"name":"img","type":"image/png","data":"aGVsbG8="},
                    {"name":"clip","type":"audio/wav","path":"assets/a.wav"}]})");
  REQUIRE(t.assets.size() == 2);
  CHECK(t.assets[0].data == "hello");
  CHECK(t.assets[1].path == "assets/a.wav");
  CHECK(TaskSpec::FromJson(t.ToJson()).assets[0].data == "hello");
}

TEST_CASE("Bad task lines name the member") {
  CHECK(BadField<TaskSpec>(std::string(R"({"form":)") + kForm + "}") == "kind");
  CHECK(BadField<TaskSpec>(R"({"kind":"k","form":{"fields":[{"name":"s","type":"scale"}]}})") ==
        "form.fields[0]");
  CHECK(BadField<TaskSpec>(std::string(R"({"kind":"k","form":)") + kForm +
                           R"(,"assets":[{"name":"a","path":"x","data":"eA=="}]})") == "assets[0]");
  CHECK(BadField<TaskSpec>(std::string(R"({"kind":"k","form":)") + kForm +
                           R"(,"assets":[{"name":"a","path":"../etc/passwd"}]})") ==
        "assets[0].path");
  CHECK(BadField<TaskSpec>(std::string(R"({"kind":"k","form":)") + kForm +
                           R"(,"assets":[{"name":"a","path":"/etc/passwd"}]})") ==
        "assets[0].path");
  CHECK(BadField<TaskSpec>(std::string(R"({"kind":"k","form":)") + kForm +
                           R"(,"assets":[{"name":"a","data":"@@"}]})") == "assets[0].data");
  CHECK(
      BadField<TaskSpec>(
          R"({"kind":"b","form":{"fields":[{"name":"b","type":"boxes","asset":"img","width":4,"height":4}]}})") ==
      "form.fields[0].asset");
  CHECK(BadField<TaskSpec>(std::string(R"({"kind":"k","form":)") + kForm +
                           R"(,"assignments":0})") == "assignments");
  CHECK(BadField<TaskSpec>(std::string(R"({"kind":"k","form":)") + kForm + R"(,"reward":-1})") ==
        "reward");
  CHECK(BadField<TaskSpec>(std::string(R"({"kind":"k","form":)") + kForm +
                           R"(,"policy":{"late":"sometimes"}})") == "policy.late");
}

TEST_CASE("ExpandTemplate escapes values for JSON strings") {
  std::string out = ExpandTemplate(R"({"q":"${query}","u":"${url}"})",
                                   {{"query", "say \"hi\"\n\\"}, {"url", "https://x/?a=1"}});
  CHECK(out == R"({"q":"say \"hi\"\n\\","u":"https://x/?a=1"})");
  CHECK_THROWS_AS(ExpandTemplate(R"({"q":"${missing}"})", {}), SyncError);
  CHECK_THROWS_AS(ExpandTemplate(R"({"q":"${open")", {{"open", "x"}}), SyncError);
  CHECK(ExpandTemplate("no placeholders", {}) == "no placeholders");
}
