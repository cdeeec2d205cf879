#include "mano/sync/answer.h"

#include <catch2/catch.hpp>

#include "bad_field.h"
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
