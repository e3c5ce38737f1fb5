#include "auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "core/log.h"

namespace datafast::auth {

RateLimiter::RateLimiter(const core::Clock& clock, int per_minute, store::MetaStore* store)
    : clock_(clock), per_minute_(per_minute), shared_(store && store->IsShared() ? store : nullptr) {}

int64_t RateLimiter::TakeShared(std::string_view key) {
  constexpr int64_t kMinute = 60'000'000;
  int64_t now = clock_.NowMicros();
  int64_t window = now - now % kMinute;
  auto count = shared_->AddToCounter("rate:" + std::string(key), window, 1);
  if (!count.ok()) {
    core::LogWarn("rate limit not counted", {{"error", count.status().message()}});
    return 0;
  }
  if (static_cast<double>(*count) <= per_minute_) return 0;
  return (window + kMinute - now + 999'999) / 1'000'000;
}

int64_t RateLimiter::Take(std::string_view key) {
  if (shared_) return TakeShared(key);
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMicros();
  auto [it, fresh] = buckets_.try_emplace(std::string(key), Bucket{per_minute_, now});
  Bucket& bucket = it->second;
  double refill = (now - bucket.updated_micros) / 60e6 * per_minute_;
  bucket.tokens = std::min(per_minute_, bucket.tokens + refill);
  bucket.updated_micros = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return static_cast<int64_t>(std::ceil((1 - bucket.tokens) / per_minute_ * 60));
}

}  // namespace datafast::auth
