#include "mano/sync/answer.h"

#include <catch2/catch.hpp>

#include "bad_field.h"
#include "mano/sync/limits.h"
#include "mano/sync/sync_error.h"

using namespace mano::sync;
using mano::test::BadField;

TEST_CASE("Answer round trips every value type") {
  Answer a;
  a.Set("score", std::int64_t{3});
  a.Set("comment", std::string("caf\xc3\xa9 \"quoted\"\n"));
  a.Set("tags", std::vector<std::string>{"noise", "echo"});
  a.Set("price", 12.75);
  a.Set("boxes", std::vector<Box>{{1, 2, 3, 4, "car"}, {0, 0, 5, 5, ""}});
  Answer b = Answer::FromJson(a.ToJson());
  CHECK(a == b);
  CHECK(b.ToJson() == a.ToJson());
}

TEST_CASE("Canonical JSON sorts keys and is independent of input order and spacing") {
  Answer a = Answer::FromJson(R"({ "z" : 1, "a" : [ "x" ], "m": 2.50 })");
  CHECK(a.ToJson() == R"({"a":["x"],"m":2.5,"z":1})");
  Answer b = Answer::FromJson(R"({"m":2.5,"z":1,"a":["x"]})");
  CHECK(a.Hash() == b.Hash());
  CHECK(a.Hash().size() == 64);
  Answer c = Answer::FromJson(R"({"m":2.5,"z":2,"a":["x"]})");
  CHECK(a.Hash() != c.Hash());
}

TEST_CASE("Boxes are written with sorted short keys") {
  Answer a;
  a.Set("b", std::vector<Box>{{1, 2, 3, 4, "car"}});
  CHECK(a.ToJson() == R"({"b":[{"h":4,"l":"car","w":3,"x":1,"y":2}]})");
}

TEST_CASE("Malformed answers name the field") {
  CHECK(BadField<Answer>(R"({"score":null})") == "score");
  CHECK(BadField<Answer>(R"({"ok":true})") == "ok");
  CHECK(BadField<Answer>(R"({"o":{"x":1}})") == "o");
  CHECK(BadField<Answer>(R"({"tags":["a",1]})") == "tags[1]");
  CHECK(BadField<Answer>(R"({"b":[{"x":1,"y":2,"w":3}]})") == "b[0].h");
  CHECK(BadField<Answer>(R"({"b":[{"x":1.5,"y":2,"w":3,"h":1}]})") == "b[0].x");
  CHECK(BadField<Answer>(R"({"b":[{"x":1,"y":2,"w":3,"h":1},"s"]})") == "b[1]");
  CHECK(BadField<Answer>(R"({"bad name":1})") == "bad name");
  CHECK(BadField<Answer>(R"({"a":1,"a":2})") == "a");
  CHECK(BadField<Answer>(R"([1,2])") == "");
}

TEST_CASE("An empty array reads as an empty list") {
  Answer a = Answer::FromJson(R"({"tags":[]})");
  const auto* v = a.Get("tags");
  REQUIRE(v);
  CHECK(std::get<std::vector<std::string>>(*v).empty());
}

TEST_CASE("Integral numbers read as integers so reading is canonical") {
  Answer a = Answer::FromJson(R"({"s":2.0,"z":-0.0,"f":2.5})");
  CHECK(std::get<std::int64_t>(*a.Get("s")) == 2);
  CHECK(std::get<std::int64_t>(*a.Get("z")) == 0);
  CHECK(std::get<double>(*a.Get("f")) == 2.5);
  CHECK(Answer::FromJson(a.ToJson()) == a);
}

namespace {

// What reading `json` throws, read whole or in pieces of `piece` bytes: the two must agree.
std::string Refusal(const std::string& json, size_t piece, size_t max = kMaxUploadBytes) {
  std::string whole, pieces;
  try {
    Answer::FromJson(json, max);
  } catch (const SyncError& e) {
    whole = std::string(e.kind() == SyncErrorKind::kTooLarge ? "[too large] " : "") + e.what();
  }
  size_t at = 0;
  try {
    Answer::FromJsonPieces(
        [&] {
          std::string_view next = std::string_view(json).substr(std::min(at, json.size()), piece);
          at += piece;
          return next;
        },
        max);
  } catch (const SyncError& e) {
    pieces = std::string(e.kind() == SyncErrorKind::kTooLarge ? "[too large] " : "") + e.what();
  }
  CHECK(whole == pieces);
  return pieces;
}

}  // namespace

TEST_CASE("An answer read in pieces is the answer read whole") {
  const std::string json =
      R"({ "z" : 1, "a" : [ "x", "caf\u00e9" ], "m": 2.50, "t": "long \"text\" \ud83d\ude00",)"
      R"( "b": [{"x":1,"y":2,"w":3,"h":4,"l":"car","extra":{"n":[[1],{"q":null}]}}], "e": []})";
  const Answer whole = Answer::FromJson(json);
  CHECK(whole.ToJson() ==
        R"({"a":["x","café"],"b":[{"h":4,"l":"car","w":3,"x":1,"y":2}],"e":[],"m":2.5,)"
        R"("t":"long \"text\" 😀","z":1})");
  for (size_t piece : {1, 2, 3, 7, 64, 4096}) {
    size_t at = 0;
    const Answer pieces = Answer::FromJsonPieces(
        [&] {
          std::string_view next = std::string_view(json).substr(std::min(at, json.size()), piece);
          at += piece;
          return next;
        },
        kMaxUploadBytes);
    CHECK(pieces == whole);
  }
}

TEST_CASE("Refusals are worded the same whole and in pieces, with the path of the value") {
  for (size_t piece : {1, 5, 1000}) {
    CHECK(Refusal(R"({"tags":["a",1]})", piece) == "tags[1]: expected a string, got a number");
    CHECK(Refusal(R"({"b":[{"x":1,"y":2,"w":3}]})", piece) == "b[0].h: missing required field");
    CHECK(Refusal(R"({"b":[{"x":1,"y":2,"w":3,"h":null}]})", piece) ==
          "b[0].h: missing required field");
    CHECK(Refusal(R"({"b":[{"x":1.5,"y":2,"w":3,"h":1}]})", piece) ==
          "b[0].x: expected an integer, got a number");
    CHECK(Refusal(R"({"b":[{"x":1,"y":2,"w":3,"h":1,"l":7}]})", piece) ==
          "b[0].l: expected a string, got a number");
    CHECK(Refusal(R"({"b":[{"x":1,"y":2,"w":3,"h":1},"s"]})", piece) ==
          "b[1]: expected a box object or a string");
    CHECK(Refusal(R"({"o":{"x":1}})", piece) == "o: expected a string, a number or an array");
    CHECK(Refusal(R"({"ok":true})", piece) == "ok: expected a string, a number or an array");
    CHECK(Refusal(R"({"bad name":1})", piece) == "bad name: field name is not a valid id");
    CHECK(Refusal(R"({"a":1,"a":2})", piece) == "a: field given twice");
    CHECK(Refusal(R"([1,2])", piece) == "body: expected an object of field values");
    CHECK(Refusal(R"({"s":"\udc00"})", piece) == "s: invalid UTF-8 in string");
    CHECK(Refusal("{\"s\":\"\xff\"}", piece).rfind("body: malformed JSON at byte 6: ", 0) == 0);
    CHECK(Refusal(R"({"a":1} x)", piece).rfind("body: malformed JSON at byte 8: ", 0) == 0);
    CHECK(Refusal(std::string("{\"a\":1}\0 x", 10), piece) ==
          "body: malformed JSON at byte 7: a NUL byte");
    CHECK(Refusal(R"({"a":"four"})", piece, 8) == "[too large] body: JSON text larger than the limit");
    CHECK(Refusal(R"({"n":12345678901234567890})", piece).rfind("n: number beyond", 0) == 0);
    CHECK(Refusal(R"({"b":[{"x":1,"y":2,"w":3,"h":1e300}]})", piece).rfind("b[0].h: number", 0) ==
          0);
    // Members a box does not know are skipped, however deep, up to the nesting limit.
    const std::string deep = std::string(70, '[') + std::string(70, ']');
    CHECK(Refusal(R"({"b":[{"x":1,"y":2,"w":3,"h":1,"z":)" + deep + "}]}", piece) ==
          "body: JSON nested deeper than 64 levels");
  }
  std::string many = "{\"t\":[";
  for (size_t i = 0; i <= kMaxOptions; ++i) many += i ? ",\"v\"" : "\"v\"";
  CHECK(Refusal(many + "]}", 100) == "t: too many values");
}

TEST_CASE("Inexact numbers are their own error type, also inside a message") {
  CHECK_THROWS_AS(Answer::FromJson(R"({"n":9007199254740992})"), InexactNumber);
  JsonDocument doc(R"({"v":{"b":[{"x":1,"y":2,"w":3,"h":-9007199254740992}]}})");
  try {
    Answer::Read(doc.Root().Member("v"));
    FAIL("no error");
  } catch (const InexactNumber& e) {
    CHECK(e.field() == "v.b[0].h");
  }
  JsonDocument fine(R"({"v":{"b":[{"x":1,"y":2,"w":3,"h":4,"x":"ignored"}],"n":-0.0}})");
  const Answer a = Answer::Read(fine.Root().Member("v"));
  CHECK(a.ToJson() == R"({"b":[{"h":4,"w":3,"x":1,"y":2}],"n":0})");
}
