// The SQL of the DuckDB backend's reports (store/report.h states the rules
// they implement): one statement per report, every value a bound parameter;
// and of the sessions table they read (docs/adr/0006).
// Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "query/filters.h"
#include "query/period.h"
#include "store/report.h"

namespace datafast::store::duckdb_sql {

using Param = std::variant<std::string, int64_t>;

struct Statement {
  std::string sql;  // `?` placeholders, bound in order
  std::vector<Param> params;
};

// One row: visitors, sessions, pageviews, bounces, duration_micros,
// revenue_micros, payments, converted_visitors.
Statement Summarize(const ReportScope& scope);

// Rows of value, detail, visitors, sessions, pageviews, bounces,
// duration_micros, revenue_micros, payments, converted_visitors,
// completions, total_rows.
Statement Breakdown(const ReportScope& scope, query::Dimension dimension, size_t limit, size_t offset);

// Rows of start_micros (store::BucketRow says on which clock), visitors, sessions, pageviews, revenue_micros,
// payments, converted_visitors, by bucket.
Statement Timeseries(const ReportScope& scope, query::Interval interval, std::span<const core::OffsetSpan> offsets);

// Inserts a sessions row, from all its events, for each session in the temp
// table `refresh` (site_id, session_id, since: where its events start).
std::string InsertRebuiltSessions();

// Brings the previous-session columns (prev_start, prev_<dimension>) of
// every session of the visitors in the temp table `touched` up to date.
std::string UpdatePreviousSessions();
// The same for the prev_start of their session_items rows.
std::string UpdatePreviousItems();

}  // namespace datafast::store::duckdb_sql
