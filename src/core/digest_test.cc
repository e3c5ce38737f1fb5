#include "core/digest.h"

#include <gtest/gtest.h>

namespace datafast::core {
namespace {

TEST(Digest, HexFormsOfSha256AndHmac) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HmacSha256Hex("key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(Digest, HmacSha256InBase64MatchesAKnownVector) {
  // Computed independently with Python's hmac and base64 modules.
  EXPECT_EQ(Base64Encode(HmacSha256("key", "The quick brown fox jumps over the lazy dog")),
            "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
}

TEST(Digest, Base64DecodesPaddedTextAndRefusesAnythingElse) {
  EXPECT_EQ(Base64Decode("aGVsbG8="), "hello");
  EXPECT_EQ(Base64Decode("aGVsbG8h"), "hello!");
  EXPECT_EQ(Base64Decode("aGk="), "hi");
  EXPECT_EQ(Base64Decode("aA=="), "h");
  EXPECT_EQ(Base64Decode(""), "");
  EXPECT_EQ(Base64Decode("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY")->size(), 24u);
  for (std::string_view bad : {"aGVsbG8", "aGV*bG8=", "====", "a===", "aG=k", "aGVs bG8="}) {
    EXPECT_FALSE(Base64Decode(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace datafast::core
