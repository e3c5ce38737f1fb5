// Report periods in a site's time zone: the named periods of the dashboard
// and the v1 API's startAt/endAt, as half-open UTC ranges; the period to
// compare with; and the buckets of a time series. Local midnights go through
// core::TimeZone, so a day with a DST change is 23 or 25 hours long and a
// period never gains or loses an hour. Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time_zone.h"

namespace datafast::query {

// [from, to) in microseconds since the epoch, UTC.
struct TimeRange {
  int64_t from_micros = 0;
  int64_t to_micros = 0;
  bool operator==(const TimeRange&) const = default;
};

enum class Comparison { kPreviousPeriod, kYearBefore };

struct Period {
  TimeRange range;
  // What the period is compared with; nullopt for "all".
  std::optional<TimeRange> previous;
};

// "today", "yesterday", "24h", "7d", "30d", "90d", "month" (to date),
// "last_month", "year" (to date), "12mo", "all". Day-based periods run to
// the end of today (so today's later hours are in, though empty yet).
// kInvalidArgument naming the period otherwise.
Result<Period> NamedPeriod(std::string_view name, const core::TimeZone& zone, int64_t now_micros,
                           Comparison comparison = Comparison::kPreviousPeriod);

// The v1 API's startAt/endAt: both "YYYY-MM-DD" (local days, endAt
// included) or both ISO 8601 instants ("2026-11-01T00:00:00Z",
// "…+01:00"); kInvalidArgument naming the parameter for anything else, for
// only one of the two, or for an end before the start. Without either the
// period is all time: NamedPeriod("all").
Result<Period> CustomPeriod(std::string_view start_at, std::string_view end_at, const core::TimeZone& zone,
                            Comparison comparison = Comparison::kPreviousPeriod);

enum class Interval { kHour, kDay, kWeek, kMonth };
std::optional<Interval> ParseInterval(std::string_view name);  // "hour", "day", "week", "month"
std::string_view ToString(Interval interval);

// The start of every bucket that overlaps `range`, in local time: hours
// (a repeated hour of a fall-back day is two buckets), days, weeks from
// Monday, or calendar months; the first is the bucket holding range.from.
std::vector<int64_t> BucketStarts(const TimeRange& range, Interval interval, const core::TimeZone& zone);

}  // namespace datafast::query
