#include "ingest/site_directory.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::ingest {
namespace {

TEST(SiteDirectory, HostRules) {
  store::Site site{"dfid_0123456789abcdef", "example.com", "UTC", "USD", {"shop.example.net"}, 0, "", 730};
  EXPECT_TRUE(SiteDirectory::HostBelongsTo(site, "example.com"));
  EXPECT_TRUE(SiteDirectory::HostBelongsTo(site, "www.example.com"));
  EXPECT_TRUE(SiteDirectory::HostBelongsTo(site, "app.eu.example.com"));
  EXPECT_TRUE(SiteDirectory::HostBelongsTo(site, "shop.example.net"));
  EXPECT_TRUE(SiteDirectory::HostBelongsTo(site, "de.shop.example.net"));
  EXPECT_FALSE(SiteDirectory::HostBelongsTo(site, "notexample.com"));
  EXPECT_FALSE(SiteDirectory::HostBelongsTo(site, "example.com.evil.org"));
  EXPECT_FALSE(SiteDirectory::HostBelongsTo(site, "example.net"));
}

TEST(SiteDirectory, FindsNewSitesAfterTheNegativeCacheExpires) {
  store::testing::TempDir dir;
  auto meta = store::OpenSqliteMetaStore(dir.File("meta.sqlite"));
  ASSERT_TRUE(meta.ok());
  core::ManualClock clock(1'000'000);
  SiteDirectory sites(**meta, clock);
  auto before = sites.Find("dfid_0123456789abcdef");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(*before, nullptr);
  ASSERT_TRUE((*meta)->CreateSite({"dfid_0123456789abcdef", "example.com", "UTC", "USD", {}, 1, "", 730}).ok());
  EXPECT_EQ(*sites.Find("dfid_0123456789abcdef"), nullptr);  // still cached as missing
  clock.Advance(6'000'000);
  auto after = sites.Find("dfid_0123456789abcdef");
  ASSERT_TRUE(after.ok());
  ASSERT_NE(*after, nullptr);
  EXPECT_EQ((*after)->domain, "example.com");
}

}  // namespace
}  // namespace datafast::ingest
