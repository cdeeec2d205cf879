#include "mano/sync/json_util.h"

#include <catch2/catch.hpp>

#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"

using namespace mano::sync;

namespace {

// Runs `fn` and returns the SyncError it throws (fails the test when it does not throw).
template <class Fn>
SyncError Thrown(Fn fn) {
  try {
    fn();
  } catch (const SyncError& e) {
    return e;
  }
  FAIL("no SyncError thrown");
  throw;
}

}  // namespace

TEST_CASE("JsonIn names the path of a wrong type") {
  JsonDocument doc(R"({"a":{"b":[1,"x"]}})");
  JsonIn root = doc.Root();
  CHECK(root.Member("a").Member("b").At(0).Int() == 1);
  SyncError e = Thrown([&] { root.Member("a").Member("b").At(1).Int(); });
  CHECK(e.kind() == SyncErrorKind::kBadMessage);
  CHECK(e.field() == "a.b[1]");
  CHECK(std::string(e.what()).find("a.b[1]") != std::string::npos);
}

TEST_CASE("JsonIn refuses missing members and treats null as absent") {
  JsonDocument doc(R"({"x":null,"n":1.5})");
  CHECK(Thrown([&] { doc.Root().Member("x"); }).field() == "x");
  CHECK(Thrown([&] { doc.Root().Member("y"); }).field() == "y");
  CHECK_FALSE(doc.Root().OptMember("x").has_value());
  CHECK(Thrown([&] { doc.Root().IntOf("n"); }).field() == "n");  // 1.5 is not an integer
  CHECK(doc.Root().Member("n").Number() == 1.5);
  CHECK(Thrown([&] { doc.Root().Member("n").At(0); }).field() == "n");
}

TEST_CASE("JsonDocument refuses syntax errors, trailing garbage and invalid UTF-8") {
  CHECK(Thrown([] { JsonDocument d(R"({"a":1)"); }).kind() == SyncErrorKind::kBadMessage);
  CHECK(Thrown([] { JsonDocument d(R"({"a":1} x)"); }).kind() == SyncErrorKind::kBadMessage);
  CHECK(Thrown([] { JsonDocument d(""); }).kind() == SyncErrorKind::kBadMessage);
  CHECK(Thrown([] { JsonDocument d("{\"a\":\"\xff\"}"); }).kind() == SyncErrorKind::kBadMessage);
  CHECK(Thrown([] { JsonDocument d(R"({"a":NaN})"); }).kind() == SyncErrorKind::kBadMessage);
}

TEST_CASE("A lone surrogate escape is refused when read as a string") {
  JsonDocument doc(R"({"s":"\udc00"})");
  CHECK(Thrown([&] { doc.Root().Str("s"); }).field() == "s");
}

TEST_CASE("Deep nesting does not overflow the stack") {
  std::string deep(200000, '[');
  deep += std::string(200000, ']');
  CHECK(Thrown([&] { JsonDocument doc(deep); }).kind() == SyncErrorKind::kBadMessage);
}

TEST_CASE("Ids are 1 to 64 characters of a small alphabet") {
  CHECK(IsValidId("a1b:1"));
  CHECK(IsValidId(std::string(64, 'x')));
  CHECK_FALSE(IsValidId(std::string(65, 'x')));
  CHECK_FALSE(IsValidId(""));
  CHECK_FALSE(IsValidId("a b"));
  CHECK_FALSE(IsValidId("a\nb"));
  JsonDocument doc(R"({"a":"x/y"})");
  CHECK(Thrown([&] { doc.Root().IdOf("a"); }).field() == "a");
}

TEST_CASE("UTF-8 validation and code point counting") {
  CHECK(IsValidUtf8("plain"));
  CHECK(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK(CodePointCount("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == 8);
  CHECK_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  CHECK_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
  CHECK_FALSE(IsValidUtf8("\x80"));
}

TEST_CASE("JsonOut writes canonical numbers") {
  JsonOut out;
  out.StartArray();
  out.Number(3.0);
  out.Number(0.1);
  out.Number(-2.5);
  out.Number(1e300);
  out.EndArray();
  CHECK(out.Take() == "[3,0.1,-2.5,1e+300]");
}

TEST_CASE("JsonOut::Object leaves out an OmitDefault member that holds its default") {
  const std::string none, text = "x";
  const std::vector<std::string> no_list, list = {"a", "b"};
  const std::optional<double> no_number, number = 1.5;
  JsonOut empty;
  empty.Object("s", OmitDefault(none), "l", OmitDefault(no_list), "i", OmitDefault(std::int64_t{0}),
               "b", OmitDefault(false), "d", no_number);
  CHECK(empty.Take() == "{}");
  JsonOut full;
  full.Object("s", OmitDefault(text), "l", OmitDefault(list), "i", OmitDefault(std::int64_t{-3}),
              "b", OmitDefault(true), "d", number, "e", std::vector<std::string>{});
  CHECK(full.Take() == R"({"s":"x","l":["a","b"],"i":-3,"b":true,"d":1.5,"e":[]})");
}

TEST_CASE("JSON nested deeper than the limit is refused before parsing") {
  auto nest = [](size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  CHECK_FALSE(JsonNestedDeeperThan(nest(kMaxJsonDepth), kMaxJsonDepth));
  CHECK(JsonNestedDeeperThan(nest(kMaxJsonDepth + 1), kMaxJsonDepth));
  // Brackets inside strings, escaped quotes included, do not count.
  CHECK_FALSE(JsonNestedDeeperThan(R"({"a":"[[[[\"[[[[","b":[{}]})", 3));
  CHECK(JsonNestedDeeperThan(R"({"a":"\\","b":[[{}]]})", 3));
  // Objects count like arrays; closing brackets bring the depth down again.
  CHECK_FALSE(JsonNestedDeeperThan(R"({"a":{"b":{}},"c":{"d":{}}})", 3));
  CHECK(JsonNestedDeeperThan(R"({"a":{"b":{"c":{}}}})", 3));
  JsonDocument ok(nest(kMaxJsonDepth));
  // A million levels (the attack on manod): refused at once, naming the limit.
  SyncError e = Thrown([&] { JsonDocument doc(nest(1000000)); });
  CHECK(e.kind() == SyncErrorKind::kBadMessage);
  CHECK(std::string(e.what()).find(std::to_string(kMaxJsonDepth)) != std::string::npos);
}

TEST_CASE("ToValidUtf8 replaces the bytes that are not UTF-8 and keeps the rest") {
  CHECK(ToValidUtf8("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(ToValidUtf8("/v1\x9b/claim") == "/v1\xef\xbf\xbd/claim");
  CHECK(ToValidUtf8("a\xc3") == "a\xef\xbf\xbd");
  CHECK(ToValidUtf8("\xed\xa0\x80x") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx");
  CHECK(IsValidUtf8(ToValidUtf8("\xff\xfe\xf0\x9f\x98")));
}
