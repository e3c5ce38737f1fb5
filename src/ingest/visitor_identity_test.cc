#include "ingest/visitor_identity.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::ingest {
namespace {

constexpr int64_t kMinute = 60'000'000;
constexpr int64_t kDay = 1440 * kMinute;
constexpr const char* kUa = "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0";

class VisitorIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto meta = store::OpenSqliteMetaStore(dir_.File("meta.sqlite"));
    ASSERT_TRUE(meta.ok());
    meta_ = std::move(*meta);
    identity_ = std::make_unique<VisitorIdentity>(*meta_, clock_);
  }
  VisitorIds Identify(std::string_view site, std::string_view ip, std::string_view ua = kUa) {
    auto ids = identity_->Identify(site, ip, ua);
    EXPECT_TRUE(ids.ok());
    return ids.ok() ? *ids : VisitorIds{};
  }

  store::testing::TempDir dir_;
  core::ManualClock clock_{20000 * kDay + 12 * 60 * kMinute};  // noon UTC
  std::unique_ptr<store::MetaStore> meta_;
  std::unique_ptr<VisitorIdentity> identity_;
};

TEST_F(VisitorIdentityTest, SameBrowserSameDayIsOneVisitorAndOneSession) {
  VisitorIds a = Identify("dfid_a", "198.51.100.7");
  clock_.Advance(10 * kMinute);
  VisitorIds b = Identify("dfid_a", "198.51.100.7");
  EXPECT_EQ(a.visitor_id, b.visitor_id);
  EXPECT_EQ(a.session_id, b.session_id);
  EXPECT_EQ(a.visitor_id.size(), 32u);
  EXPECT_EQ(a.visitor_id.find_first_not_of("0123456789abcdef"), std::string::npos);  // a hash, not the IP
}

TEST_F(VisitorIdentityTest, DifferentSiteIpOrAgentIsAnotherVisitor) {
  VisitorIds base = Identify("dfid_a", "198.51.100.7");
  EXPECT_NE(Identify("dfid_b", "198.51.100.7").visitor_id, base.visitor_id);
  EXPECT_NE(Identify("dfid_a", "198.51.100.8").visitor_id, base.visitor_id);
  EXPECT_NE(Identify("dfid_a", "198.51.100.7", "curl-like/1").visitor_id, base.visitor_id);
}

TEST_F(VisitorIdentityTest, SessionEndsAfterThirtyIdleMinutes) {
  VisitorIds a = Identify("dfid_a", "198.51.100.7");
  clock_.Advance(31 * kMinute);
  VisitorIds b = Identify("dfid_a", "198.51.100.7");
  EXPECT_EQ(a.visitor_id, b.visitor_id);
  EXPECT_NE(a.session_id, b.session_id);
}

TEST_F(VisitorIdentityTest, SessionRunningPastMidnightKeepsItsVisitor) {
  clock_.Set(20000 * kDay + 1440 * kMinute - 5 * kMinute);  // 23:55
  VisitorIds before = Identify("dfid_a", "198.51.100.7");
  clock_.Advance(10 * kMinute);  // 00:05 next day
  VisitorIds after = Identify("dfid_a", "198.51.100.7");
  EXPECT_EQ(before.visitor_id, after.visitor_id);
  EXPECT_EQ(before.session_id, after.session_id);
  clock_.Advance(2 * 60 * kMinute);  // a new visit the next day gets the new day's id
  EXPECT_NE(Identify("dfid_a", "198.51.100.7").visitor_id, before.visitor_id);
}

TEST_F(VisitorIdentityTest, OldSaltsAreDeletedForGood) {
  VisitorIds day0 = Identify("dfid_a", "198.51.100.7");
  auto salt_day0 = meta_->SaltForDay(20000);
  ASSERT_TRUE(salt_day0.ok());
  clock_.Advance(2 * kDay);
  ASSERT_TRUE(identity_->ForgetOldSalts().ok());
  // Day 20000 is now older than yesterday: its salt is gone from the store,
  // so asking for it makes a fresh one.
  auto salt_again = meta_->SaltForDay(20000);
  ASSERT_TRUE(salt_again.ok());
  EXPECT_NE(*salt_again, *salt_day0);
  EXPECT_NE(Identify("dfid_a", "198.51.100.7").visitor_id, day0.visitor_id);
}

}  // namespace
}  // namespace datafast::ingest
