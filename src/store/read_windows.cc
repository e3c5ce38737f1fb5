#include "store/read_windows.h"

namespace datafast::store {

std::vector<ReadWindow> PlanReadWindows(std::span<const MinuteCount> minutes, uint64_t events_per_window) {
  std::vector<ReadWindow> windows;
  uint64_t in_window = 0;
  for (const MinuteCount& minute : minutes) {
    if (windows.empty() || (in_window > 0 && in_window + minute.events > events_per_window)) {
      if (!windows.empty()) windows.back().to_micros = minute.minute_micros;
      windows.push_back({minute.minute_micros, 0});
      in_window = 0;
    }
    in_window += minute.events;
    windows.back().to_micros = minute.minute_micros + kMinuteMicros;
  }
  return windows;
}

}  // namespace datafast::store
