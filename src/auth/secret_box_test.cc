#include "auth/secret_box.h"

#include <gtest/gtest.h>

namespace datafast::auth {
namespace {

TEST(SecretBox, SealedSecretsOpenOnlyWithTheirKeyAndContext) {
  SecretBox box(std::string(64, 'a'));
  std::string sealed = box.Seal("rk_live_secret", "dfid_1/stripe");
  EXPECT_EQ(sealed.find("rk_live"), std::string::npos);
  EXPECT_NE(box.Seal("rk_live_secret", "dfid_1/stripe"), sealed);  // a fresh nonce each time
  EXPECT_EQ(*box.Open(sealed, "dfid_1/stripe"), "rk_live_secret");
  EXPECT_EQ(box.Open(sealed, "dfid_2/stripe").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(SecretBox(std::string(64, 'b')).Open(sealed, "dfid_1/stripe").status().code(),
            StatusCode::kUnauthenticated);
  std::string tampered = sealed;
  tampered[20] = tampered[20] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box.Open(tampered, "dfid_1/stripe").ok());
  EXPECT_FALSE(box.Open("not base64!", "dfid_1/stripe").ok());
  EXPECT_EQ(*box.Open(box.Seal("", "c"), "c"), "");
}

}  // namespace
}  // namespace datafast::auth
