// The ClickHouse backend's reports (store/report.h states the rules): the
// sessions of sealed days are rows of the sessions table, the others are
// grouped from their events at query time (docs/adr/0012); each report is a
// few GROUP BY queries that ClickHouse 18.16 and current releases both run
// (no CTEs, window functions or joins), and the rows are put together here.
// Values enter SQL only through Quote (docs/adr/0011). Thread-safe.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "query/period.h"
#include "store/report.h"

namespace datafast::store::clickhouse {

// A string literal with backslashes and quotes escaped.
std::string Quote(std::string_view text);

// Runs a SELECT and returns its rows, each field as text.
using Rows = std::vector<std::vector<std::string>>;
using QueryFn = std::function<Result<Rows>(const std::string& sql)>;

// The rows of a TabSeparated answer, each field unescaped.
Rows ReadTabSeparated(std::string_view body);

constexpr int64_t kDayMicros = 86'400'000'000;

// [from, to) in microseconds.
struct Span {
  int64_t from_micros;
  int64_t to_micros;
};

// The times whose sessions the sessions table holds up to date: whole UTC
// days, ascending, apart. A session that starts anywhere else is grouped
// from its events, which are read from the day before the open stretch it
// starts in (a session's events are never a day apart: it ends after 30
// minutes without activity).
using SealedSpans = std::vector<Span>;

// An INSERT of the sessions that start in `days` (whole UTC days) into
// `table` (shaped as the sessions table), grouped from their events, each
// with `sealed_at`.
std::string SealInsert(std::string_view table, Span days, int64_t sealed_at);

Result<Metrics> Summarize(const QueryFn& query, const ReportScope& scope, const SealedSpans& sealed);
// Pages, hostnames and goals count their visitors in shares of about
// `sessions_per_share` sessions, a query each (the sets of a share fit a
// query's memory: about 0.5 GB for the default).
constexpr uint64_t kSessionsPerShare = 8'000'000;
Result<BreakdownPage> Breakdown(const QueryFn& query, const ReportScope& scope, const SealedSpans& sealed,
                                query::Dimension dimension, size_t limit, size_t offset,
                                uint64_t sessions_per_share = kSessionsPerShare);
Result<std::vector<BucketRow>> Timeseries(const QueryFn& query, const ReportScope& scope, const SealedSpans& sealed,
                                          query::Interval interval, std::span<const core::OffsetSpan> offsets);
Result<Realtime> RecentActivity(const QueryFn& query, std::span<const std::string> site_ids, int64_t since_micros,
                                size_t recent_limit, const std::function<Event(const std::vector<std::string>&)>& read,
                                const std::string& columns);

}  // namespace datafast::store::clickhouse
