// A task's currency from import to the worker: claims, payment and bonus events and GET /v1/me
// report each task's own currency, totals are kept per currency and never added across them,
// and a database from before the currency columns keeps working (its events take their
// task's currency).
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "manod_fixture.h"

using namespace mano::test;

namespace {

std::string PricedTask(const std::string& id, int64_t reward, const std::string& currency) {
  return "{\"id\":\"" + id + "\",\"kind\":\"k\",\"reward\":" + std::to_string(reward) +
         ",\"currency\":\"" + currency +
         "\",\"form\":{\"title\":\"t\",\"fields\":[{\"name\":\"score\",\"type\":\"scale\","
         "\"min\":0,\"max\":4,\"required\":true}]}}";
}

struct TwoCurrencies {
  static ManodProcess::Options Options() {
    ManodProcess::Options o;
    o.imports.clear();
    o.start = false;
    return o;
  }
  ManodProcess server{Options()};
  Client alice, bob;
  std::map<std::string, std::string> by_currency;  // currency -> alice's assignment id

  TwoCurrencies() : alice{Http(""), ""}, bob{Http(""), ""} {
    std::string file = WriteFile(server.dir(), "tasks.jsonl",
                                 {PricedTask("u1", 50000, "USD"), PricedTask("e1", 40000, "EUR")});
    server.Import(file);
    server.Start();
    alice = Client{Http(server.url()), server.Token("alice")};
    bob = Client{Http(server.url()), server.Token("bob")};
    auto claim = alice.Claim("c", 2);
    REQUIRE(claim.assignments.size() == 2);
    for (const auto& a : claim.assignments) {
      by_currency[a.currency] = a.id;
      CHECK(alice.SubmitOne(a.id, 3).status == mano::sync::ReceiptStatus::kAccepted);
    }
    REQUIRE(by_currency.size() == 2);
    Review({"--approve", by_currency["USD"], "--approve", by_currency["EUR"]});
    Review({"--bonus", by_currency["EUR"], "--amount", "0.25", "--reason", "careful"});
  }

  void Review(std::vector<std::string> args) {
    args.insert(args.begin(), {"review", "--db", server.db()});
    std::string out, err;
    int status = server.Run(args, &out, &err);
    INFO(out << err);
    REQUIRE(status == 0);
  }

  // The money events alice sees: "type currency amount a", in order.
  std::vector<std::string> Money() const {
    std::vector<std::string> out;
    for (const auto& e : alice.Events().events) {
      if (e.amount == 0) continue;
      out.push_back(std::string(mano::sync::EventTypeName(e.type)) + " " + e.currency + " " +
                    std::to_string(e.amount) + " " + e.assignment_id);
    }
    return out;
  }

  void CheckEverything() {
    std::vector<std::string> want = {"payment USD 50000 " + by_currency["USD"],
                                     "payment EUR 40000 " + by_currency["EUR"],
                                     "bonus EUR 250000 " + by_currency["EUR"]};
    CHECK(Money() == want);
    Reply r = alice.http.Get("/v1/me", alice.token);
    REQUIRE(r.status == 200);
    INFO(r.body);
    auto me = mano::sync::MeReply::FromJson(r.body);
    CHECK(me.currency == "EUR");  // the latest money event's
    REQUIRE(me.totals.size() == 2);
    CHECK(me.totals[0].currency == "EUR");
    CHECK(me.totals[0].paid == 40000);
    CHECK(me.totals[0].bonus == 250000);
    CHECK(me.totals[1].currency == "USD");
    CHECK(me.totals[1].paid == 50000);
    CHECK(me.totals[1].bonus == 0);
  }
};

}  // namespace

TEST_CASE("payments, bonuses and /v1/me carry each task's own currency, totals per currency") {
  TwoCurrencies s;
  s.CheckEverything();
  // Bob was paid nothing: no totals; his currency is the last imported task's.
  auto me = mano::sync::MeReply::FromJson(s.bob.http.Get("/v1/me", s.bob.token).body);
  CHECK(me.totals.empty());
  CHECK(me.currency == "EUR");
}

TEST_CASE("a database from before the currency columns is migrated on open") {
  TwoCurrencies s;
  s.server.Stop();
  {
    // The schema as it was: no currency on tasks or events.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(s.server.db().c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
                       "ALTER TABLE events DROP COLUMN currency;"
                       "ALTER TABLE tasks DROP COLUMN currency;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  s.server.Start();
  s.CheckEverything();
}

TEST_CASE("an import with a currency that is not a three-letter code names the line") {
  ManodProcess::Options o;
  o.imports.clear();
  o.start = false;
  ManodProcess server(o);
  std::string file = WriteFile(server.dir(), "tasks.jsonl",
                               {PricedTask("u1", 50000, "USD"), PricedTask("e1", 40000, "euro")});
  std::string out, err;
  CHECK(server.Run({"import", "--db", server.db(), file}, &out, &err) != 0);
  CHECK(err.find("tasks.jsonl line 2: currency: must be a three-letter code") != std::string::npos);
}
