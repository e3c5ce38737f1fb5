#include "revenue/money.h"

#include <gtest/gtest.h>

namespace datafast::revenue {
namespace {

TEST(Money, DecimalTextBecomesMinorUnitsOfEachCurrency) {
  EXPECT_EQ(*MajorToMinor("19.99", "EUR"), 1999);
  EXPECT_EQ(*MajorToMinor("19.9", "usd"), 1990);
  EXPECT_EQ(*MajorToMinor("19", "USD"), 1900);
  EXPECT_EQ(*MajorToMinor("10.500", "EUR"), 1050);
  EXPECT_EQ(*MajorToMinor("1000", "JPY"), 1000);
  EXPECT_EQ(*MajorToMinor("1.234", "KWD"), 1234);
  EXPECT_EQ(*MajorToMinor("0.00", "GBP"), 0);
}

TEST(Money, MalformedOrOverPreciseAmountsAreRefusedByName) {
  for (std::string_view bad : {"", "-1", "1e3", "1,5", ".5", "12.3.4", "abc", "1 000"}) {
    auto r = MajorToMinor(bad, "EUR");
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(MajorToMinor("19.999", "EUR").status().message().find("more decimals"), std::string::npos);
  EXPECT_EQ(MajorToMinor("100.5", "JPY").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MajorToMinor("10", "EURO").status().code(), StatusCode::kInvalidArgument);
}

TEST(Money, JsonNumbersRoundToTheNearestMinorUnit) {
  EXPECT_EQ(*MajorToMinor(19.99, "EUR"), 1999);  // 1998.9999… as a double
  EXPECT_EQ(*MajorToMinor(0.1 + 0.2, "USD"), 30);
  EXPECT_EQ(*MajorToMinor(1500.0, "JPY"), 1500);
  EXPECT_EQ(*MajorToMinor(123456789.99, "USD"), 12345678999);
  EXPECT_EQ(MajorToMinor(-1.0, "EUR").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MajorToMinor(5.123, "USD").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MajorToMinor(0.5, "JPY").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace datafast::revenue
