#include "auth/secrets.h"

#include <gtest/gtest.h>

#include <set>

namespace datafast::auth {
namespace {

TEST(Secrets, HaveThePrefixAnd256RandomBits) {
  std::string key = NewSecret("df_");
  EXPECT_TRUE(key.starts_with("df_"));
  EXPECT_EQ(key.size(), 3u + 43u);  // 32 bytes in unpadded base64url
  EXPECT_EQ(key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 3),
            std::string::npos);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(NewSecret(""));
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Secrets, HashIsSha256Hex) {
  EXPECT_EQ(HashSecret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(HashSecret("df_a"), HashSecret("df_b"));
}

TEST(Secrets, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("token", "token"));
  EXPECT_FALSE(ConstantTimeEquals("token", "tokem"));
  EXPECT_FALSE(ConstantTimeEquals("token", "token2"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace datafast::auth
