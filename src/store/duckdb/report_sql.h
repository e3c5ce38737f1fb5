// The SQL of the DuckDB backend's reports (store/report.h states the rules
// they implement): one statement per report, every value a bound parameter;
// and of the sessions table they read (docs/adr/0006).
// Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
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

// How a report without filters reads the rollups: rollup rows of
// `site_keys` (the scope's sites, in rollup_zones) for the local days
// from_day <= day < to_day of every site's rollup zone, and the
// sessions from tail_from_micros to the end of the range (today, not rolled
// up yet; none when it is the range's end), with days on the clock of
// `offsets` (covering the range). The range starts at the local midnight
// that begins from_day.
struct RollupDays {
  std::vector<int64_t> site_keys;
  int64_t from_day = 0;
  int64_t to_day = 0;
  int64_t tail_from_micros = 0;
  std::vector<core::OffsetSpan> offsets;
};

// One row: visitors, sessions, pageviews, bounces, duration_micros,
// revenue_micros, payments, converted_visitors.
Statement Summarize(const ReportScope& scope, const std::optional<RollupDays>& rollups);

// Rows of value, detail, visitors, sessions, pageviews, bounces,
// duration_micros, revenue_micros, payments, converted_visitors,
// completions, total_rows.
Statement Breakdown(const ReportScope& scope, query::Dimension dimension, size_t limit, size_t offset,
                    const std::optional<RollupDays>& rollups);

// Rows of start_micros (store::BucketRow says on which clock), visitors,
// sessions, pageviews, revenue_micros, payments, converted_visitors, by
// bucket. Rollups serve day, week and month buckets when `offsets` are
// those of the rollup zone.
Statement Timeseries(const ReportScope& scope, query::Interval interval, std::span<const core::OffsetSpan> offsets,
                     const std::optional<RollupDays>& rollups);

// Rebuilds the rollup rows of `site_id` (`site_key` in them) for each local
// day before
// `before_day` (on the clock of `offsets`, which cover every session start
// of the site) holding a dirty_rollups row of the site, and leaves one dirty
// row for each later day. No dirty row is before `since_micros`. Run in one
// transaction.
std::vector<Statement> RebuildRollups(const std::string& site_id, int64_t site_key, int64_t since_micros,
                                      int64_t before_day, std::span<const core::OffsetSpan> offsets);

// Inserts a sessions row, from all its events, for each session in the temp
// table `refresh` (site_id, session_id, since: where its events start).
std::string InsertRebuiltSessions();

// Copies into payer_sessions and payer_items the rows of the sessions that
// `sessions` (a SELECT of site_id, session_id) names whose visitor has a
// revenue event.
std::vector<std::string> CopyPayerRows(std::string_view sessions);

// Brings the previous-session columns (prev_start, prev_<dimension>) of
// every session of the visitors in the temp table `touched`, and the
// prev_start of their session_items rows, up to date: the statements to run
// in order, in one transaction.
std::vector<std::string> UpdatePreviousColumns();

}  // namespace datafast::store::duckdb_sql
