#include "mano/client/ledger/money.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "mano/client/i18n.h"
#include "mano/client/toml.h"

namespace mano::client::ledger {
namespace {

std::string Digits(unsigned __int128 v) {
  if (v == 0) return "0";
  std::string out;
  while (v > 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return out;
}

std::optional<Rate> RateFromDouble(double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  if (ec != std::errc()) return std::nullopt;
  return ParseRate(std::string(buf, end));
}

[[noreturn]] void BadRate(const std::string& source, const std::string& key, int line) {
  throw ConfigError(
      TrFormat("{0}, line {1}: {2}",
               {source, std::to_string(line),
                TrFormat("the key '{0}' must be a positive number such as 36.5.", {key})}),
      line);
}

}  // namespace

int CurrencyDecimals(const std::string& currency) {
  static const char* const kZero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                      "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static const char* const kThree[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  for (const char* c : kZero)
    if (currency == c) return 0;
  for (const char* c : kThree)
    if (currency == c) return 3;
  return 2;
}

std::string FormatScaled(__int128 numerator, __int128 denominator, int decimals) {
  const bool negative = numerator < 0;
  unsigned __int128 n = negative ? -static_cast<unsigned __int128>(numerator) : numerator;
  unsigned __int128 d = static_cast<unsigned __int128>(denominator);
  // value in minor units = n / d / 10^(6 - decimals)
  unsigned __int128 scale = 1;
  for (int i = decimals; i < 6; ++i) scale *= 10;
  d *= scale;
  unsigned __int128 q = n / d;
  if ((n % d) * 2 >= d) ++q;  // half away from zero
  std::string digits = Digits(q);
  if (decimals > 0) {
    if (digits.size() <= static_cast<size_t>(decimals))
      digits.insert(0, static_cast<size_t>(decimals) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(decimals), 1, '.');
  }
  return (negative && q != 0 ? "-" : "") + digits;
}

std::string FormatExact(__int128 numerator, __int128 denominator, int min_decimals) {
  std::string text = FormatScaled(numerator, denominator, 6);
  const size_t dot = text.find('.');
  size_t keep = text.size();
  while (keep > dot + 1 + static_cast<size_t>(min_decimals) && text[keep - 1] == '0') --keep;
  if (keep == dot + 1) --keep;  // no decimals left: no point either
  text.resize(keep);
  if (text == "-0") text = "0";
  return text;
}

std::string FormatAmount(int64_t micros, const std::string& currency) {
  return FormatExact(micros, 1, CurrencyDecimals(currency));
}

std::string FormatAmountRoundedV1(int64_t micros, const std::string& currency) {
  return FormatScaled(micros, 1, CurrencyDecimals(currency));
}

std::optional<Rate> ParseRate(const std::string& text) {
  if (text.empty() || text.size() > 30) return std::nullopt;
  int64_t num = 0, den = 1;
  bool dot = false, digit = false;
  int decimals = 0;
  for (char c : text) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
      if (dot && ++decimals > 12) return std::nullopt;
      if (num > (INT64_MAX - 9) / 10) return std::nullopt;
      num = num * 10 + (c - '0');
      if (dot) den *= 10;
    } else {
      return std::nullopt;
    }
  }
  if (!digit || num == 0) return std::nullopt;
  // Reduce so later products stay small.
  while (den > 1 && num % 10 == 0) {
    num /= 10;
    den /= 10;
  }
  return Rate{num, den};
}

std::optional<Rate> LocalCurrency::RateFor(const std::string& from) const {
  if (currency.empty()) return std::nullopt;
  if (from == currency) return Rate{1, 1};
  auto it = rates.find(from);
  if (it == rates.end()) return std::nullopt;
  return it->second;
}

std::string LocalCurrency::Format(int64_t micros, const std::string& from) const {
  auto rate = RateFor(from);
  if (!rate) return {};
  return FormatExact(static_cast<__int128>(micros) * rate->num, rate->den,
                     CurrencyDecimals(currency));
}

LocalCurrency LoadLocalCurrency(const std::string& path) {
  LocalCurrency local;
  if (path.empty()) return local;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT || errno == ENOTDIR) return local;
    throw ConfigError(
        TrFormat("cannot read the config file {0}: {1}.", {path, std::strerror(errno)}), 0);
  }
  std::ostringstream text;
  text << in.rdbuf();
  for (const auto& [key, entry] : ParseToml(text.str(), path)) {
    if (key == "ledger.local_currency") {
      if (!entry.value.IsString()) BadRate(path, key, entry.line);
      local.currency = std::get<std::string>(entry.value.v);
    } else if (key == "ledger.rate_date") {
      if (!entry.value.IsString()) BadRate(path, key, entry.line);
      local.rate_date = std::get<std::string>(entry.value.v);
    } else if (key.rfind("ledger.rate.", 0) == 0) {
      std::optional<Rate> rate;
      if (entry.value.IsString()) rate = ParseRate(std::get<std::string>(entry.value.v));
      if (entry.value.IsInt()) rate = ParseRate(std::to_string(std::get<int64_t>(entry.value.v)));
      if (std::holds_alternative<double>(entry.value.v))
        rate = RateFromDouble(std::get<double>(entry.value.v));
      if (!rate) BadRate(path, key, entry.line);
      local.rates[key.substr(std::strlen("ledger.rate."))] = *rate;
    }
  }
  return local;
}

void AddRateFlag(LocalCurrency& local, const std::string& flag) {
  const auto eq = flag.find('=');
  std::optional<Rate> rate;
  if (eq != std::string::npos && eq > 0) rate = ParseRate(flag.substr(eq + 1));
  if (!rate)
    throw ConfigError(
        TrFormat("--rate expects CURRENCY=RATE, such as USD=36.5 (not '{0}').", {flag}), 0);
  local.rates[flag.substr(0, eq)] = *rate;
}

}  // namespace mano::client::ledger
