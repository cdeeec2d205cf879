#include "mano/client/ledger/money.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "ledger_fixture.h"
#include "mano/client/toml.h"

using namespace mano::client::ledger;

TEST_CASE("amounts are printed exactly, with at least the currency's minor unit") {
  CHECK(FormatAmount(0, "USD") == "0.00");
  CHECK(FormatAmount(25000, "USD") == "0.025");  // never 0.03
  CHECK(FormatAmount(24999, "USD") == "0.024999");
  CHECK(FormatAmount(1'255'000, "USD") == "1.255");
  CHECK(FormatAmount(1'250'000, "USD") == "1.25");
  CHECK(FormatAmount(-5000, "USD") == "-0.005");
  CHECK(FormatAmount(-1, "USD") == "-0.000001");
  CHECK(FormatAmount(3'000'000, "EUR") == "3.00");
  CHECK(FormatAmount(1'500'000, "JPY") == "1.5");
  CHECK(FormatAmount(2'000'000, "JPY") == "2");
  CHECK(FormatAmount(1'234'500, "KWD") == "1.2345");
  CHECK(FormatAmount(1'000'000, "KWD") == "1.000");
  CHECK(FormatAmount(INT64_MAX, "USD") == "9223372036854.775807");
  CHECK(FormatAmount(INT64_MIN, "USD") == "-9223372036854.775808");
  // A converted amount that does not end at the micro-unit is rounded there.
  CHECK(FormatExact(1, 3, 2) == "0.00");
  CHECK(FormatExact(2, 3, 2) == "0.000001");
  CHECK(FormatExact(-2, 3, 0) == "-0.000001");
  CHECK(FormatExact(-1, 3, 0) == "0");
}

TEST_CASE("derived figures are rounded once, half away from zero, to the minor unit") {
  CHECK(FormatScaled(25000, 1, 2) == "0.03");
  CHECK(FormatScaled(24999, 1, 2) == "0.02");
  CHECK(FormatScaled(-5000, 1, 2) == "-0.01");
  CHECK(FormatScaled(-4999, 1, 2) == "0.00");
  CHECK(FormatScaled(1, 3, 6) == "0.000000");
  CHECK(FormatScaled(2, 3, 6) == "0.000001");
  // Evidence files before version 2 rounded amounts so; their checker still does.
  CHECK(FormatAmountRoundedV1(25000, "USD") == "0.03");
  CHECK(FormatAmountRoundedV1(1'500'000, "JPY") == "2");
}

TEST_CASE("rates are exact decimals") {
  auto r = ParseRate("36.5");
  REQUIRE(r);
  CHECK(r->num == 365);
  CHECK(r->den == 10);
  CHECK(ParseRate("0.92")->num == 92);
  CHECK(ParseRate("1250")->den == 1);
  CHECK(ParseRate("36.50")->num == 365);
  CHECK_FALSE(ParseRate(""));
  CHECK_FALSE(ParseRate("0"));
  CHECK_FALSE(ParseRate("-3"));
  CHECK_FALSE(ParseRate("1.2.3"));
  CHECK_FALSE(ParseRate("abc"));
  CHECK_FALSE(ParseRate("."));

  LocalCurrency local{"VES", {{"USD", *ParseRate("36.5")}}};
  // 0.1 USD * 36.5 = 3.65 VES exactly (no binary floating point on the way).
  CHECK(local.Format(100'000, "USD") == "3.65");
  CHECK(local.Format(1'780'000, "USD") == "64.97");
  CHECK(local.Format(1'000'000, "VES") == "1.00");
  CHECK(local.Format(1'000'000, "EUR").empty());
  CHECK_FALSE(LocalCurrency{}.RateFor("USD"));
}

TEST_CASE("the local currency and rates come from the config's [ledger] section") {
  mano::test::LedgerFixture f;
  const std::string path = f.dir() + "/config.toml";
  std::ofstream(path) << "language = \"es\"\n[ledger]\nlocal_currency = \"VES\"\n"
                         "rate.USD = 36.5\nrate.EUR = \"39.70\"\nrate.GBP = 45\n";
  auto local = LoadLocalCurrency(path);
  CHECK(local.currency == "VES");
  CHECK(local.Format(1'000'000, "USD") == "36.50");
  CHECK(local.Format(1'000'000, "EUR") == "39.70");
  CHECK(local.Format(1'000'000, "GBP") == "45.00");
  AddRateFlag(local, "USD=40");
  CHECK(local.Format(1'000'000, "USD") == "40.00");
  CHECK_THROWS_AS(AddRateFlag(local, "USD"), mano::client::ConfigError);
  CHECK_THROWS_AS(AddRateFlag(local, "USD=-1"), mano::client::ConfigError);
  CHECK(LoadLocalCurrency(f.dir() + "/missing.toml").currency.empty());

  std::ofstream(path) << "[ledger]\nrate.USD = \"lots\"\n";
  CHECK_THROWS_AS(LoadLocalCurrency(path), mano::client::ConfigError);
}
