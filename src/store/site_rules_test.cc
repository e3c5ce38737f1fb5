#include "store/site_rules.h"

#include <gtest/gtest.h>

namespace datafast::store {
namespace {

TEST(NormalizeDomain, StripsSchemePathPortAndWww) {
  EXPECT_EQ(*NormalizeDomain("example.com"), "example.com");
  EXPECT_EQ(*NormalizeDomain("https://www.Example.COM/shop?x=1"), "example.com");
  EXPECT_EQ(*NormalizeDomain("  shop.example.co.uk:8443  "), "shop.example.co.uk");
  EXPECT_EQ(*NormalizeDomain("xn--bcher-kva.example."), "xn--bcher-kva.example");
}

TEST(NormalizeDomain, RefusesWhatIsNotAHostName) {
  for (const char* bad :
       {"", "https://", "exa mple.com", "example..com", "-example.com", "example-.com", "bücher.de", "example.com\n"}) {
    auto r = NormalizeDomain(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(CheckTimezone, KnowsIanaNames) {
  EXPECT_TRUE(CheckTimezone("UTC").ok());
  EXPECT_TRUE(CheckTimezone("Europe/Paris").ok());
  EXPECT_TRUE(CheckTimezone("America/Argentina/Buenos_Aires").ok());
  EXPECT_FALSE(CheckTimezone("Mars/Olympus").ok());
  EXPECT_FALSE(CheckTimezone("../../etc/passwd").ok());
  EXPECT_FALSE(CheckTimezone("").ok());
}

TEST(CheckCurrency, ThreeUppercaseLetters) {
  EXPECT_TRUE(CheckCurrency("EUR").ok());
  EXPECT_FALSE(CheckCurrency("eur").ok());
  EXPECT_FALSE(CheckCurrency("EURO").ok());
}

}  // namespace
}  // namespace datafast::store
