#include "auth/password.h"

#include <gtest/gtest.h>

namespace datafast::auth {
namespace {

TEST(Password, HashIsArgon2idWithOwaspParametersAndVerifies) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status().message();
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapler"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST(Password, SaltsDifferSoEqualPasswordsHashDifferently) {
  EXPECT_NE(*HashPassword("same password 1"), *HashPassword("same password 1"));
}

TEST(Password, MalformedEncodingNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "x"));
  EXPECT_FALSE(VerifyPassword("plaintext-password", "plaintext-password"));
}

TEST(Password, RulesNameTheLimit) {
  EXPECT_TRUE(CheckPasswordRules("0123456789").ok());
  Status shorter = CheckPasswordRules("012345678");
  EXPECT_EQ(shorter.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(shorter.message().find("at least 10"), std::string::npos);
  EXPECT_FALSE(CheckPasswordRules(std::string(257, 'x')).ok());
}

}  // namespace
}  // namespace datafast::auth
