// Against the system's real zoneinfo files (tzdata is installed by
// scripts/install-deps.sh).
#include "core/time_zone.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace datafast::core {
namespace {

// Seconds since the epoch of a UTC (or, for ToUtc, local) wall time. The
// first test checks it against FormatIsoTime.
int64_t At(int y, int mo, int d, int h = 0, int mi = 0) {
  return DaysFromCivil({y, mo, d}) * 86400 + h * 3600 + mi * 60;
}

TimeZone Zone(std::string_view name) {
  auto zone = TimeZone::Load(name);
  EXPECT_TRUE(zone.ok()) << zone.status().message();
  return std::move(*zone);
}

TEST(TimeZone, ParisOffsetsAndItsDaylightSavingDays) {
  TimeZone paris = Zone("Europe/Paris");
  EXPECT_EQ(FormatIsoTime(At(2026, 3, 29, 1) * 1'000'000), "2026-03-29T01:00:00Z");
  EXPECT_EQ(paris.OffsetAt(At(2026, 1, 15)), 3600);
  EXPECT_EQ(paris.OffsetAt(At(2026, 3, 29, 1) - 1), 3600);
  EXPECT_EQ(paris.OffsetAt(At(2026, 3, 29, 1)), 7200);
  EXPECT_EQ(paris.OffsetAt(At(2026, 10, 25, 1) - 1), 7200);
  EXPECT_EQ(paris.OffsetAt(At(2026, 10, 25, 1)), 3600);
  // Local midnights: the spring day has 23 hours, the autumn day 25.
  EXPECT_EQ(paris.ToUtc(At(2026, 3, 29)), At(2026, 3, 28, 23));
  EXPECT_EQ(paris.ToUtc(At(2026, 3, 30)) - paris.ToUtc(At(2026, 3, 29)), 23 * 3600);
  EXPECT_EQ(paris.ToUtc(At(2026, 10, 26)) - paris.ToUtc(At(2026, 10, 25)), 25 * 3600);
  // 02:30 does not exist on 29 March: the gap ends at 01:00 UTC (03:00 local).
  EXPECT_EQ(paris.ToUtc(At(2026, 3, 29, 2, 30)), At(2026, 3, 29, 1));
  // 02:30 happens twice on 25 October: the first time, 00:30 UTC.
  EXPECT_EQ(paris.ToUtc(At(2026, 10, 25, 2, 30)), At(2026, 10, 25, 0, 30));
}

TEST(TimeZone, FarFutureFollowsTheFooterRule) {
  TimeZone paris = Zone("Europe/Paris");
  EXPECT_EQ(paris.OffsetAt(At(2045, 7, 1)), 7200);
  EXPECT_EQ(paris.OffsetAt(At(2045, 12, 1)), 3600);
  // Last Sunday of March 2045 is the 26th; at 01:00 UTC.
  EXPECT_EQ(paris.OffsetAt(At(2045, 3, 26, 1) - 1), 3600);
  EXPECT_EQ(paris.OffsetAt(At(2045, 3, 26, 1)), 7200);
  TimeZone new_york = Zone("America/New_York");
  // Second Sunday of March 2045 is the 12th; 02:00 EST is 07:00 UTC.
  EXPECT_EQ(new_york.OffsetAt(At(2045, 3, 12, 7) - 1), -5 * 3600);
  EXPECT_EQ(new_york.OffsetAt(At(2045, 3, 12, 7)), -4 * 3600);
}

TEST(TimeZone, SouthernHemisphereAndHalfHourZones) {
  TimeZone sydney = Zone("Australia/Sydney");
  EXPECT_EQ(sydney.OffsetAt(At(2026, 1, 15)), 11 * 3600);
  EXPECT_EQ(sydney.OffsetAt(At(2026, 7, 15)), 10 * 3600);
  EXPECT_EQ(sydney.OffsetAt(At(2045, 1, 15)), 11 * 3600);
  EXPECT_EQ(sydney.OffsetAt(At(2045, 7, 15)), 10 * 3600);
  EXPECT_EQ(Zone("Asia/Kolkata").OffsetAt(At(2026, 6, 1)), 5 * 3600 + 1800);
  TimeZone lord_howe = Zone("Australia/Lord_Howe");  // a half-hour DST shift
  EXPECT_EQ(lord_howe.OffsetAt(At(2026, 1, 15)), 11 * 3600);
  EXPECT_EQ(lord_howe.OffsetAt(At(2026, 7, 15)), 10 * 3600 + 1800);
  TimeZone utc = Zone("UTC");
  EXPECT_EQ(utc.OffsetAt(At(2026, 6, 1)), 0);
  EXPECT_EQ(utc.ToUtc(At(2026, 6, 1, 12)), At(2026, 6, 1, 12));
}

TEST(CivilDate, RoundTripsAndKnowsWeekdays) {
  for (int64_t days = -800'000; days < 800'000; days += 997) EXPECT_EQ(DaysFromCivil(CivilFromDays(days)), days);
  EXPECT_EQ(CivilFromDays(0), (CivilDate{1970, 1, 1}));
  EXPECT_EQ(CivilFromDays(DaysFromCivil({2000, 2, 29})), (CivilDate{2000, 2, 29}));
  EXPECT_EQ(WeekdayOfDays(0), 3);                              // Thursday
  EXPECT_EQ(WeekdayOfDays(DaysFromCivil({2026, 11, 26})), 3);  // Thursday
  EXPECT_EQ(WeekdayOfDays(DaysFromCivil({2026, 11, 23})), 0);  // Monday
  EXPECT_EQ(DaysInMonth(2026, 2), 28);
  EXPECT_EQ(DaysInMonth(2028, 2), 29);
  EXPECT_EQ(DaysInMonth(2100, 2), 28);
}

TEST(TimeZone, RefusesWhatIsNotAZone) {
  for (std::string_view name : {"", "Mars/Base", "../../etc/passwd", "/etc/passwd", "Europe", "zone.tab"}) {
    auto zone = TimeZone::Load(name);
    EXPECT_EQ(zone.status().code(), StatusCode::kInvalidArgument) << name;
  }
  EXPECT_FALSE(TimeZone::Parse("x", "TZif2 but too short").ok());
}

}  // namespace
}  // namespace datafast::core
