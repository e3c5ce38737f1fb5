#include "core/ids.h"
#include "core/clock.h"

#include <gtest/gtest.h>

#include <set>

namespace datafast::core {
namespace {

TEST(Ids, SiteIdsAreWellFormedAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewSiteId();
    EXPECT_TRUE(IsSiteId(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
  }
}

TEST(Ids, RejectsMalformedSiteIds) {
  EXPECT_FALSE(IsSiteId(""));
  EXPECT_FALSE(IsSiteId("dfid_"));
  EXPECT_FALSE(IsSiteId("dfid_0123456789abcdeF"));
  EXPECT_FALSE(IsSiteId("dfid_0123456789abcdeg"));
  EXPECT_FALSE(IsSiteId("xfid_0123456789abcdef"));
  EXPECT_FALSE(IsSiteId("dfid_0123456789abcdef0"));
  EXPECT_TRUE(IsSiteId("dfid_0123456789abcdef"));
}

TEST(Ids, UuidsAreVersion4) {
  std::string u = NewUuid();
  ASSERT_TRUE(IsUuid(u)) << u;
  EXPECT_EQ(u[14], '4');
  EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos);
  EXPECT_NE(NewUuid(), u);
}

TEST(Ids, UuidValidation) {
  EXPECT_TRUE(IsUuid("123E4567-e89b-12d3-a456-426614174000"));
  EXPECT_FALSE(IsUuid("123e4567e89b12d3a456426614174000"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-42661417400g"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-4266141740001"));
}

TEST(Ids, RandomHexLength) {
  EXPECT_EQ(RandomHex(16).size(), 32u);
  EXPECT_NE(RandomHex(16), RandomHex(16));
}

TEST(Clock, FormatsIsoTimeInUtcSeconds) {
  EXPECT_EQ(FormatIsoTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoTime(1'795'651'200'999'999), "2026-11-26T00:00:00Z");
  EXPECT_EQ(FormatIsoTime(951'782'400'000'000 + 86'399'000'000), "2000-02-29T23:59:59Z");
}

}  // namespace
}  // namespace datafast::core
