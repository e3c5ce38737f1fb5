#include "revenue/money.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace datafast::revenue {
namespace {

// ISO 4217 currencies whose minor unit is not the hundredth.
constexpr std::array<std::pair<std::string_view, int>, 23> kExponents = {{
    {"BHD", 3}, {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3},
    {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3}, {"PYG", 0}, {"RWF", 0},
    {"TND", 3}, {"UGX", 0}, {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
}};

constexpr int64_t kMaxMinor = int64_t{1} << 53;  // far above any real payment, and exact as a double

}  // namespace

std::string NormalizeCurrency(std::string_view currency) {
  std::string out(currency);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
  return out;
}

Result<int> CurrencyExponent(std::string_view currency) {
  std::string code = NormalizeCurrency(currency);
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Status::InvalidArgument("currency must be a three-letter ISO 4217 code, got \"" + std::string(currency) +
                                   "\"");
  }
  for (const auto& [name, exponent] : kExponents) {
    if (name == code) return exponent;
  }
  return 2;
}

Result<int64_t> MajorToMinor(std::string_view decimal, std::string_view currency) {
  auto exponent = CurrencyExponent(currency);
  if (!exponent.ok()) return exponent.status();
  std::string_view whole = decimal, fraction;
  if (size_t point = decimal.find('.'); point != std::string_view::npos) {
    whole = decimal.substr(0, point);
    fraction = decimal.substr(point + 1);
  }
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || !digits(whole) || !digits(fraction) || whole.size() > 15) {
    return Status::InvalidArgument("amount \"" + std::string(decimal) + "\" is not a plain decimal number");
  }
  // Trailing zeros beyond the minor unit ("10.500" in EUR) are harmless.
  while (fraction.size() > static_cast<size_t>(*exponent) && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.size() > static_cast<size_t>(*exponent)) {
    return Status::InvalidArgument("amount \"" + std::string(decimal) + "\" has more decimals than " +
                                   NormalizeCurrency(currency) + " has");
  }
  int64_t minor = 0;
  for (char c : whole) minor = minor * 10 + (c - '0');
  for (int i = 0; i < *exponent; ++i) {
    minor = minor * 10 + (static_cast<size_t>(i) < fraction.size() ? fraction[i] - '0' : 0);
  }
  if (minor > kMaxMinor) return Status::InvalidArgument("amount \"" + std::string(decimal) + "\" is too large");
  return minor;
}

Result<int64_t> MajorToMinor(double amount, std::string_view currency) {
  auto exponent = CurrencyExponent(currency);
  if (!exponent.ok()) return exponent.status();
  if (!std::isfinite(amount) || amount < 0) return Status::InvalidArgument("amount must be a number of at least 0");
  double scaled = amount * std::pow(10.0, *exponent);
  double minor = std::round(scaled);
  if (minor > static_cast<double>(kMaxMinor)) return Status::InvalidArgument("amount is too large");
  // Binary doubles miss decimals by far less than a hundredth of a minor
  // unit (19.99 is 1998.9999…); a real extra decimal misses by more.
  if (std::abs(scaled - minor) > 0.01) {
    return Status::InvalidArgument("amount has more decimals than " + NormalizeCurrency(currency) + " has");
  }
  return static_cast<int64_t>(minor);
}

}  // namespace datafast::revenue
