// The ClickHouse backend's reports (store/report.h states the rules):
// sessions are grouped from their events at query time, each report is a
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

Result<Metrics> Summarize(const QueryFn& query, const ReportScope& scope);
Result<BreakdownPage> Breakdown(const QueryFn& query, const ReportScope& scope, query::Dimension dimension,
                                size_t limit, size_t offset);
Result<std::vector<BucketRow>> Timeseries(const QueryFn& query, const ReportScope& scope, query::Interval interval,
                                          std::span<const core::OffsetSpan> offsets);
Result<Realtime> RecentActivity(const QueryFn& query, std::span<const std::string> site_ids, int64_t since_micros,
                                size_t recent_limit, const std::function<Event(const std::vector<std::string>&)>& read,
                                const std::string& columns);

}  // namespace datafast::store::clickhouse
