#include "auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace datafast::auth {

RateLimiter::RateLimiter(const core::Clock& clock, int per_minute) : clock_(clock), per_minute_(per_minute) {}

int64_t RateLimiter::Take(std::string_view key) {
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
