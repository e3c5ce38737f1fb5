// How the event stores read all of a site's events in time order
// (EventStore::ForEachEvent) without sorting them all at once: from the
// site's count of events per minute, consecutive minutes are grouped into
// windows of about a page each, and each window is read by itself. A store
// kept in time order then reads only the blocks of each window; a keyset
// page that sorted the rest of the site every time made a copy of 100 M
// events quadratic. Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace datafast::store {

inline constexpr int64_t kMinuteMicros = 60'000'000;

// Events per query when a store reads all of a site's events: the windows'
// size, and the page within a minute that holds more.
inline constexpr uint64_t kEventsPerRead = 100'000;

struct MinuteCount {
  int64_t minute_micros;  // the minute's start, UTC
  uint64_t events;
};

// [from_micros, to_micros): whole minutes.
struct ReadWindow {
  int64_t from_micros;
  int64_t to_micros;
};

// Windows over `minutes` (ascending, each with events) of at most
// `events_per_window` events each, except a single minute that holds more
// on its own (the store pages through it). Empty for no minutes.
std::vector<ReadWindow> PlanReadWindows(std::span<const MinuteCount> minutes, uint64_t events_per_window);

}  // namespace datafast::store
