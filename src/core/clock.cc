#include "core/clock.h"

#include <chrono>
#include <cstdio>

namespace datafast::core {
namespace {

class WallClock final : public Clock {
 public:
  int64_t NowMicros() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

std::string FormatIsoTime(int64_t micros) {
  std::chrono::sys_seconds seconds{std::chrono::seconds(micros / 1'000'000 - (micros % 1'000'000 < 0 ? 1 : 0))};
  auto days = std::chrono::floor<std::chrono::days>(seconds);
  std::chrono::year_month_day date{days};
  std::chrono::hh_mm_ss time{seconds - days};
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(date.year()), unsigned(date.month()),
                unsigned(date.day()), int(time.hours().count()), int(time.minutes().count()),
                int(time.seconds().count()));
  return out;
}

const Clock& SystemClock() {
  static const WallClock clock;
  return clock;
}

}  // namespace datafast::core
