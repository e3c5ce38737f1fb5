#include "auth/rate_limiter.h"

#include <gtest/gtest.h>

#include "auth/login_limiter.h"
#include "store/postgres/postgres_meta_store.h"
#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/postgres.h"
#include "store/testing/temp_dir.h"

namespace datafast::auth {
namespace {

TEST(RateLimiter, AllowsTheRateThenSaysHowLongToWait) {
  core::ManualClock clock(1'000'000'000);
  RateLimiter limiter(clock, 100);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(limiter.Take("key_a"), 0) << i;
  EXPECT_EQ(limiter.Take("key_a"), 1);  // one token refills in 0.6 s
  EXPECT_EQ(limiter.Take("key_b"), 0);  // keys are separate
  clock.Advance(600'000);
  EXPECT_EQ(limiter.Take("key_a"), 0);
  EXPECT_GT(limiter.Take("key_a"), 0);
  clock.Advance(60'000'000);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(limiter.Take("key_a"), 0) << i;  // never more than the full bucket
  EXPECT_GT(limiter.Take("key_a"), 0);
}

// Two instances on one PostgreSQL: they share one limit, per clock minute.
TEST(RateLimiter, InstancesOnASharedStoreAllowTheRateOnce) {
  store::testing::TempDir dir;
  auto url = store::testing::PostgresDatabaseFor(dir);
  ASSERT_TRUE(url.ok()) << url.status().message();
  auto meta = store::OpenPostgresMetaStore(*url);
  ASSERT_TRUE(meta.ok()) << meta.status().message();
  core::ManualClock clock(60'000'000LL * 1000 + 15'000'000);  // 15 s into a minute
  RateLimiter first(clock, 3, meta->get());
  RateLimiter second(clock, 3, meta->get());
  EXPECT_EQ(first.Take("key_a"), 0);
  EXPECT_EQ(second.Take("key_a"), 0);
  EXPECT_EQ(first.Take("key_a"), 0);
  EXPECT_EQ(second.Take("key_a"), 45);  // the fourth waits for the next minute
  EXPECT_EQ(first.Take("key_b"), 0);
  clock.Advance(45'000'000);
  EXPECT_EQ(second.Take("key_a"), 0);

  // Failed logins too: nine on one instance, the tenth on the other.
  LoginLimiter a(clock, {}, meta->get());
  LoginLimiter b(clock, {}, meta->get());
  for (int i = 0; i < 9; ++i) a.RecordFailure("owner@example.com");
  EXPECT_EQ(b.RetryAfterSeconds("owner@example.com"), 0);
  b.RecordFailure("owner@example.com");
  EXPECT_GT(a.RetryAfterSeconds("owner@example.com"), 0);
  a.Clear("owner@example.com");
  EXPECT_EQ(b.RetryAfterSeconds("owner@example.com"), 0);
}

// The embedded store is one instance's: the limit stays in memory.
TEST(RateLimiter, AnEmbeddedStoreIsNotWrittenTo) {
  store::testing::TempDir dir;
  auto meta = store::OpenSqliteMetaStore(dir.File("meta.sqlite"));
  ASSERT_TRUE(meta.ok());
  core::ManualClock clock(1'000'000'000);
  RateLimiter limiter(clock, 3, meta->get());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("key_a"), 0);
  EXPECT_GT(limiter.Take("key_a"), 0);
  EXPECT_EQ(*(*meta)->AddToCounter("rate:key_a", 0, 0), 0);
}

}  // namespace
}  // namespace datafast::auth
