// The clock seam: code that needs "now" takes a Clock, so tests can move time
// (salt rotation, session expiry) without sleeping. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace datafast::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch, UTC.
  virtual int64_t NowMicros() const = 0;
};

// The real wall clock.
const Clock& SystemClock();

// "2026-11-26T10:00:00Z": whole seconds, UTC, as the APIs show times.
std::string FormatIsoTime(int64_t micros);

// A clock that stands still until told to move; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_micros) : now_(now_micros) {}
  int64_t NowMicros() const override { return now_.load(); }
  void Advance(int64_t micros) { now_ += micros; }
  void Set(int64_t now_micros) { now_ = now_micros; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace datafast::core
