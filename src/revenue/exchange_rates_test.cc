#include "revenue/exchange_rates.h"

#include <gtest/gtest.h>

namespace datafast::revenue {
namespace {

TEST(ExchangeRates, ACsvWithItsHeaderBecomesRates) {
  auto rates = ParseExchangeRates("date,currency,per_usd\r\n2026-11-25,eur,0.9512\n\n2026-11-25, JPY ,155.2\n");
  ASSERT_TRUE(rates.ok()) << rates.status().message();
  EXPECT_EQ(*rates, (std::vector<store::ExchangeRate>{{"2026-11-25", "EUR", 0.9512}, {"2026-11-25", "JPY", 155.2}}));
}

TEST(ExchangeRates, TheFirstBadLineIsNamed) {
  EXPECT_EQ(ParseExchangeRates("2026-11-25,EUR,0.95\n2026-13-01,EUR,0.95").status().message(),
            "line 2: the date must be YYYY-MM-DD");
  EXPECT_NE(ParseExchangeRates("2026-11-25,EURO,0.95").status().message().find("line 1: currency"), std::string::npos);
  for (std::string_view bad :
       {"2026-11-25,EUR,-1", "2026-11-25,EUR,0", "2026-11-25,EUR,abc", "2026-11-25,EUR", "2026-11-25,EUR,1,2"}) {
    EXPECT_EQ(ParseExchangeRates(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace datafast::revenue
