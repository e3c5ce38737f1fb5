// IANA time zones, read from the system's zoneinfo files (TZif, RFC 8536):
// the UTC offset in effect at an instant, and the instant of a local wall
// time. Reports are cut at local midnights, and a day with a DST change is 23
// or 25 hours long: every period boundary goes through here. GCC 12's
// standard library has no time zone database, and the process-wide TZ
// variable is global state, hence this small reader.
//
// Transitions come from the file's 64-bit table; instants after its last
// transition follow the POSIX TZ rule in the file's footer (e.g.
// "CET-1CEST,M3.5.0,M10.5.0/3"). Immutable after Load: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datafast::core {

// Proleptic Gregorian calendar dates and days since 1970-01-01.
struct CivilDate {
  int64_t year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
  bool operator==(const CivilDate&) const = default;
};
int64_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(int64_t days);
int DaysInMonth(int64_t year, int month);
// 0 = Monday … 6 = Sunday.
int WeekdayOfDays(int64_t days);

class TimeZone {
 public:
  // "Europe/Paris", "UTC", …; kInvalidArgument for a name that is not a zone
  // (or tries to leave the zoneinfo directory).
  static Result<TimeZone> Load(std::string_view name, const std::string& zoneinfo_dir = "/usr/share/zoneinfo");
  // The zone of a TZif file's bytes; for tests.
  static Result<TimeZone> Parse(std::string name, std::string_view tzif);

  const std::string& name() const { return name_; }

  // Seconds east of UTC in effect at `utc_seconds` (seconds since the epoch).
  int32_t OffsetAt(int64_t utc_seconds) const;

  // The instant of local wall time `local_seconds` (seconds since 1970-01-01
  // 00:00 on the local clock). A time skipped by a spring-forward gap maps to
  // the instant the gap ends; a time repeated by a fall-back overlap maps to
  // its first occurrence.
  int64_t ToUtc(int64_t local_seconds) const;

 private:
  // A POSIX TZ rule date: month 1-12, week 1-5 (5 = last), weekday 0-6
  // (Sunday = 0), at `seconds` of local time.
  struct RuleDate {
    int month = 0, week = 0, weekday = 0;
    int32_t seconds = 7200;
  };
  struct Rule {
    int32_t std_offset = 0;  // seconds east of UTC
    bool has_dst = false;
    int32_t dst_offset = 0;
    RuleDate start, end;  // in local standard time / local DST time
  };

  int32_t RuleOffsetAt(int64_t utc_seconds) const;
  static Result<Rule> ParseRule(std::string_view tz);

  std::string name_;
  std::vector<int64_t> transitions_;  // UTC seconds, ascending
  std::vector<int32_t> offsets_;      // offset from transitions_[i] on
  int32_t initial_offset_ = 0;        // before the first transition
  Rule rule_;                         // after the last transition
  bool has_rule_ = false;
};

// A stretch of time with one UTC offset: from `from_seconds` until the
// next span's start.
struct OffsetSpan {
  int64_t from_seconds = 0;
  int32_t offset_seconds = 0;
  bool operator==(const OffsetSpan&) const = default;
};

// The spans that cover [from_seconds, to_seconds), the first starting at
// from_seconds. Finds every transition at least 6 hours after the previous
// one, which is every transition any zone has had.
std::vector<OffsetSpan> OffsetSpans(const TimeZone& zone, int64_t from_seconds, int64_t to_seconds);

// "YYYY-MM-DD" as days since 1970-01-01; nullopt unless a valid date.
std::optional<int64_t> ParseIsoDate(std::string_view s);

// "YYYY-MM-DDTHH:MM[:SS[.ffffff]](Z|±HH:MM)" as microseconds since the
// epoch; nullopt for anything else.
std::optional<int64_t> ParseIsoTime(std::string_view s);

// The day (since 1970-01-01) holding `seconds` since 1970-01-01 00:00 on
// the same clock, for instants before 1970 too.
int64_t DayOfSeconds(int64_t seconds);

// An instant on `zone`'s clock with its offset: "2026-10-28T00:00:00+01:00".
std::string FormatLocalIsoTime(int64_t utc_micros, const TimeZone& zone);

}  // namespace datafast::core
