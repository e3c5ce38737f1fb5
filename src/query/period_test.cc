#include "query/period.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace datafast::query {
namespace {

// Microseconds of a UTC wall time.
int64_t Utc(int y, int mo, int d, int h = 0, int mi = 0) {
  return (core::DaysFromCivil({y, mo, d}) * 86400 + h * 3600 + mi * 60) * 1'000'000;
}

std::string Show(const TimeRange& r) {
  return core::FormatIsoTime(r.from_micros) + " .. " + core::FormatIsoTime(r.to_micros);
}

class PeriodTest : public ::testing::Test {
 protected:
  core::TimeZone paris_ = std::move(*core::TimeZone::Load("Europe/Paris"));
  core::TimeZone new_york_ = std::move(*core::TimeZone::Load("America/New_York"));
  core::TimeZone utc_ = std::move(*core::TimeZone::Load("UTC"));
};

TEST_F(PeriodTest, TodayIsTheLocalDayAndItsDaylightSavingLength) {
  // 29 March 2026, 10:00 UTC: Paris moved its clocks forward at 01:00 UTC.
  auto today = NamedPeriod("today", paris_, Utc(2026, 3, 29, 10));
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(Show(today->range), "2026-03-28T23:00:00Z .. 2026-03-29T22:00:00Z");  // 23 hours
  EXPECT_EQ(Show(*today->previous), "2026-03-27T23:00:00Z .. 2026-03-28T23:00:00Z");
  // Just before midnight in New York is still "yesterday" in UTC terms.
  auto ny = NamedPeriod("today", new_york_, Utc(2026, 11, 26, 4, 59));
  EXPECT_EQ(Show(ny->range), "2026-11-25T05:00:00Z .. 2026-11-26T05:00:00Z");
}

TEST_F(PeriodTest, DayCountsMonthsAndYears) {
  int64_t now = Utc(2026, 11, 26, 9);
  EXPECT_EQ(Show(NamedPeriod("yesterday", paris_, now)->range), "2026-11-24T23:00:00Z .. 2026-11-25T23:00:00Z");
  EXPECT_EQ(Show(NamedPeriod("7d", utc_, now)->range), "2026-11-20T00:00:00Z .. 2026-11-27T00:00:00Z");
  EXPECT_EQ(Show(*NamedPeriod("7d", utc_, now)->previous), "2026-11-13T00:00:00Z .. 2026-11-20T00:00:00Z");
  EXPECT_EQ(Show(NamedPeriod("24h", utc_, now)->range), "2026-11-25T09:00:00Z .. 2026-11-26T09:00:00Z");
  // October has 31 days and the DST change (the 25th): 30 days back from
  // 26 November crosses none, 90 days crosses it.
  EXPECT_EQ(Show(NamedPeriod("90d", paris_, now)->range), "2026-08-28T22:00:00Z .. 2026-11-26T23:00:00Z");
  auto month = NamedPeriod("month", paris_, now);
  EXPECT_EQ(Show(month->range), "2026-10-31T23:00:00Z .. 2026-11-26T23:00:00Z");
  EXPECT_EQ(Show(*month->previous), "2026-09-30T22:00:00Z .. 2026-10-26T23:00:00Z");  // 1 to 26 October
  EXPECT_EQ(Show(NamedPeriod("last_month", utc_, now)->range), "2026-10-01T00:00:00Z .. 2026-11-01T00:00:00Z");
  EXPECT_EQ(Show(*NamedPeriod("last_month", utc_, now)->previous), "2026-09-01T00:00:00Z .. 2026-10-01T00:00:00Z");
  EXPECT_EQ(Show(NamedPeriod("year", utc_, now)->range), "2026-01-01T00:00:00Z .. 2026-11-27T00:00:00Z");
  EXPECT_EQ(Show(*NamedPeriod("year", utc_, now)->previous), "2025-01-01T00:00:00Z .. 2025-11-27T00:00:00Z");
  EXPECT_EQ(Show(NamedPeriod("12mo", utc_, now)->range), "2025-12-01T00:00:00Z .. 2026-11-27T00:00:00Z");
  EXPECT_FALSE(NamedPeriod("all", utc_, now)->previous.has_value());
  EXPECT_NE(NamedPeriod("fortnight", utc_, now).status().message().find("fortnight"), std::string::npos);
}

TEST_F(PeriodTest, MonthToDateAtTheEndOfMarchComparesWithAllOfFebruary) {
  auto month = NamedPeriod("month", utc_, Utc(2026, 3, 31, 12));
  EXPECT_EQ(Show(*month->previous), "2026-02-01T00:00:00Z .. 2026-03-01T00:00:00Z");
}

TEST_F(PeriodTest, YearBeforeComparisonKeepsLocalWallTimes) {
  auto today = NamedPeriod("today", paris_, Utc(2026, 7, 14, 12), Comparison::kYearBefore);
  EXPECT_EQ(Show(*today->previous), "2025-07-13T22:00:00Z .. 2025-07-14T22:00:00Z");
  auto leap = NamedPeriod("today", utc_, Utc(2028, 2, 29, 12), Comparison::kYearBefore);
  EXPECT_EQ(Show(*leap->previous), "2027-02-28T00:00:00Z .. 2027-03-01T00:00:00Z");
}

TEST_F(PeriodTest, CustomDatesAreLocalDaysWithTheEndIncluded) {
  auto period = CustomPeriod("2026-10-24", "2026-10-25", paris_);
  ASSERT_TRUE(period.ok()) << period.status().message();
  EXPECT_EQ(Show(period->range), "2026-10-23T22:00:00Z .. 2026-10-25T23:00:00Z");  // 49 hours
  EXPECT_EQ(Show(*period->previous), "2026-10-21T22:00:00Z .. 2026-10-23T22:00:00Z");
  auto instants = CustomPeriod("2026-11-01T00:00:00Z", "2026-11-02T12:30:00+01:00", paris_);
  ASSERT_TRUE(instants.ok()) << instants.status().message();
  EXPECT_EQ(Show(instants->range), "2026-11-01T00:00:00Z .. 2026-11-02T11:30:00Z");
  // Neither is all time, which the caller asks for by name.
  EXPECT_EQ(CustomPeriod("", "", paris_).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(PeriodTest, CustomRefusalsNameTheParameter) {
  auto starts_with = [](const Status& s, std::string_view prefix) { return s.message().starts_with(prefix); };
  EXPECT_TRUE(starts_with(CustomPeriod("2026-11-01", "", utc_).status(), "endAt: "));
  EXPECT_TRUE(starts_with(CustomPeriod("", "2026-11-01", utc_).status(), "startAt: "));
  EXPECT_TRUE(starts_with(CustomPeriod("2026-11-31", "2026-12-01", utc_).status(), "startAt: "));
  EXPECT_TRUE(starts_with(CustomPeriod("2026-11-02", "2026-11-01", utc_).status(), "endAt: is before"));
  EXPECT_TRUE(starts_with(CustomPeriod("2026-11-01", "2026-11-02T00:00:00Z", utc_).status(), "endAt: "));
  EXPECT_TRUE(starts_with(CustomPeriod("yesterday", "2026-11-02", utc_).status(), "startAt: "));
  EXPECT_TRUE(starts_with(CustomPeriod("2026-11-01T25:00:00Z", "2026-11-02T00:00:00Z", utc_).status(), "startAt: "));
}

TEST_F(PeriodTest, BucketsFollowLocalDaysWeeksMonthsAndHours) {
  auto days = BucketStarts(CustomPeriod("2026-10-24", "2026-10-26", paris_)->range, Interval::kDay, paris_);
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(core::FormatIsoTime(days[1]), "2026-10-24T22:00:00Z");
  EXPECT_EQ(core::FormatIsoTime(days[2]), "2026-10-25T23:00:00Z");
  auto weeks = BucketStarts({Utc(2026, 11, 26), Utc(2026, 12, 8)}, Interval::kWeek, utc_);
  ASSERT_EQ(weeks.size(), 3u);
  EXPECT_EQ(core::FormatIsoTime(weeks[0]), "2026-11-23T00:00:00Z");  // the Monday before
  auto months = BucketStarts({Utc(2026, 1, 31), Utc(2026, 4, 1)}, Interval::kMonth, utc_);
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(core::FormatIsoTime(months[1]), "2026-02-01T00:00:00Z");
  // The spring-forward day in Paris has 23 local hours.
  auto hours = BucketStarts({Utc(2026, 3, 28, 23), Utc(2026, 3, 29, 22)}, Interval::kHour, paris_);
  EXPECT_EQ(hours.size(), 23u);
  EXPECT_EQ(ParseInterval("week"), Interval::kWeek);
  EXPECT_FALSE(ParseInterval("minute").has_value());
}

}  // namespace
}  // namespace datafast::query
