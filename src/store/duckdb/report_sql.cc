#include "store/duckdb/report_sql.h"

#include "store/report_dimensions.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace datafast::store::duckdb_sql {
namespace {

using query::Dimension;
using query::Filter;
using query::FilterOp;

// The kind of session_items row a page, hostname or goal dimension reads.
std::string_view ItemKind(Dimension d) {
  return d == Dimension::kGoal ? "goal" : d == Dimension::kHostname ? "hostname" : "page";
}

// The dimensions a sessions row answers, each with its prev_ column.
constexpr Dimension kPerSessionDimensions[] = {
    Dimension::kChannel,   Dimension::kReferrer,   Dimension::kReferrerDomain,
    Dimension::kUtmSource, Dimension::kUtmMedium,  Dimension::kUtmCampaign,
    Dimension::kUtmTerm,   Dimension::kUtmContent, Dimension::kRef,
    Dimension::kSource,    Dimension::kVia,        Dimension::kEntryPage,
    Dimension::kExitPage,  Dimension::kCountry,    Dimension::kRegion,
    Dimension::kCity,      Dimension::kBrowser,    Dimension::kOs,
    Dimension::kDevice};

bool Negated(FilterOp op) { return op == FilterOp::kIsNot || op == FilterOp::kDoesNotContain; }

// Appends SQL text and the parameters of its `?`s, in order.
class Builder {
 public:
  Builder& operator<<(std::string_view text) {
    sql_ += text;
    return *this;
  }
  Builder& Text(const std::string& value) {
    sql_ += '?';
    params_.emplace_back(value);
    return *this;
  }
  Builder& Int(int64_t value) {
    sql_ += '?';
    params_.emplace_back(value);
    return *this;
  }
  // The positive form of `filter` on `expr`: is → expr IN (…), contains →
  // a case-insensitive substring test on any value.
  Builder& Matches(const std::string& expr, const Filter& filter) {
    sql_ += '(';
    bool contains = filter.op == FilterOp::kContains || filter.op == FilterOp::kDoesNotContain;
    if (!contains) sql_ += expr + " IN (";
    for (size_t i = 0; i < filter.values.size(); ++i) {
      if (i > 0) sql_ += contains ? " OR " : ", ";
      if (contains) sql_ += "strpos(lower(" + expr + "), lower(";
      Text(filter.values[i]);
      if (contains) sql_ += ")) > 0";
    }
    sql_ += contains ? ")" : "))";
    return *this;
  }
  Statement Done() { return {std::move(sql_), std::move(params_)}; }

 private:
  std::string sql_;
  std::vector<Param> params_;
};

void Sites(Builder& b, const ReportScope& scope) {
  b << "site_id IN (";
  for (size_t i = 0; i < scope.site_ids.size(); ++i) {
    if (i > 0) b << ", ";
    b.Text(scope.site_ids[i]);
  }
  b << ")";
}

void SiteAndRange(Builder& b, const ReportScope& scope, std::string_view ts_column) {
  Sites(b, scope);
  b << " AND " << ts_column << " >= make_timestamp(";
  b.Int(scope.from_micros) << ") AND " << ts_column << " < make_timestamp(";
  b.Int(scope.to_micros) << ")";
}

// Appends the offset from UTC, in seconds, at `ts`: the offset of its span.
void OffsetSeconds(Builder& b, std::string_view ts, std::span<const core::OffsetSpan> offsets) {
  if (offsets.size() > 1) b << "CASE";
  for (size_t i = 1; i < offsets.size(); ++i) {
    b << " WHEN " << ts << " < make_timestamp(";
    b.Int(offsets[i].from_seconds * 1'000'000) << ") THEN ";
    b.Int(offsets[i - 1].offset_seconds);
  }
  if (offsets.size() > 1) b << " ELSE ";
  b.Int(offsets.empty() ? 0 : offsets.back().offset_seconds);
  if (offsets.size() > 1) b << " END";
}

// Appends the local day (since 1970-01-01) holding `ts`.
void LocalDay(Builder& b, std::string_view ts, std::span<const core::OffsetSpan> offsets) {
  b << "((epoch_us(" << ts << ") // 1000000 + ";
  OffsetSeconds(b, ts, offsets);
  b << ") // 86400)";
}

// Appends the start of the bucket holding `ts`: for hours the UTC instant the
// local hour starts (so the two 02:00s of a fall-back night stay apart), for
// the others the local wall time.
void Bucket(Builder& b, std::string_view ts, query::Interval interval, std::span<const core::OffsetSpan> offsets) {
  auto offset = [&] {
    b << "to_seconds(";
    OffsetSeconds(b, ts, offsets);
    b << ")";
  };
  b << "date_trunc('" << query::ToString(interval) << "', " << ts << " + ";
  offset();
  b << ")";
  if (interval == query::Interval::kHour) {
    b << " - ";
    offset();
  }
}

// The same for a local day of the rollups (days, weeks and months only).
void DayBucket(Builder& b, std::string_view day, query::Interval interval) {
  b << "date_trunc('" << query::ToString(interval) << "', CAST(DATE '1970-01-01' + CAST(" << day
    << " AS INTEGER) AS TIMESTAMP))";
}

// The rollups' name of a dimension; "all" for the rows of every session.
// (Not "": DuckDB's zone maps skip row groups by it, and they do not for an
// empty string.)
std::string RollupName(std::optional<Dimension> d) { return d ? std::string(query::ToString(*d)) : "all"; }

// Appends a SELECT of one rollup-shaped row (day, value, detail, prev_day,
// sessions, pageviews, bounces, duration) per session, or per page,
// hostname or goal of a session for those dimensions; `dimension` nullopt:
// every session. Days are on the clock of `offsets`. With `period_start`
// (an instant and its local day), a previous session before it gets the
// day before, so `offsets` need only cover the period. Ends in an open
// WHERE clause for the caller's conditions.
void RollupRows(Builder& b, std::optional<Dimension> dimension, std::span<const core::OffsetSpan> offsets,
                std::optional<std::pair<int64_t, int64_t>> period_start = std::nullopt) {
  bool items = dimension &&
               (SqlOf(*dimension).kind == DimensionKind::kPageEvent || SqlOf(*dimension).kind == DimensionKind::kGoal);
  Detail detail = dimension ? DetailOf(*dimension) : Detail::kNone;
  std::string previous = !dimension || items ? "prev_start" : "prev_" + std::string(query::ToString(*dimension));
  b << "SELECT ";
  LocalDay(b, "start_ts", offsets);
  b << " AS day, "
    << (items       ? "value"
        : dimension ? SqlOf(*dimension).session_expr
                    : "''")
    << " AS value, "
    << (detail == Detail::kCountryKey       ? "country"
        : detail == Detail::kReferrerDomain ? "referrer_domain"
                                            : "''")
    << " AS detail, ";
  if (period_start) {
    b << "CASE WHEN " << previous << " < make_timestamp(";
    b.Int(period_start->first) << ") THEN ";
    b.Int(period_start->second - 1) << " ELSE ";
    LocalDay(b, previous, offsets);
    b << " END";
  } else {
    LocalDay(b, previous, offsets);
  }
  b << " AS prev_day, 1 AS sessions, ";
  if (items) {
    b << "hits AS pageviews, 0 AS bounces, 0 AS duration FROM session_items WHERE kind = '" << ItemKind(*dimension)
      << "' AND ";
  } else {
    b << "pageviews, CAST(pageviews = 1 AND interactions = 0 AS INTEGER) AS bounces, "
         "epoch_us(end_ts) - epoch_us(start_ts) AS duration FROM sessions WHERE ";
  }
}

// Appends the columns a row grouped by `d` reads, `expr` being d's
// expression over that row (none for pages, hostnames and goals).
void GroupedColumns(Builder& b, Dimension d, const std::string& expr) {
  if (d == Dimension::kReferrer) {
    b << ", source, referrer_domain";
  } else if (!expr.empty()) {
    b << ", " << expr;
  }
  if (DetailOf(d) == Detail::kCountryKey) b << ", country";
}

// The common head of every report: CTEs m (the sessions that start in the
// range and pass the filters, from the sessions table), pm (those of them
// whose visitor has revenue, from payer_sessions), r (the revenue events
// they select), conv (visitors who converted) and, with rollups, ro (the
// rollup rows of the range for `grouped`).
void Head(Builder& b, const ReportScope& scope, const std::optional<RollupDays>& rollups,
          std::optional<Dimension> grouped = std::nullopt) {
  // Only the columns the report reads (with rollups, those that tell
  // conversions apart): m is read more than once, so DuckDB keeps it in
  // memory, and every text column read costs its decompression.
  b << "WITH m AS (SELECT visitor_id, start_ts";
  if (!rollups || !scope.filters.empty()) b << ", session_id";
  if (!rollups) {
    b << ", end_ts, pageviews, interactions, prev_start";
    if (grouped && std::find(std::begin(kPerSessionDimensions), std::end(kPerSessionDimensions), *grouped) !=
                       std::end(kPerSessionDimensions)) {
      b << ", prev_" << query::ToString(*grouped);
    }
  }
  if (grouped) GroupedColumns(b, *grouped, SqlOf(*grouped).session_expr);
  b << " FROM sessions WHERE ";
  SiteAndRange(b, scope, "start_ts");
  bool visitor_filters = false;
  for (const Filter& f : scope.filters) {
    DimensionSql sql = SqlOf(f.dimension);
    b << " AND " << (Negated(f.op) ? "NOT " : "");
    if (sql.kind == DimensionKind::kPageEvent || sql.kind == DimensionKind::kGoal) {
      // Sessions with a matching page, hostname or goal.
      b << "session_id IN (SELECT session_id FROM session_items WHERE ";
      SiteAndRange(b, scope, "start_ts");
      b << " AND kind = '" << ItemKind(f.dimension) << "' AND ";
      b.Matches("value", f) << ")";
    } else {
      b.Matches(sql.session_expr, f);
    }
    visitor_filters = visitor_filters || sql.kind != DimensionKind::kSessionAttribute;
  }
  b << "),\n";

  b << "pm AS (SELECT * FROM payer_sessions WHERE ";
  SiteAndRange(b, scope, "start_ts");
  if (!scope.filters.empty()) b << " AND session_id IN (SELECT session_id FROM m)";
  b << "),\n";

  // The selected revenue: by its own attribution columns, and by its
  // visitor for the filters a payment has no column for.
  b << "r AS (SELECT ts, visitor_id, revenue_micros, credit_micros";
  if (grouped && SqlOf(*grouped).kind == DimensionKind::kSessionAttribute)
    GroupedColumns(b, *grouped, SqlOf(*grouped).event_expr);
  b << " FROM revenue_events WHERE ";
  SiteAndRange(b, scope, "ts");
  b << " AND attribution = '" << ToString(scope.attribution) << "'";
  for (const Filter& f : scope.filters) {
    DimensionSql sql = SqlOf(f.dimension);
    if (sql.kind != DimensionKind::kSessionAttribute) continue;
    b << " AND " << (Negated(f.op) ? "NOT " : "");
    b.Matches(sql.event_expr, f);
  }
  if (visitor_filters) b << " AND visitor_id IN (SELECT visitor_id FROM m)";
  b << "),\n";

  if (scope.conversion_goal.empty()) {
    b << "conv AS (SELECT DISTINCT visitor_id FROM revenue_events WHERE ";
    SiteAndRange(b, scope, "ts");
    b << " AND attribution = 'last' AND visitor_id <> '' AND revenue_micros > 0)";
  } else {
    b << "conv AS (SELECT DISTINCT visitor_id FROM events WHERE ";
    SiteAndRange(b, scope, "ts");
    b << " AND visitor_id <> '' AND type = 'goal' AND goal_name = ";
    b.Text(scope.conversion_goal) << ")";
  }
  if (rollups) {
    // The rolled-up days, then the sessions of the days not rolled up yet.
    b << ",\nro AS (SELECT day, value, detail, prev_day, sessions, pageviews, bounces, duration FROM rollups WHERE "
         "site_key IN (";
    for (size_t i = 0; i < rollups->site_keys.size(); ++i) {
      if (i > 0) b << ", ";
      b.Int(rollups->site_keys[i]);
    }
    b << ") AND dimension = '" << RollupName(grouped) << "' AND day >= ";
    b.Int(rollups->from_day) << " AND day < ";
    b.Int(rollups->to_day);
    if (rollups->tail_from_micros < scope.to_micros) {
      b << " UNION ALL ";
      RollupRows(b, grouped, rollups->offsets, std::pair{scope.from_micros, rollups->from_day});
      Sites(b, scope);
      b << " AND start_ts >= make_timestamp(";
      b.Int(rollups->tail_from_micros) << ") AND start_ts < make_timestamp(";
      b.Int(scope.to_micros) << ")";
    }
    b << ")";
  }
  b << "\n";
}

// Appends the unique visitors of rows with a previous-session column
// (sessions or session_items). Without filters, the rows whose visitor had
// no earlier one in the range (with the same value of the grouped
// dimension: `previous` names that column); with filters, a distinct count
// of a 64-bit hash of the visitor id (two of ten million visitors share a
// hash with odds of about 1 in 370,000).
void VisitorCount(Builder& b, const ReportScope& scope, std::string_view previous) {
  if (scope.filters.empty()) {
    b << "count(*) FILTER (WHERE " << previous << " IS NULL OR " << previous << " < make_timestamp(";
    b.Int(scope.from_micros) << ")) AS visitors";
  } else {
    b << "count(DISTINCT hash(visitor_id)) AS visitors";
  }
}

// Appends the visitors (VisitorCount) and the other counts of the sessions
// in m.
void SessionCounts(Builder& b, const ReportScope& scope, std::string_view previous) {
  VisitorCount(b, scope, previous);
  b << ", count(*) AS sessions, coalesce(sum(pageviews), 0) AS pageviews, "
       "count(*) FILTER (WHERE pageviews = 1 AND interactions = 0) AS bounces, "
       "coalesce(sum(epoch_us(end_ts) - epoch_us(start_ts)), 0) AS duration";
}

// The same from the rollup rows in ro: a row's sessions are first of their
// visitor in the range when the previous one is before it. Goal rows count
// completions where the others count pageviews.
void RollupCounts(Builder& b, const RollupDays& rollups, bool goal = false) {
  b << "coalesce(sum(sessions) FILTER (WHERE prev_day IS NULL OR prev_day < ";
  b.Int(rollups.from_day) << "), 0) AS visitors, coalesce(sum(sessions), 0) AS sessions, "
                          << (goal ? "0" : "coalesce(sum(pageviews), 0)")
                          << " AS pageviews, coalesce(sum(bounces), 0) AS bounces, "
                             "coalesce(sum(duration), 0) AS duration, "
                          << (goal ? "coalesce(sum(pageviews), 0)" : "0") << " AS completions";
}

// Appends the CTE cv: the distinct converted visitors per key, which
// `keys` appends (each named, each followed by ", "), from `payer_rows`
// (pm or ph: converting means paying) or, when a goal is the conversion,
// from `rows` (m or hits).
template <typename Keys>
void Converted(Builder& b, const ReportScope& scope, std::string_view payer_rows, std::string_view rows, Keys keys) {
  b << ", cv AS (SELECT * EXCLUDE (visitor_id), count(*) AS converted FROM (SELECT DISTINCT ";
  keys();
  b << "visitor_id FROM " << (scope.conversion_goal.empty() ? payer_rows : rows)
    << ") WHERE visitor_id IN (SELECT visitor_id FROM conv) GROUP BY ALL)";
}

constexpr std::string_view kRevenueSums =
    "coalesce(sum(revenue_micros), 0) AS revenue, coalesce(sum(credit_micros) FILTER (WHERE revenue_micros > 0), 0) "
    "AS payments";

}  // namespace

Statement Summarize(const ReportScope& scope, const std::optional<RollupDays>& rollups) {
  Builder b;
  Head(b, scope, rollups);
  Converted(b, scope, "pm", "m", [] {});
  b << "\nSELECT t.visitors, t.sessions, t.pageviews, t.bounces, t.duration, v.revenue, v.payments, c.converted FROM "
       "(SELECT ";
  if (rollups) {
    RollupCounts(b, *rollups);
    b << " FROM ro) t";
  } else {
    SessionCounts(b, scope, "prev_start");
    b << " FROM m) t";
  }
  b << ", (SELECT " << kRevenueSums << " FROM r) v, cv c";
  return b.Done();
}

Statement Breakdown(const ReportScope& scope, Dimension dimension, size_t limit, size_t offset,
                    const std::optional<RollupDays>& rollups) {
  Builder b;
  DimensionSql sql = SqlOf(dimension);
  Detail detail = DetailOf(dimension);
  bool per_session = sql.kind == DimensionKind::kSessionAttribute || sql.kind == DimensionKind::kExitPage;
  bool goal = sql.kind == DimensionKind::kGoal;
  std::string name(query::ToString(dimension));
  Head(b, scope, rollups, dimension);

  std::string detail_key = detail == Detail::kCountryKey ? "country" : "''";
  if (per_session) {
    // Converted visitors from the sessions' attribute.
    Converted(b, scope, "pm", "m", [&] { b << sql.session_expr << " AS value, " << detail_key << " AS detail, "; });
  } else {
    // The pages, hostnames or goals of the selected sessions (hits), and
    // of those whose visitor has revenue (ph); a filter on the same
    // dimension also narrows the rows (filtering page = /a lists /a).
    for (const char* items : {"hits", "ph"}) {
      bool payers = items == std::string_view("ph");
      b << ", " << items << " AS (SELECT value, visitor_id" << (payers ? "" : ", hits, prev_start") << " FROM "
        << (payers ? "payer_items" : "session_items") << " WHERE ";
      SiteAndRange(b, scope, "start_ts");
      b << " AND kind = '" << ItemKind(dimension) << "'";
      if (!scope.filters.empty()) b << " AND session_id IN (SELECT session_id FROM m)";
      for (const Filter& f : scope.filters) {
        if (f.dimension != dimension) continue;
        b << " AND " << (Negated(f.op) ? "NOT " : "");
        b.Matches("value", f);
      }
      b << ")";
    }
    Converted(b, scope, "ph", "hits", [&] { b << "value, '' AS detail, "; });
  }

  b << ", counted AS (SELECT ";
  if (rollups) {
    b << "value, ";
    if (detail == Detail::kReferrerDomain) {
      b << "min(detail)";
    } else {
      b << (detail == Detail::kCountryKey ? "detail" : "''");
    }
    b << " AS detail, ";
    RollupCounts(b, *rollups, goal);
    b << " FROM ro GROUP BY value" << (detail == Detail::kCountryKey ? ", detail" : "") << ")";
  } else if (per_session) {
    b << sql.session_expr << " AS value, ";
    if (detail == Detail::kReferrerDomain) {
      b << "min(referrer_domain)";
    } else {
      b << detail_key;
    }
    b << " AS detail, ";
    SessionCounts(b, scope, "prev_" + name);
    b << ", 0 AS completions FROM m GROUP BY value" << (detail == Detail::kCountryKey ? ", detail" : "") << ")";
  } else {
    b << "value, '' AS detail, ";
    VisitorCount(b, scope, "prev_start");
    b << ", count(*) AS sessions, " << (goal ? "0" : "sum(hits)") << " AS pageviews, 0 AS bounces, 0 AS duration, "
      << (goal ? "sum(hits)" : "0") << " AS completions FROM hits GROUP BY value)";
  }
  std::string on_detail = detail == Detail::kCountryKey ? " AND c.detail = cv.detail" : "";
  b << ", rows AS (SELECT c.*, coalesce(cv.converted, 0) AS converted FROM counted c LEFT JOIN cv ON c.value = "
       "cv.value"
    << on_detail << ")";

  if (sql.kind == DimensionKind::kSessionAttribute) {
    // A payment counts under its own attribution.
    b << ", rv AS (SELECT " << sql.event_expr << " AS value, " << detail_key << " AS detail, " << kRevenueSums
      << " FROM r GROUP BY value, detail)";
  } else {
    // A payment counts for each row its visitor has.
    b << ", pay AS (SELECT hash(visitor_id) AS vkey, " << kRevenueSums
      << " FROM r WHERE visitor_id <> '' GROUP BY vkey)";
    b << ", pairs AS (SELECT DISTINCT " << (sql.kind == DimensionKind::kExitPage ? "exit_page" : "value")
      << " AS value, hash(visitor_id) AS vkey FROM " << (sql.kind == DimensionKind::kExitPage ? "pm" : "ph")
      << " WHERE hash(visitor_id) IN (SELECT vkey FROM pay))";
    b << ", rv AS (SELECT value, '' AS detail, sum(revenue) AS revenue, sum(payments) AS payments "
         "FROM pairs JOIN pay USING (vkey) GROUP BY value)";
  }

  // Referrer rows join payments by name alone; the detail is the rows'.
  std::string on =
      detail == Detail::kCountryKey ? "rows.value = rv.value AND rows.detail = rv.detail" : "rows.value = rv.value";
  b << ", j AS (SELECT coalesce(rows.value, rv.value) AS value, coalesce(rows.detail, rv.detail) AS detail, "
       "coalesce(visitors, 0) AS visitors, coalesce(sessions, 0) AS sessions, coalesce(pageviews, 0) AS pageviews, "
       "coalesce(bounces, 0) AS bounces, coalesce(duration, 0) AS duration, coalesce(revenue, 0) AS revenue, "
       "coalesce(payments, 0) AS payments, coalesce(converted, 0) AS converted, "
       "coalesce(completions, 0) AS completions FROM rows FULL OUTER JOIN rv ON "
    << on << (sql.kind == DimensionKind::kSessionAttribute ? "" : " WHERE rows.value IS NOT NULL") << ")\n";
  b << "SELECT value, detail, visitors, sessions, pageviews, bounces, duration, revenue, payments, converted, "
       "completions, count(*) OVER () AS total_rows FROM j"
    << (HidesEmptyValue(dimension) ? " WHERE value <> ''" : "")
    << " ORDER BY visitors DESC, revenue DESC, value, detail LIMIT ";
  b.Int(static_cast<int64_t>(limit)) << " OFFSET ";
  b.Int(static_cast<int64_t>(offset));
  return b.Done();
}

Statement Timeseries(const ReportScope& scope, query::Interval interval, std::span<const core::OffsetSpan> offsets,
                     const std::optional<RollupDays>& rollups) {
  Builder b;
  Head(b, scope, rollups);
  b << ", counted AS (SELECT ";
  if (rollups) {
    // A visitor's first session in the bucket: none before it in the range,
    // or the one before in an earlier bucket.
    DayBucket(b, "day", interval);
    b << " AS bucket, coalesce(sum(sessions) FILTER (WHERE prev_day IS NULL OR prev_day < ";
    b.Int(rollups->from_day) << " OR ";
    DayBucket(b, "prev_day", interval);
    b << " <> ";
    DayBucket(b, "day", interval);
    b << "), 0) AS visitors, sum(sessions) AS sessions, sum(pageviews) AS pageviews FROM ro GROUP BY bucket)";
  } else {
    Bucket(b, "start_ts", interval, offsets);
    b << " AS bucket, ";
    if (scope.filters.empty()) {
      b << "count(*) FILTER (WHERE prev_start IS NULL OR prev_start < make_timestamp(";
      b.Int(scope.from_micros) << ") OR ";
      Bucket(b, "prev_start", interval, offsets);
      b << " <> ";
      Bucket(b, "start_ts", interval, offsets);
      b << ") AS visitors";
    } else {
      b << "count(DISTINCT hash(visitor_id)) AS visitors";
    }
    b << ", count(*) AS sessions, sum(pageviews) AS pageviews FROM m GROUP BY bucket)";
  }
  Converted(b, scope, "pm", "m", [&] {
    Bucket(b, "start_ts", interval, offsets);
    b << " AS bucket, ";
  });
  b << ", rows AS (SELECT c.*, coalesce(cv.converted, 0) AS converted FROM counted c "
       "LEFT JOIN cv USING (bucket)), rv AS (SELECT ";
  Bucket(b, "ts", interval, offsets);
  b << " AS bucket, " << kRevenueSums << " FROM r GROUP BY bucket)\n"
    << "SELECT epoch_us(coalesce(rows.bucket, rv.bucket)), coalesce(visitors, 0), coalesce(sessions, 0), "
       "coalesce(pageviews, 0), coalesce(revenue, 0), coalesce(payments, 0), coalesce(converted, 0) "
       "FROM rows FULL OUTER JOIN rv ON rows.bucket = rv.bucket ORDER BY 1";
  return b.Done();
}

std::vector<Statement> RebuildRollups(const std::string& site_id, int64_t site_key, int64_t since_micros,
                                      int64_t before_day, std::span<const core::OffsetSpan> offsets) {
  std::vector<Statement> out;
  auto statement = [&](auto&& write) {
    Builder b;
    write(b);
    out.push_back(b.Done());
  };
  auto dirty_day = [&](Builder& b) { LocalDay(b, "ts", offsets); };
  statement([&](Builder& b) {
    b << "CREATE OR REPLACE TEMP TABLE rollup_days AS SELECT DISTINCT ";
    dirty_day(b);
    b << " AS day FROM dirty_rollups WHERE site_id = ";
    b.Text(site_id) << " AND ";
    dirty_day(b);
    b << " < ";
    b.Int(before_day);
  });
  // One dirty row is enough for each day left for later.
  statement([&](Builder& b) {
    b << "CREATE OR REPLACE TEMP TABLE later_days AS SELECT min(ts) AS ts FROM dirty_rollups WHERE site_id = ";
    b.Text(site_id) << " AND ";
    dirty_day(b);
    b << " >= ";
    b.Int(before_day) << " GROUP BY ";
    dirty_day(b);
  });
  statement([&](Builder& b) {
    b << "DELETE FROM rollups WHERE site_key = ";
    b.Int(site_key) << " AND day IN (SELECT day FROM rollup_days)";
  });
  // Every session, then one dimension at a time, in day order: reports
  // read a dimension's days, and DuckDB skips the row groups outside them.
  std::vector<std::optional<Dimension>> dimensions = {std::nullopt};
  dimensions.insert(dimensions.end(), std::begin(kPerSessionDimensions), std::end(kPerSessionDimensions));
  for (Dimension d : {Dimension::kPage, Dimension::kHostname, Dimension::kGoal}) dimensions.push_back(d);
  for (const std::optional<Dimension>& d : dimensions) {
    statement([&](Builder& b) {
      bool referrer = d && DetailOf(*d) == Detail::kReferrerDomain;
      b << "INSERT INTO rollups SELECT ";
      b.Int(site_key) << ", day, '" << RollupName(d) << "', value, " << (referrer ? "min(detail)" : "detail")
                      << ", prev_day, sum(sessions), sum(pageviews), sum(bounces), sum(duration) FROM (";
      RollupRows(b, d, offsets);
      b << "site_id = ";
      b.Text(site_id) << " AND start_ts >= make_timestamp(";
      b.Int(since_micros) << ")) WHERE day IN (SELECT day FROM rollup_days) GROUP BY day, value, prev_day"
                          << (referrer ? "" : ", detail") << " ORDER BY day";
    });
  }
  statement([&](Builder& b) {
    b << "DELETE FROM dirty_rollups WHERE site_id = ";
    b.Text(site_id);
  });
  statement([&](Builder& b) {
    b << "INSERT INTO dirty_rollups SELECT ";
    b.Text(site_id) << ", ts FROM later_days";
  });
  return out;
}

namespace {}  // namespace

std::string InsertRebuiltSessions() {
  std::string columns = "site_id, session_id, visitor_id, start_ts, end_ts, pageviews, interactions";
  std::string values =
      "e.site_id, e.session_id, min(e.visitor_id), min(e.ts), max(e.ts), "
      "count(*) FILTER (WHERE e.type = 'pageview'), "
      "count(*) FILTER (WHERE e.type IN ('goal', 'outbound', 'payment'))";
  for (const auto& [column, source] : kFromFirstPageview) {
    columns += std::string(", ") + column;
    values += std::string(", coalesce(arg_min(e.") + source + ", e.ts) FILTER (WHERE e.type = 'pageview'), '')";
  }
  columns += ", exit_page";
  values += ", coalesce(arg_max(e.pathname, e.ts) FILTER (WHERE e.type = 'pageview'), '')";
  return "INSERT INTO sessions (" + columns + ") SELECT " + values +
         " FROM events e JOIN refresh r ON e.site_id = r.site_id AND e.session_id = r.session_id "
         "WHERE e.ts >= (SELECT min(since) FROM refresh) GROUP BY e.site_id, e.session_id";
}

std::vector<std::string> CopyPayerRows(std::string_view sessions) {
  std::string columns = "site_id, session_id, visitor_id, start_ts";
  for (const auto& [column, source] : kFromFirstPageview) columns += std::string(", ") + column;
  columns += ", exit_page";
  std::string of_payers = std::string(" SEMI JOIN (") + std::string(sessions) +
                          ") c ON c.site_id = t.site_id AND c.session_id = t.session_id "
                          "SEMI JOIN (SELECT DISTINCT site_id, visitor_id FROM revenue_events) p "
                          "ON p.site_id = t.site_id AND p.visitor_id = t.visitor_id";
  return {"INSERT INTO payer_sessions SELECT " + columns + " FROM sessions t" + of_payers,
          "INSERT INTO payer_items SELECT site_id, session_id, visitor_id, start_ts, kind, value FROM session_items t" +
              of_payers};
}

namespace {

// Rewrites the rows of `table` that belong to the visitors in the temp
// table `touched` with `lags` (a `SELECT * REPLACE` list) computed anew.
// Deleting and inserting them is six times faster in DuckDB than updating
// committed rows in place (0.46 M sessions: 9 s against 51 s). They go back
// in time order: reports of a period skip the row groups outside it by
// their start_ts bounds, which rows in any other order would all span.
// The rows are copied out before the windows run: DuckDB sizes a window's
// partitions by the planner's estimate of its input, which for a semi join
// is a fifth of the table, and on 100 M events (46 M sessions) the windows
// over 25,000 sessions then ran out of the 2 GB memory limit.
std::vector<std::string> RewriteWithLags(const std::string& table, const std::string& lags) {
  return {"CREATE OR REPLACE TEMP TABLE relag_rows AS SELECT * FROM " + table +
              " SEMI JOIN touched USING (site_id, visitor_id)",
          "DELETE FROM " + table + " USING touched t WHERE " + table + ".site_id = t.site_id AND " + table +
              ".visitor_id = t.visitor_id",
          "INSERT INTO " + table + " SELECT * REPLACE (" + lags + ") FROM relag_rows ORDER BY start_ts",
          "DROP TABLE relag_rows"};
}

}  // namespace

std::vector<std::string> UpdatePreviousColumns() {
  std::string lags =
      "lag(start_ts) OVER (PARTITION BY site_id, visitor_id ORDER BY start_ts, session_id) AS prev_start";
  for (Dimension d : kPerSessionDimensions) {
    std::string partition = SqlOf(d).session_expr;
    if (DetailOf(d) == Detail::kCountryKey) partition = "country, " + partition;
    lags += ", lag(start_ts) OVER (PARTITION BY site_id, visitor_id, " + partition +
            " ORDER BY start_ts, session_id) AS prev_" + std::string(query::ToString(d));
  }
  std::vector<std::string> statements = RewriteWithLags("sessions", lags);
  for (std::string& statement : RewriteWithLags(
           "session_items",
           "lag(start_ts) OVER (PARTITION BY site_id, visitor_id, kind, value ORDER BY start_ts, session_id) AS "
           "prev_start")) {
    statements.push_back(std::move(statement));
  }
  return statements;
}

}  // namespace datafast::store::duckdb_sql
