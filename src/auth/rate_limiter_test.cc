#include "auth/rate_limiter.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace datafast::auth
