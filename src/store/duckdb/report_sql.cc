#include "store/duckdb/report_sql.h"

#include <algorithm>
#include <set>

namespace datafast::store::duckdb_sql {
namespace {

using query::Dimension;
using query::Filter;
using query::FilterOp;

// How a dimension is read (store/report.h).
enum class Kind {
  kSessionAttribute,  // of the session's first pageview; kRevenue events carry their own
  kPageEvent,         // of each pageview
  kExitPage,          // of the session's last pageview
  kGoal,              // of each goal
};

struct DimensionSql {
  Kind kind;
  std::string expr;                  // over an events row
  std::vector<std::string> columns;  // what `expr` reads
};

DimensionSql SqlOf(Dimension d) {
  auto column = [](const char* name) { return DimensionSql{Kind::kSessionAttribute, name, {name}}; };
  switch (d) {
    case Dimension::kChannel:
      return column("channel");
    case Dimension::kReferrer:
      return {Kind::kSessionAttribute,
              "CASE WHEN source <> '' THEN source ELSE referrer_domain END",
              {"source", "referrer_domain"}};
    case Dimension::kReferrerDomain:
      return column("referrer_domain");
    case Dimension::kUtmSource:
      return column("utm_source");
    case Dimension::kUtmMedium:
      return column("utm_medium");
    case Dimension::kUtmCampaign:
      return column("utm_campaign");
    case Dimension::kUtmTerm:
      return column("utm_term");
    case Dimension::kUtmContent:
      return column("utm_content");
    case Dimension::kRef:
      return column("ref_param");
    case Dimension::kSource:
      return column("source_param");
    case Dimension::kVia:
      return column("via_param");
    case Dimension::kEntryPage:
      return column("pathname");
    case Dimension::kCountry:
      return column("country");
    case Dimension::kRegion:
      return column("region");
    case Dimension::kCity:
      return column("city");
    case Dimension::kBrowser:
      return column("browser");
    case Dimension::kOs:
      return column("os");
    case Dimension::kDevice:
      return column("device");
    case Dimension::kPage:
      return {Kind::kPageEvent, "pathname", {"pathname"}};
    case Dimension::kHostname:
      return {Kind::kPageEvent, "hostname", {"hostname"}};
    case Dimension::kExitPage:
      return {Kind::kExitPage, "pathname", {"pathname"}};
    case Dimension::kGoal:
      return {Kind::kGoal, "goal_name", {"goal_name"}};
  }
  return column("channel");
}

// Rows without a value are left out for these: a visit without a campaign
// is not a campaign.
bool HidesEmptyValue(Dimension d) {
  switch (d) {
    case Dimension::kUtmSource:
    case Dimension::kUtmMedium:
    case Dimension::kUtmCampaign:
    case Dimension::kUtmTerm:
    case Dimension::kUtmContent:
    case Dimension::kRef:
    case Dimension::kSource:
    case Dimension::kVia:
    case Dimension::kGoal:
      return true;
    default:
      return false;
  }
}

// Regions and cities are told apart by country ("Georgia"); referrers show
// one of their domains.
enum class Detail { kNone, kCountryKey, kReferrerDomain };
Detail DetailOf(Dimension d) {
  if (d == Dimension::kRegion || d == Dimension::kCity) return Detail::kCountryKey;
  if (d == Dimension::kReferrer) return Detail::kReferrerDomain;
  return Detail::kNone;
}

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

// The common head of every report: CTEs ev (the scope's events), s
// (sessions with their attributes), m (the sessions the filters select), r
// (the revenue events they select) and conv (visitors who converted).
// `attributes` are the session attributes the report needs beyond filters.
void Head(Builder& b, const ReportScope& scope, const std::vector<Dimension>& attributes) {
  std::set<std::string> columns = {"ts", "type", "visitor_id", "session_id", "revenue_micros", "goal_name"};
  for (Dimension d : attributes)
    for (const std::string& c : SqlOf(d).columns) columns.insert(c);
  for (const Filter& f : scope.filters)
    for (const std::string& c : SqlOf(f.dimension).columns) columns.insert(c);
  if (std::any_of(scope.filters.begin(), scope.filters.end(),
                  [](const Filter& f) { return DetailOf(f.dimension) != Detail::kNone; }) ||
      std::any_of(attributes.begin(), attributes.end(), [](Dimension d) { return DetailOf(d) != Detail::kNone; })) {
    columns.insert("country");
    columns.insert("referrer_domain");
  }

  b << "WITH ev AS MATERIALIZED (SELECT ";
  bool first = true;
  for (const std::string& c : columns) {
    b << (first ? "" : ", ") << c;
    first = false;
  }
  b << " FROM events WHERE site_id IN (";
  for (size_t i = 0; i < scope.site_ids.size(); ++i) {
    if (i > 0) b << ", ";
    b.Text(scope.site_ids[i]);
  }
  b << ") AND ts >= make_timestamp(";
  b.Int(scope.from_micros) << ") AND ts < make_timestamp(";
  b.Int(scope.to_micros) << ")),\n";

  // Sessions: one row each, with the first pageview's attributes (a_*) and,
  // for each page, hostname or goal filter, whether any event matched (f*).
  b << "s AS (SELECT session_id, min(visitor_id) AS visitor_id, min(ts) AS first_ts, max(ts) AS last_ts, "
       "count(*) FILTER (WHERE type = 'pageview') AS pageviews, "
       "count(*) FILTER (WHERE type IN ('goal', 'outbound', 'payment')) AS interactions";
  std::set<Dimension> wanted(attributes.begin(), attributes.end());
  for (const Filter& f : scope.filters) wanted.insert(f.dimension);
  for (Dimension d : wanted) {
    DimensionSql sql = SqlOf(d);
    std::string name(query::ToString(d));
    if (sql.kind == Kind::kSessionAttribute) {
      b << ", coalesce(arg_min(" << sql.expr << ", ts) FILTER (WHERE type = 'pageview'), '') AS a_" << name;
    } else if (sql.kind == Kind::kExitPage) {
      b << ", coalesce(arg_max(pathname, ts) FILTER (WHERE type = 'pageview'), '') AS a_" << name;
    }
  }
  if (wanted.contains(Dimension::kRegion) || wanted.contains(Dimension::kCity)) {
    b << ", coalesce(arg_min(country, ts) FILTER (WHERE type = 'pageview'), '') AS a_country_key";
  }
  if (wanted.contains(Dimension::kReferrer)) {
    b << ", coalesce(arg_min(referrer_domain, ts) FILTER (WHERE type = 'pageview'), '') AS a_referrer_domain_detail";
  }
  for (size_t i = 0; i < scope.filters.size(); ++i) {
    const Filter& f = scope.filters[i];
    DimensionSql sql = SqlOf(f.dimension);
    if (sql.kind != Kind::kPageEvent && sql.kind != Kind::kGoal) continue;
    b << ", bool_or(type = '" << (sql.kind == Kind::kGoal ? "goal" : "pageview") << "' AND ";
    b.Matches(sql.expr, f) << ") AS f" << std::to_string(i);
  }
  b << " FROM ev WHERE type <> 'revenue' GROUP BY session_id),\n";

  // The selected sessions.
  b << "m AS (SELECT * FROM s WHERE TRUE";
  bool visitor_filters = false;
  for (size_t i = 0; i < scope.filters.size(); ++i) {
    const Filter& f = scope.filters[i];
    Kind kind = SqlOf(f.dimension).kind;
    b << " AND " << (Negated(f.op) ? "NOT " : "");
    if (kind == Kind::kPageEvent || kind == Kind::kGoal) {
      b << "coalesce(f" << std::to_string(i) << ", FALSE)";
    } else {
      b.Matches("a_" + std::string(query::ToString(f.dimension)), f);
    }
    visitor_filters = visitor_filters || kind != Kind::kSessionAttribute;
  }
  b << "),\n";

  // The selected revenue: by its own attribution columns, and by its
  // visitor for the filters a payment has no column for.
  b << "r AS (SELECT * FROM ev WHERE type = 'revenue'";
  for (const Filter& f : scope.filters) {
    DimensionSql sql = SqlOf(f.dimension);
    if (sql.kind != Kind::kSessionAttribute) continue;
    b << " AND " << (Negated(f.op) ? "NOT " : "");
    b.Matches(sql.expr, f);
  }
  if (visitor_filters) b << " AND visitor_id IN (SELECT visitor_id FROM m)";
  b << "),\n";

  b << "conv AS (SELECT DISTINCT visitor_id FROM ev WHERE visitor_id <> '' AND ";
  if (scope.conversion_goal.empty()) {
    b << "type = 'revenue' AND revenue_micros > 0";
  } else {
    b << "type = 'goal' AND goal_name = ";
    b.Text(scope.conversion_goal);
  }
  b << ")\n";
}

constexpr std::string_view kSessionCounts =
    "count(DISTINCT visitor_id) AS visitors, count(*) AS sessions, coalesce(sum(pageviews), 0) AS pageviews, "
    "count(*) FILTER (WHERE pageviews = 1 AND interactions = 0) AS bounces, "
    "coalesce(sum(epoch_us(last_ts) - epoch_us(first_ts)), 0) AS duration, "
    "count(DISTINCT visitor_id) FILTER (WHERE visitor_id IN (SELECT visitor_id FROM conv)) AS converted";

constexpr std::string_view kRevenueSums =
    "coalesce(sum(revenue_micros), 0) AS revenue, count(*) FILTER (WHERE revenue_micros > 0) AS payments";

// Appends ts's offset from UTC: the offset of its span.
void Offset(Builder& b, std::span<const core::OffsetSpan> offsets) {
  b << "to_seconds(";
  if (offsets.size() > 1) b << "CASE";
  for (size_t i = 1; i < offsets.size(); ++i) {
    b << " WHEN ts < make_timestamp(";
    b.Int(offsets[i].from_seconds * 1'000'000) << ") THEN ";
    b.Int(offsets[i - 1].offset_seconds);
  }
  if (offsets.size() > 1) b << " ELSE ";
  b.Int(offsets.empty() ? 0 : offsets.back().offset_seconds);
  b << (offsets.size() > 1 ? " END)" : ")");
}

// Appends the start of ts's bucket: for hours the UTC instant the local hour
// starts (so the two 02:00s of a fall-back night stay apart), for the others
// the local wall time.
void Bucket(Builder& b, query::Interval interval, std::span<const core::OffsetSpan> offsets) {
  std::string unit = interval == query::Interval::kHour   ? "hour"
                     : interval == query::Interval::kDay  ? "day"
                     : interval == query::Interval::kWeek ? "week"
                                                          : "month";
  b << "date_trunc('" << unit << "', ts + ";
  Offset(b, offsets);
  b << ")";
  if (interval == query::Interval::kHour) {
    b << " - ";
    Offset(b, offsets);
  }
}

}  // namespace

Statement Summarize(const ReportScope& scope) {
  Builder b;
  Head(b, scope, {});
  b << "SELECT t.visitors, t.sessions, t.pageviews, t.bounces, t.duration, v.revenue, v.payments, t.converted FROM "
       "(SELECT "
    << kSessionCounts << " FROM m) t, (SELECT " << kRevenueSums << " FROM r) v";
  return b.Done();
}

Statement Breakdown(const ReportScope& scope, Dimension dimension, size_t limit, size_t offset) {
  Builder b;
  DimensionSql sql = SqlOf(dimension);
  Detail detail = DetailOf(dimension);
  Head(b, scope, {dimension});
  std::string name(query::ToString(dimension));
  std::string detail_key = detail == Detail::kCountryKey ? "a_country_key" : "''";

  if (sql.kind == Kind::kSessionAttribute || sql.kind == Kind::kExitPage) {
    // Rows from the sessions' attribute.
    b << ", rows AS (SELECT a_" << name << " AS value, ";
    if (detail == Detail::kReferrerDomain) {
      b << "min(a_referrer_domain_detail) AS detail, ";
    } else {
      b << detail_key << " AS detail, ";
    }
    b << kSessionCounts << ", 0 AS completions FROM m GROUP BY value"
      << (detail == Detail::kCountryKey ? ", detail" : "") << ")";
  } else {
    // Rows from the selected sessions' pageviews or goals; a filter on the
    // same dimension also narrows the rows (filtering page = /a lists /a).
    bool goal = sql.kind == Kind::kGoal;
    b << ", hits AS (SELECT ev." << sql.expr << " AS value, ev.visitor_id, ev.session_id FROM ev JOIN m USING "
      << "(session_id) WHERE ev.type = '" << (goal ? "goal" : "pageview") << "'";
    for (const Filter& f : scope.filters) {
      if (f.dimension != dimension) continue;
      b << " AND " << (Negated(f.op) ? "NOT " : "");
      b.Matches("ev." + sql.expr, f);
    }
    b << "), rows AS (SELECT value, '' AS detail, count(DISTINCT visitor_id) AS visitors, "
         "count(DISTINCT session_id) AS sessions, "
      << (goal ? "0" : "count(*)")
      << " AS pageviews, 0 AS bounces, 0 AS duration, "
         "count(DISTINCT visitor_id) FILTER (WHERE visitor_id IN (SELECT visitor_id FROM conv)) AS converted, "
      << (goal ? "count(*)" : "0") << " AS completions FROM hits GROUP BY value)";
  }

  if (sql.kind == Kind::kSessionAttribute) {
    // A payment counts under its own attribution.
    b << ", rv AS (SELECT " << sql.expr << " AS value, " << (detail == Detail::kCountryKey ? "country" : "''")
      << " AS detail, " << kRevenueSums << " FROM r GROUP BY value, detail)";
  } else {
    // A payment counts for each row its visitor has.
    b << ", pay AS (SELECT visitor_id, " << kRevenueSums << " FROM r WHERE visitor_id <> '' GROUP BY visitor_id)";
    if (sql.kind == Kind::kExitPage) {
      b << ", pairs AS (SELECT DISTINCT a_exit_page AS value, visitor_id FROM m)";
    } else {
      b << ", pairs AS (SELECT DISTINCT value, visitor_id FROM hits)";
    }
    b << ", rv AS (SELECT value, '' AS detail, sum(revenue) AS revenue, sum(payments) AS payments "
         "FROM pairs JOIN pay USING (visitor_id) GROUP BY value)";
  }

  // Referrer rows join payments by name alone; the detail is the rows'.
  std::string on =
      detail == Detail::kCountryKey ? "rows.value = rv.value AND rows.detail = rv.detail" : "rows.value = rv.value";
  b << ", j AS (SELECT coalesce(rows.value, rv.value) AS value, coalesce(rows.detail, rv.detail) AS detail, "
       "coalesce(visitors, 0) AS visitors, coalesce(sessions, 0) AS sessions, coalesce(pageviews, 0) AS pageviews, "
       "coalesce(bounces, 0) AS bounces, coalesce(duration, 0) AS duration, coalesce(revenue, 0) AS revenue, "
       "coalesce(payments, 0) AS payments, coalesce(converted, 0) AS converted, "
       "coalesce(completions, 0) AS completions FROM rows FULL OUTER JOIN rv ON "
    << on << (sql.kind == Kind::kSessionAttribute ? "" : " WHERE rows.value IS NOT NULL") << ")\n";
  b << "SELECT value, detail, visitors, sessions, pageviews, bounces, duration, revenue, payments, converted, "
       "completions, count(*) OVER () AS total_rows FROM j"
    << (HidesEmptyValue(dimension) ? " WHERE value <> ''" : "")
    << " ORDER BY visitors DESC, revenue DESC, value, detail LIMIT ";
  b.Int(static_cast<int64_t>(limit)) << " OFFSET ";
  b.Int(static_cast<int64_t>(offset));
  return b.Done();
}

Statement Timeseries(const ReportScope& scope, query::Interval interval, std::span<const core::OffsetSpan> offsets) {
  Builder b;
  Head(b, scope, {});
  b << ", hits AS (SELECT ";
  Bucket(b, interval, offsets);
  b << " AS bucket, ev.visitor_id, ev.session_id, ev.type FROM ev JOIN m USING (session_id) WHERE ev.type <> 'revenue')"
       ", rows AS (SELECT bucket, count(DISTINCT visitor_id) AS visitors, count(DISTINCT session_id) AS sessions, "
       "count(*) FILTER (WHERE type = 'pageview') AS pageviews, "
       "count(DISTINCT visitor_id) FILTER (WHERE visitor_id IN (SELECT visitor_id FROM conv)) AS converted "
       "FROM hits GROUP BY bucket)"
       ", rv AS (SELECT ";
  Bucket(b, interval, offsets);
  b << " AS bucket, " << kRevenueSums << " FROM r GROUP BY bucket)\n"
    << "SELECT epoch_us(coalesce(rows.bucket, rv.bucket)), coalesce(visitors, 0), coalesce(sessions, 0), "
       "coalesce(pageviews, 0), coalesce(revenue, 0), coalesce(payments, 0), coalesce(converted, 0) "
       "FROM rows FULL OUTER JOIN rv ON rows.bucket = rv.bucket ORDER BY 1";
  return b.Done();
}

}  // namespace datafast::store::duckdb_sql
