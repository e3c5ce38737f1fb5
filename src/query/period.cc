#include "query/period.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace datafast::query {
namespace {

constexpr int64_t kDaySeconds = 86'400;
constexpr int64_t kMicros = 1'000'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The local calendar day (days since 1970-01-01 on the local clock) holding
// the instant.
int64_t LocalDay(int64_t utc_micros, const core::TimeZone& zone) {
  int64_t seconds = FloorDiv(utc_micros, kMicros);
  return FloorDiv(seconds + zone.OffsetAt(seconds), kDaySeconds);
}

// The instant local day `days` begins.
int64_t DayStart(int64_t days, const core::TimeZone& zone) { return zone.ToUtc(days * kDaySeconds) * kMicros; }

int64_t MonthStart(int64_t year, int month) { return core::DaysFromCivil({year, month, 1}); }

// The first day of the month `months` after the month holding `days`.
int64_t AddMonths(int64_t days, int months) {
  core::CivilDate date = core::CivilFromDays(days);
  int64_t index = date.year * 12 + (date.month - 1) + months;
  return MonthStart(FloorDiv(index, 12), static_cast<int>(index - FloorDiv(index, 12) * 12) + 1);
}

// The same local wall time `years` earlier or later (29 February becomes
// the 28th).
int64_t ShiftYears(int64_t utc_micros, int years, const core::TimeZone& zone) {
  int64_t seconds = FloorDiv(utc_micros, kMicros);
  int64_t local = seconds + zone.OffsetAt(seconds);
  int64_t days = FloorDiv(local, kDaySeconds);
  core::CivilDate date = core::CivilFromDays(days);
  date.year += years;
  date.day = std::min(date.day, core::DaysInMonth(date.year, date.month));
  int64_t shifted = core::DaysFromCivil(date) * kDaySeconds + (local - days * kDaySeconds);
  return zone.ToUtc(shifted) * kMicros + (utc_micros - seconds * kMicros);
}

TimeRange DayRange(int64_t first_day, int64_t end_day, const core::TimeZone& zone) {
  return TimeRange{DayStart(first_day, zone), DayStart(end_day, zone)};
}

Period WithComparison(TimeRange range, TimeRange previous, Comparison comparison, const core::TimeZone& zone) {
  if (comparison == Comparison::kYearBefore) {
    previous = TimeRange{ShiftYears(range.from_micros, -1, zone), ShiftYears(range.to_micros, -1, zone)};
  }
  return Period{range, previous};
}

}  // namespace

Result<Period> NamedPeriod(std::string_view name, const core::TimeZone& zone, int64_t now_micros,
                           Comparison comparison) {
  int64_t today = LocalDay(now_micros, zone);
  auto days = [&](int n) {
    return WithComparison(DayRange(today - n + 1, today + 1, zone), DayRange(today - 2 * n + 1, today - n + 1, zone),
                          comparison, zone);
  };
  if (name == "today") return days(1);
  if (name == "yesterday") {
    return WithComparison(DayRange(today - 1, today, zone), DayRange(today - 2, today - 1, zone), comparison, zone);
  }
  if (name == "24h") {
    constexpr int64_t kDayMicros = kDaySeconds * kMicros;
    return WithComparison({now_micros - kDayMicros, now_micros}, {now_micros - 2 * kDayMicros, now_micros - kDayMicros},
                          comparison, zone);
  }
  if (name == "7d") return days(7);
  if (name == "30d") return days(30);
  if (name == "90d") return days(90);
  int64_t month = AddMonths(today, 0);
  if (name == "month") {
    // The same number of days at the start of the previous month.
    int64_t elapsed = today - month + 1;
    int64_t previous = AddMonths(today, -1);
    return WithComparison(DayRange(month, today + 1, zone),
                          DayRange(previous, previous + std::min(elapsed, month - previous), zone), comparison, zone);
  }
  if (name == "last_month") {
    return WithComparison(DayRange(AddMonths(today, -1), month, zone),
                          DayRange(AddMonths(today, -2), AddMonths(today, -1), zone), comparison, zone);
  }
  if (name == "year") {
    core::CivilDate date = core::CivilFromDays(today);
    TimeRange range = DayRange(MonthStart(date.year, 1), today + 1, zone);
    return WithComparison(range, {ShiftYears(range.from_micros, -1, zone), ShiftYears(range.to_micros, -1, zone)},
                          comparison, zone);
  }
  if (name == "12mo") {
    return WithComparison(DayRange(AddMonths(today, -11), today + 1, zone),
                          DayRange(AddMonths(today, -23), AddMonths(today, -11), zone), comparison, zone);
  }
  if (name == "all") return Period{DayRange(0, today + 1, zone), std::nullopt};
  return Status::InvalidArgument("period \"" + std::string(name) +
                                 "\" is not one of today, yesterday, 24h, 7d, 30d, 90d, month, last_month, year, "
                                 "12mo, all");
}

Result<Period> CustomPeriod(std::string_view start_at, std::string_view end_at, const core::TimeZone& zone,
                            Comparison comparison) {
  if (start_at.empty() && end_at.empty()) {
    return Status::InvalidArgument("startAt: is required with endAt (without both, the period is all time)");
  }
  if (start_at.empty() != end_at.empty()) {
    return Status::InvalidArgument(std::string(start_at.empty() ? "startAt" : "endAt") +
                                   ": startAt and endAt go together; give both or neither");
  }
  auto start_day = core::ParseIsoDate(start_at);
  auto end_day = core::ParseIsoDate(end_at);
  if (start_day && end_day) {
    if (*end_day < *start_day) return Status::InvalidArgument("endAt: is before startAt");
    int64_t n = *end_day - *start_day + 1;
    return WithComparison(DayRange(*start_day, *end_day + 1, zone), DayRange(*start_day - n, *start_day, zone),
                          comparison, zone);
  }
  auto start = start_day ? std::nullopt : core::ParseIsoTime(start_at);
  auto end = end_day ? std::nullopt : core::ParseIsoTime(end_at);
  if (!start_day && !start) {
    return Status::InvalidArgument("startAt: \"" + std::string(start_at) + "\" is not a date (YYYY-MM-DD) or time");
  }
  if (!end_day && !end) {
    return Status::InvalidArgument("endAt: \"" + std::string(end_at) + "\" is not a date (YYYY-MM-DD) or time");
  }
  if (!start || !end) return Status::InvalidArgument("endAt: startAt and endAt must both be dates or both be times");
  if (*end < *start) return Status::InvalidArgument("endAt: is before startAt");
  int64_t length = *end - *start;
  return WithComparison({*start, *end}, {*start - length, *start}, comparison, zone);
}

std::optional<Interval> ParseInterval(std::string_view name) {
  if (name == "hour") return Interval::kHour;
  if (name == "day") return Interval::kDay;
  if (name == "week") return Interval::kWeek;
  if (name == "month") return Interval::kMonth;
  return std::nullopt;
}

std::string_view ToString(Interval interval) {
  switch (interval) {
    case Interval::kHour:
      return "hour";
    case Interval::kDay:
      return "day";
    case Interval::kWeek:
      return "week";
    case Interval::kMonth:
      return "month";
  }
  return "day";
}

std::vector<int64_t> BucketStarts(const TimeRange& range, Interval interval, const core::TimeZone& zone) {
  std::vector<int64_t> starts;
  if (range.to_micros <= range.from_micros) return starts;
  auto add = [&](int64_t start) {
    // A spring-forward gap maps two local hours to one instant: keep one.
    if (starts.empty() || starts.back() != start) starts.push_back(start);
  };
  if (interval == Interval::kHour) {
    // Every instant the local clock shows a whole hour: a fall-back day has
    // two 02:00s, a spring-forward day none. Offsets are whole quarters of an
    // hour, so quarter-hour steps meet every one.
    constexpr int64_t kQuarter = 900;
    int64_t seconds = FloorDiv(range.from_micros, kMicros);
    int64_t t = zone.ToUtc(FloorDiv(seconds + zone.OffsetAt(seconds), 3600) * 3600);
    for (; t * kMicros < range.to_micros; t += kQuarter) {
      if ((t + zone.OffsetAt(t)) % 3600 == 0) add(t * kMicros);
    }
    return starts;
  }
  int64_t day = LocalDay(range.from_micros, zone);
  if (interval == Interval::kWeek) day -= core::WeekdayOfDays(day);
  if (interval == Interval::kMonth) day = AddMonths(day, 0);
  for (;;) {
    int64_t start = DayStart(day, zone);
    if (start >= range.to_micros) break;
    add(start);
    day = interval == Interval::kDay ? day + 1 : interval == Interval::kWeek ? day + 7 : AddMonths(day, 1);
  }
  return starts;
}

}  // namespace datafast::query
