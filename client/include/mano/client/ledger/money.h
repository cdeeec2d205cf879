// Money: amounts are int64 micro-units of a currency (1.25 USD = 1'250'000), summed exactly
// and printed exactly by FormatAmount, the one function every view of an amount uses (`mano
// list`, show, the ledger, its exports, the rejection list, the evidence summary, the UI): at
// least the currency's minor unit of digits, and more when the amount has them, so a
// 0.025 USD reward reads 0.025, never 0.03. Figures derived by division (an hourly wage, a
// percentage) are rounded once, when shown, half away from zero (FormatScaled). Exchange
// rates are exact decimals held as a fraction (36.5 = 365/10); a converted amount is exact to
// the micro-unit. No floating point touches money.
// Thread-safe: pure functions and value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace mano::client::ledger {

// Digits after the decimal point for `currency` (ISO 4217): 2 for most, 0 for JPY, KRW,
// CLP..., 3 for BHD, KWD, JOD, OMR, TND...
int CurrencyDecimals(const std::string& currency);

// The exact value numerator / denominator micro-units, rounded half away from zero to
// `decimals` digits: FormatScaled(1'255'000, 1, 2) = "1.26"; "-0.50"; "3.00".
// Precondition: denominator > 0.
std::string FormatScaled(__int128 numerator, __int128 denominator, int decimals);

// The exact value numerator / denominator micro-units (rounded half away from zero to the
// micro-unit only when the division does not end there), with at least `min_decimals`
// digits after the point and trailing zeros beyond them dropped: (25'000, 1, 2) = "0.025";
// (3'000'000, 1, 2) = "3.00"; (1'500'000, 1, 0) = "1.5". Precondition: denominator > 0.
std::string FormatExact(__int128 numerator, __int128 denominator, int min_decimals);

// An amount, exactly: FormatExact(micros, 1, CurrencyDecimals(currency)).
std::string FormatAmount(int64_t micros, const std::string& currency);

// How evidence files before version 2 printed an amount (rounded to the minor unit); kept so
// the checker renders an old file's summary as it was written.
std::string FormatAmountRoundedV1(int64_t micros, const std::string& currency);

// An exact positive decimal rate: 1 unit of `from` = num/den units of the local currency.
struct Rate {
  int64_t num = 1;
  int64_t den = 1;
};

// Parses "36.5", "0.92", "1250" (digits with at most one '.', up to 12 decimals).
// nullopt when malformed, zero or negative.
std::optional<Rate> ParseRate(const std::string& text);

// The worker's choice of a local currency. From config.toml:
//   [ledger]
//   local_currency = "VES"
//   rate.USD = 36.5          # 1 USD = 36.5 VES
//   rate.EUR = "39.7"        # a string keeps the exact digits too
// (flags --local-currency / --rate USD=36.5 take precedence).
struct LocalCurrency {
  std::string currency;               // "" = none
  std::map<std::string, Rate> rates;  // by account currency
  std::string rate_date;              // when the rates were taken ([ledger] rate_date), "" = unsaid
  // The rate for `from` (1 when from == currency); nullopt when unknown or no currency set.
  std::optional<Rate> RateFor(const std::string& from) const;
  // micros of `from` shown in the local currency (exact to the micro-unit, at least the
  // local currency's minor unit of digits), or "" when the rate is unknown.
  std::string Format(int64_t micros, const std::string& from) const;
};

// Reads the [ledger] keys from the config file at `path` ("" or missing file = none).
// Throws ConfigError (toml.h) naming the file and line for a malformed value.
LocalCurrency LoadLocalCurrency(const std::string& path);
// Applies a flag "USD=36.5" on top; throws ConfigError when malformed.
void AddRateFlag(LocalCurrency& local, const std::string& flag);

}  // namespace mano::client::ledger
