#include "auth/login_limiter.h"

#include <gtest/gtest.h>

namespace datafast::auth {
namespace {

constexpr int64_t kMinute = 60'000'000;

TEST(LoginLimiter, RefusesAfterTheLimitUntilTheWindowPasses) {
  core::ManualClock clock(1'000 * kMinute);
  LoginLimiter limiter(clock, {.max_failures = 3, .window = std::chrono::minutes(15)});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.RetryAfterSeconds("email:a@b.co"), 0);
    limiter.RecordFailure("email:a@b.co");
    clock.Advance(kMinute);
  }
  // Three failures at minutes 0, 1 and 2: free again at minute 15.
  EXPECT_EQ(limiter.RetryAfterSeconds("email:a@b.co"), 12 * 60 + 1);
  EXPECT_EQ(limiter.RetryAfterSeconds("email:other@b.co"), 0);
  clock.Advance(12 * kMinute);
  EXPECT_EQ(limiter.RetryAfterSeconds("email:a@b.co"), 0);
}

TEST(LoginLimiter, ClearForgetsFailures) {
  core::ManualClock clock(0);
  LoginLimiter limiter(clock, {.max_failures = 2});
  limiter.RecordFailure("k");
  limiter.RecordFailure("k");
  EXPECT_GT(limiter.RetryAfterSeconds("k"), 0);
  limiter.Clear("k");
  EXPECT_EQ(limiter.RetryAfterSeconds("k"), 0);
}

TEST(LoginLimiter, StaysBoundedUnderManyKeys) {
  core::ManualClock clock(0);
  LoginLimiter limiter(clock, {.max_failures = 1, .max_keys = 100});
  for (int i = 0; i < 1000; ++i) limiter.RecordFailure("client:" + std::to_string(i));
  EXPECT_GT(limiter.RetryAfterSeconds("client:999"), 0);  // the newest is still counted
}

}  // namespace
}  // namespace datafast::auth
