// Slows password guessing: counts failed logins per key (the email tried,
// and separately a hash of the client address) and refuses further tries
// for a key once it has `max_failures` failures within `window`. With a store
// that several instances share (store::MetaStore::IsShared), the failures
// are counted in it per key and clock window of that length; else in
// memory, over a sliding window, bounded by forgetting the oldest keys.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "store/meta_store.h"

namespace datafast::auth {

class LoginLimiter {
 public:
  struct Options {
    int max_failures = 10;
    std::chrono::seconds window = std::chrono::minutes(15);
    size_t max_keys = 100'000;
  };
  LoginLimiter(const core::Clock& clock, Options options, store::MetaStore* store = nullptr);

  // Seconds until `key` may try again; 0 when it may now.
  int64_t RetryAfterSeconds(std::string_view key);
  void RecordFailure(std::string_view key);
  // A successful login clears the key's failures.
  void Clear(std::string_view key);

 private:
  void PruneLocked(std::deque<int64_t>& failures, int64_t now);
  // The shared count's key, and the start of the current window.
  std::string SharedKey(std::string_view key) const { return "login:" + std::string(key); }
  int64_t WindowStart() const;

  const core::Clock& clock_;
  const Options options_;
  store::MetaStore* const shared_;  // null: in memory
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;  // key → failure times, oldest first
};

}  // namespace datafast::auth
