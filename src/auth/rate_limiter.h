// A per-key token bucket: each key may spend `per_minute` requests a minute,
// refilled continuously. In memory, per instance (several instances behind a
// load balancer each allow the full rate). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace datafast::auth {

class RateLimiter {
 public:
  RateLimiter(const core::Clock& clock, int per_minute);

  // 0 when `key` may make a request now (and spends it), otherwise the
  // seconds until it may.
  int64_t Take(std::string_view key);

 private:
  struct Bucket {
    double tokens;
    int64_t updated_micros;
  };
  const core::Clock& clock_;
  const double per_minute_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace datafast::auth
