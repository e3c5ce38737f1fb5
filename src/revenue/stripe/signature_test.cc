#include "revenue/stripe/signature.h"

#include <gtest/gtest.h>

namespace datafast::revenue::stripe {
namespace {

constexpr std::string_view kSecret = "whsec_test_secret";
constexpr std::string_view kBody = R"({"id":"evt_1","type":"checkout.session.completed"})";

TEST(StripeSignature, MatchesAKnownVector) {
  // HMAC-SHA256("whsec_test_secret", "1700000000.{body}"), computed independently with
  // `printf '%s' "1700000000.$BODY" | openssl dgst -sha256 -hmac whsec_test_secret`.
  EXPECT_EQ(SignatureHeader(kBody, kSecret, 1700000000),
            "t=1700000000,v1=a13d4b1f9003bc2fb6c06224e878b6056185eaa50d40e1e7dc05517f8af41d7b");
  EXPECT_TRUE(VerifySignature(SignatureHeader(kBody, kSecret, 1700000000), kBody, kSecret, 1700000000).ok());
}

TEST(StripeSignature, AnyMatchingV1PassesAndV0IsIgnored) {
  std::string good = SignatureHeader(kBody, kSecret, 1700000000);
  std::string v1 = good.substr(good.find("v1="));
  std::string header = "t=1700000000,v0=deadbeef,v1=" + std::string(64, '0') + "," + v1;
  EXPECT_TRUE(VerifySignature(header, kBody, kSecret, 1700000100).ok());
}

TEST(StripeSignature, RefusesTamperingWrongSecretsStaleTimestampsAndJunk) {
  std::string header = SignatureHeader(kBody, kSecret, 1700000000);
  EXPECT_EQ(VerifySignature(header, std::string(kBody) + " ", kSecret, 1700000000).code(),
            StatusCode::kUnauthenticated);
  EXPECT_FALSE(VerifySignature(header, kBody, "whsec_other", 1700000000).ok());
  EXPECT_FALSE(VerifySignature(header, kBody, "test_secret", 1700000000).ok());  // the whole secret is the key
  EXPECT_FALSE(VerifySignature(header, kBody, kSecret, 1700000301).ok());
  EXPECT_TRUE(VerifySignature(header, kBody, kSecret, 1700000300).ok());
  EXPECT_FALSE(VerifySignature(header, kBody, kSecret, 1699999699).ok());
  EXPECT_FALSE(VerifySignature("", kBody, kSecret, 1700000000).ok());
  EXPECT_FALSE(VerifySignature("t=abc,v1=00", kBody, kSecret, 1700000000).ok());
  EXPECT_FALSE(VerifySignature("t=1700000000", kBody, kSecret, 1700000000).ok());
}

}  // namespace
}  // namespace datafast::revenue::stripe
