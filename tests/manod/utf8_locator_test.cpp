#include "utf8_locator.h"

#include <catch2/catch.hpp>

#include "mano/sync/limits.h"

using mano::manod::LocateInvalidUtf8;

TEST_CASE("the locator names the first invalid string by its path") {
  CHECK(LocateInvalidUtf8(R"({"a":"ok","b":[1,"ok"]})") == std::nullopt);
  CHECK(LocateInvalidUtf8("{\"a\":\"ok\",\"b\":[1,\"x\xff\"]}") == "b[1]");
  CHECK(LocateInvalidUtf8("{\"results\":[{\"a\":\"1\",\"v\":{\"note\":\"bad \xff\xfe\"}}]}") ==
        "results[0].v.note");
  // The first one in document order, members before later members.
  CHECK(LocateInvalidUtf8("{\"a\":{\"x\":[\"\xc3\"]},\"b\":\"\xff\"}") == "a.x[0]");
  CHECK(LocateInvalidUtf8("[[],[\"ok\",[\"\xed\xa0\x80\"]]]") == "[1][1][0]");
  // A string at the root has the empty path.
  CHECK(LocateInvalidUtf8("\"\xff\"") == "");
}

TEST_CASE("an invalid member name is reported at its object") {
  CHECK(LocateInvalidUtf8("{\"a\":{\"ok\":1,\"\xff\":2}}") == "a");
  CHECK(LocateInvalidUtf8("{\"\xff\":1}") == "(member name)");
}

TEST_CASE("the locator gives nothing for bodies it cannot or need not walk") {
  CHECK(LocateInvalidUtf8("") == std::nullopt);
  CHECK(LocateInvalidUtf8("{\"a\":") == std::nullopt);
  CHECK(LocateInvalidUtf8("42") == std::nullopt);
  const size_t limit = mano::sync::kMaxJsonDepth;
  std::string deepest = std::string(limit, '[') + "\"\xff\"" + std::string(limit, ']');
  std::string path;
  for (size_t i = 0; i < limit; ++i) path += "[0]";
  CHECK(LocateInvalidUtf8(deepest) == path);
  std::string deeper = "[" + deepest + "]";
  CHECK(LocateInvalidUtf8(deeper) == std::nullopt);
}

// The regression: the walk copied a growing path at every level, so 400,000 levels took 16 s
// and two million over 13 minutes. Now a deep body is not walked, and a wide one is walked in
// one pass: this test would not finish in its ctest timeout on the old code.
TEST_CASE("the locator is linear: deep and wide bodies return at once") {
  std::string deep = std::string(2000000, '[') + std::string(2000000, ']');
  CHECK(LocateInvalidUtf8(deep) == std::nullopt);
  // Wide and as deep as allowed: 60 levels of objects with 20,000 members at the bottom.
  std::string wide;
  for (int i = 0; i < 60; ++i) wide += "{\"level\":";
  wide += "[";
  for (int i = 0; i < 20000; ++i) wide += "\"ok\",";
  wide += "\"\xff\"]";
  for (int i = 0; i < 60; ++i) wide += "}";
  std::string expected;
  for (int i = 0; i < 60; ++i) expected += i ? ".level" : "level";
  CHECK(LocateInvalidUtf8(wide) == expected + "[20000]");
}
