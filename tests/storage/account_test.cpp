#include <catch2/catch.hpp>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::TestAccount;

TEST_CASE("Accounts: add, get, list, update, remove", "[unit]") {
  Fixture f;
  Store& s = f.store;
  auto alice = s.GetAccount("alice");
  REQUIRE(alice);
  CHECK(alice->token == "token-alice");
  CHECK(alice->created_ms == f.clock->NowMs());
  CHECK_FALSE(s.GetAccount("nobody"));

  s.AddAccount(TestAccount("bob"));
  auto all = s.ListAccounts();
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "alice");
  CHECK(all[1].name == "bob");

  Account changed = *s.GetAccount("bob");
  changed.token = "new-token";
  s.UpdateAccount(changed);
  CHECK(s.GetAccount("bob")->token == "new-token");
}

TEST_CASE("Accounts: duplicates and missing accounts are typed errors", "[unit]") {
  Fixture f;
  try {
    f.store.AddAccount(TestAccount("alice"));
    FAIL("duplicate account accepted");
  } catch (const StoreError& e) {
    CHECK(e.kind() == StoreError::Kind::kConstraint);
    CHECK(std::string(e.what()).find(f.store.path()) != std::string::npos);
  }
  Account ghost = TestAccount("ghost");
  CHECK_THROWS_MATCHES(f.store.UpdateAccount(ghost), StoreError,
                       Catch::Predicate<StoreError>([](const StoreError& e) {
                         return e.kind() == StoreError::Kind::kNotFound;
                       }));
  CHECK_THROWS_AS(f.store.AddAccount(TestAccount("")), StoreError);
}
