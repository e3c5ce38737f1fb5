#include "revenue/exchange_rates.h"

#include <charconv>
#include <cmath>

#include "core/time_zone.h"
#include "revenue/money.h"

namespace datafast::revenue {
namespace {

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::vector<store::ExchangeRate>> ParseExchangeRates(std::string_view csv) {
  std::vector<store::ExchangeRate> rates;
  size_t number = 0;
  while (!csv.empty()) {
    size_t end = csv.find('\n');
    std::string_view line = Trimmed(csv.substr(0, end));
    csv = end == std::string_view::npos ? std::string_view() : csv.substr(end + 1);
    ++number;
    if (line.empty()) continue;
    auto bad = [&](std::string_view why) {
      return Status::InvalidArgument("line " + std::to_string(number) + ": " + std::string(why));
    };
    std::string_view fields[3];
    for (int i = 0; i < 3; ++i) {
      size_t comma = line.find(',');
      if ((comma == std::string_view::npos) != (i == 2)) return bad("expected date,currency,per_usd");
      fields[i] = Trimmed(line.substr(0, comma));
      line = comma == std::string_view::npos ? std::string_view() : line.substr(comma + 1);
    }
    if (number == 1 && fields[0] == "date") continue;  // the header
    if (!core::ParseIsoDate(fields[0])) return bad("the date must be YYYY-MM-DD");
    std::string currency = NormalizeCurrency(fields[1]);
    if (auto exponent = CurrencyExponent(currency); !exponent.ok()) return bad(exponent.status().message());
    double per_usd = 0;
    auto [rest, ec] = std::from_chars(fields[2].data(), fields[2].data() + fields[2].size(), per_usd);
    if (ec != std::errc() || rest != fields[2].data() + fields[2].size() || !std::isfinite(per_usd) || per_usd <= 0) {
      return bad("per_usd must be a positive number");
    }
    rates.push_back({std::string(fields[0]), currency, per_usd});
  }
  return rates;
}

}  // namespace datafast::revenue
