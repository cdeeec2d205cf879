#include <catch2/catch.hpp>

#include "store_fixtures.h"

using namespace mano::storage;
using mano::storage::test::Fixture;
using mano::storage::test::TestAccount;

TEST_CASE_METHOD(Fixture, "Accounts: add, get, list, update, remove", "[unit]") {
  auto alice = store.GetAccount("alice");
  REQUIRE(alice);
  CHECK(alice->token == "token-alice");
  CHECK(alice->created_ms == clock->NowMs());
  CHECK_FALSE(store.GetAccount("nobody"));

  store.AddAccount(TestAccount("bob"));
  auto all = store.ListAccounts();
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "alice");
  CHECK(all[1].name == "bob");

  Account changed = *store.GetAccount("bob");
  changed.token = "new-token";
  store.UpdateAccount(changed);
  CHECK(store.GetAccount("bob")->token == "new-token");
}

TEST_CASE_METHOD(Fixture, "Accounts: duplicates and missing accounts are typed errors", "[unit]") {
  try {
    store.AddAccount(TestAccount("alice"));
    FAIL("duplicate account accepted");
  } catch (const StoreError& e) {
    CHECK(e.kind() == StoreError::Kind::kConstraint);
    CHECK(std::string(e.what()).find(store.path()) != std::string::npos);
  }
  Account ghost = TestAccount("ghost");
  CHECK_THROWS_MATCHES(store.UpdateAccount(ghost), StoreError,
                       Catch::Predicate<StoreError>([](const StoreError& e) {
                         return e.kind() == StoreError::Kind::kNotFound;
                       }));
  CHECK_THROWS_AS(store.AddAccount(TestAccount("")), StoreError);
}
