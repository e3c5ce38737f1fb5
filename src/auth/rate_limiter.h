// A per-key limit of `per_minute` requests a minute. With a store that
// several instances share (store::MetaStore::IsShared), a count per key and
// clock minute kept in it, so that together they allow the rate once; else
// a token bucket in memory, refilled continuously, which costs no write. If
// the shared store fails, requests are let through (and the failure
// logged): a limit is no reason to refuse service. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "store/meta_store.h"

namespace datafast::auth {

class RateLimiter {
 public:
  RateLimiter(const core::Clock& clock, int per_minute, store::MetaStore* store = nullptr);

  // 0 when `key` may make a request now (and spends it), otherwise the
  // seconds until it may.
  int64_t Take(std::string_view key);

 private:
  struct Bucket {
    double tokens;
    int64_t updated_micros;
  };
  int64_t TakeShared(std::string_view key);

  const core::Clock& clock_;
  const double per_minute_;
  store::MetaStore* const shared_;  // null: in memory
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace datafast::auth
