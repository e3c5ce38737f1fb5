// Amounts of money as integers: minor units (cents) per ISO 4217, parsed
// from the decimal text or JSON numbers that providers and sites send, with
// no binary floating point in between where the text is at hand.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace datafast::revenue {

// The digits after the decimal point in `currency`'s minor unit: 2 for EUR,
// 0 for JPY, 3 for KWD. kInvalidArgument for a code that is not three
// letters; a well-formed code not in ISO 4217's list counts as 2.
Result<int> CurrencyExponent(std::string_view currency);

// "19.99" in EUR -> 1999; "1000" in JPY -> 1000. Refuses more fractional
// digits than the currency has, signs, exponents and anything but digits and
// one point.
Result<int64_t> MajorToMinor(std::string_view decimal, std::string_view currency);
// The same for a JSON number, rounded to the nearest minor unit; an amount
// with more decimals than the currency has is refused.
Result<int64_t> MajorToMinor(double amount, std::string_view currency);

// Upper case, for codes that arrive as "usd".
std::string NormalizeCurrency(std::string_view currency);

}  // namespace datafast::revenue
