#include "auth/server_key.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/testing/temp_dir.h"

namespace datafast::auth {
namespace {

TEST(ServerKey, ACreatedKeyIsKeptInTheDataDirectoryForTheOwnerAlone) {
  store::testing::TempDir dir;
  auto first = ServerKey::Load("", dir.File(""));
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto again = ServerKey::Load("", dir.File(""));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->Derive("email-hash"), again->Derive("email-hash"));
  EXPECT_NE(first->Derive("email-hash"), first->Derive("connection-secrets"));
  auto perms = std::filesystem::status(dir.File("secret.key")).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(ServerKey, AConfiguredKeyWinsAndMustBe64HexDigits) {
  store::testing::TempDir dir;
  std::string hex(64, 'a');
  auto configured = ServerKey::Load(hex, dir.File(""));
  ASSERT_TRUE(configured.ok());
  EXPECT_FALSE(std::filesystem::exists(dir.File("secret.key")));
  auto other = ServerKey::Load(std::string(64, 'b'), dir.File(""));
  EXPECT_NE(configured->Derive("x"), other->Derive("x"));
  EXPECT_EQ(ServerKey::Load("abc", dir.File("")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ServerKey::Load(std::string(64, 'G'), dir.File("")).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace datafast::auth
