#include "auth/login_limiter.h"

#include "core/log.h"

namespace datafast::auth {

LoginLimiter::LoginLimiter(const core::Clock& clock, Options options, store::MetaStore* store)
    : clock_(clock), options_(options), shared_(store && store->IsShared() ? store : nullptr) {}

int64_t LoginLimiter::WindowStart() const {
  int64_t window = std::chrono::duration_cast<std::chrono::microseconds>(options_.window).count();
  int64_t now = clock_.NowMicros();
  return now - now % window;
}

void LoginLimiter::PruneLocked(std::deque<int64_t>& failures, int64_t now) {
  int64_t window = std::chrono::duration_cast<std::chrono::microseconds>(options_.window).count();
  while (!failures.empty() && failures.front() <= now - window) failures.pop_front();
}

int64_t LoginLimiter::RetryAfterSeconds(std::string_view key) {
  if (shared_) {
    int64_t start = WindowStart();
    auto failures = shared_->AddToCounter(SharedKey(key), start, 0);
    if (!failures.ok()) {
      core::LogWarn("failed logins not read", {{"error", failures.status().message()}});
      return 0;
    }
    if (*failures < options_.max_failures) return 0;
    int64_t window = std::chrono::duration_cast<std::chrono::microseconds>(options_.window).count();
    return (start + window - clock_.NowMicros()) / 1'000'000 + 1;
  }
  std::lock_guard lock(mu_);
  auto it = failures_.find(std::string(key));
  if (it == failures_.end()) return 0;
  int64_t now = clock_.NowMicros();
  PruneLocked(it->second, now);
  if (static_cast<int>(it->second.size()) < options_.max_failures) return 0;
  int64_t window = std::chrono::duration_cast<std::chrono::microseconds>(options_.window).count();
  // Free again when the oldest failure in the window expires.
  return (it->second.front() + window - now) / 1'000'000 + 1;
}

void LoginLimiter::RecordFailure(std::string_view key) {
  if (shared_) {
    if (auto counted = shared_->AddToCounter(SharedKey(key), WindowStart(), 1); !counted.ok()) {
      core::LogWarn("failed login not counted", {{"error", counted.status().message()}});
    }
    return;
  }
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMicros();
  if (failures_.size() >= options_.max_keys && !failures_.contains(std::string(key))) {
    // Under a flood of distinct keys, forget the expired ones first, then any.
    for (auto it = failures_.begin(); it != failures_.end();) {
      PruneLocked(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= options_.max_keys) failures_.erase(failures_.begin());
  }
  auto& failures = failures_[std::string(key)];
  PruneLocked(failures, now);
  failures.push_back(now);
}

void LoginLimiter::Clear(std::string_view key) {
  if (shared_) {
    if (Status s = shared_->DeleteCounter(SharedKey(key)); !s.ok()) {
      core::LogWarn("failed logins not cleared", {{"error", s.message()}});
    }
    return;
  }
  std::lock_guard lock(mu_);
  failures_.erase(std::string(key));
}

}  // namespace datafast::auth
