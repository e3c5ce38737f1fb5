#include "store/clickhouse/reports.h"

#include "store/report_dimensions.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace datafast::store::clickhouse {
namespace {

using query::Dimension;
using query::Filter;
using query::FilterOp;

bool IsItem(DimensionKind kind) { return kind == DimensionKind::kPageEvent || kind == DimensionKind::kGoal; }

// The event type a page, hostname or goal item is counted from.
std::string_view ItemType(Dimension d) { return d == Dimension::kGoal ? "goal" : "pageview"; }

bool Negated(FilterOp op) { return op == FilterOp::kIsNot || op == FilterOp::kDoesNotContain; }

// The positive form of `filter` on `expr`: is → expr IN (…), contains → a
// case-insensitive substring test on any value.
std::string Matches(const std::string& expr, const Filter& filter) {
  bool contains = filter.op == FilterOp::kContains || filter.op == FilterOp::kDoesNotContain;
  std::string out = contains ? "(" : "(" + expr + " IN (";
  for (size_t i = 0; i < filter.values.size(); ++i) {
    if (i > 0) out += contains ? " OR " : ", ";
    out += contains ? "position(lowerUTF8(" + expr + "), lowerUTF8(" + Quote(filter.values[i]) + ")) > 0"
                    : Quote(filter.values[i]);
  }
  return out + (contains ? ")" : "))");
}

std::string Int(int64_t v) { return std::to_string(v); }
int64_t ToInt(const std::string& s) { return std::strtoll(s.c_str(), nullptr, 10); }

std::string Sites(const ReportScope& scope) {
  std::string out = "site_id IN (";
  for (size_t i = 0; i < scope.site_ids.size(); ++i) out += (i ? ", " : "") + Quote(scope.site_ids[i]);
  return out + ")";
}

std::string InRange(const ReportScope& scope, std::string_view column) {
  std::string c(column);
  return c + " >= " + Int(scope.from_micros) + " AND " + c + " < " + Int(scope.to_micros);
}

// The columns of a session row, as both kinds of session read give them.
std::string SessionColumns() {
  std::string out = "session_id, visitor_id, start_ts, end_ts, pageviews, interactions";
  for (const auto& [column, source] : kFromFirstPageview) out += std::string(", ") + column;
  return out + ", exit_page";
}

// The sessions table's array of a page, hostname or goal item.
std::string_view ItemArray(Dimension d) {
  return d == Dimension::kGoal ? "goals" : d == Dimension::kHostname ? "hostnames" : "pages";
}

// Where `column` falls in any of `spans`.
std::string InAny(const std::vector<Span>& spans, std::string_view column) {
  std::string c(column), out = "(";
  for (size_t i = 0; i < spans.size(); ++i) {
    out += (i ? " OR " : "") + std::string("(") + c + " >= " + Int(spans[i].from_micros) + " AND " + c + " < " +
           Int(spans[i].to_micros) + ")";
  }
  return out + ")";
}

// The parts of the scope's range inside the sealed spans, or outside them.
std::vector<Span> Split(const ReportScope& scope, const SealedSpans& sealed, bool inside) {
  std::vector<Span> out;
  int64_t at = scope.from_micros;
  for (const Span& s : sealed) {
    int64_t from = std::max(s.from_micros, scope.from_micros), to = std::min(s.to_micros, scope.to_micros);
    if (from >= to) continue;
    if (inside) out.push_back({from, to});
    if (!inside && at < from) out.push_back({at, from});
    at = to;
  }
  if (!inside && at < scope.to_micros) out.push_back({at, scope.to_micros});
  return out;
}

// Where the events of sessions that start at `at`, outside the sealed
// spans, are read from: the day before the open stretch around it, so a
// session that began earlier shows as beginning before `at`.
int64_t OpenLookback(const SealedSpans& sealed, int64_t at) {
  int64_t stretch = -1;
  for (const Span& s : sealed) {
    if (s.to_micros <= at) stretch = s.to_micros;
  }
  return stretch < 0 ? 0 : stretch - kDayMicros;
}

// The columns of SessionColumns() for events grouped by session.
std::string GroupedSessionColumns() {
  std::string out =
      "session_id, min(visitor_id) AS visitor_id, min(ts) AS start_ts, max(ts) AS end_ts, "
      "countIf(type = 'pageview') AS pageviews, countIf(type IN ('goal', 'outbound', 'payment')) AS interactions";
  for (const auto& [column, source] : kFromFirstPageview) {
    out += std::string(", argMinIf(") + source + ", ts, type = 'pageview') AS " + column;
  }
  return out + ", argMaxIf(pathname, ts, type = 'pageview') AS exit_page";
}

// The sealed sessions of the scope that pass its filters: rows of the
// sessions table.
std::string SealedSessions(const ReportScope& scope, const std::vector<Span>& spans,
                           const std::string& columns = SessionColumns(), const std::string& also = "1") {
  std::string where = Sites(scope) + " AND " + also + " AND day >= " + Int(spans.front().from_micros / kDayMicros) +
                      " AND day <= " + Int((spans.back().to_micros - 1) / kDayMicros) + " AND " +
                      InAny(spans, "start_ts");
  for (const Filter& f : scope.filters) {
    DimensionSql sql = SqlOf(f.dimension);
    if (IsItem(sql.kind)) {
      where += " AND arrayCount(v -> " + Matches("v", f) + ", " + std::string(ItemArray(f.dimension)) + ")" +
               (Negated(f.op) ? " = 0" : " > 0");
    } else {
      where += std::string(" AND ") + (Negated(f.op) ? "NOT " : "") + Matches(sql.session_expr, f);
    }
  }
  return "SELECT " + columns + " FROM sessions WHERE " + where;
}

// The other sessions of the scope that pass its filters, grouped from all
// of their events.
std::string OpenSessions(const ReportScope& scope, const SealedSpans& sealed, const std::vector<Span>& spans) {
  std::string columns = GroupedSessionColumns();
  std::string where = InAny(spans, "start_ts");
  for (size_t i = 0; i < scope.filters.size(); ++i) {
    const Filter& f = scope.filters[i];
    DimensionSql sql = SqlOf(f.dimension);
    if (IsItem(sql.kind)) {
      // Sessions with a matching page, hostname or goal.
      std::string hits = "f" + std::to_string(i);
      columns += ", countIf(type = '" + std::string(ItemType(f.dimension)) + "' AND " + Matches(sql.event_expr, f) +
                 ") AS " + hits;
      where += " AND " + hits + (Negated(f.op) ? " = 0" : " > 0");
    } else {
      where += std::string(" AND ") + (Negated(f.op) ? "NOT " : "") + Matches(sql.session_expr, f);
    }
  }
  std::string events = Sites(scope) + " AND type != 'revenue'";
  return "SELECT " + SessionColumns() + " FROM (SELECT " + columns + " FROM events WHERE " + events +
         " AND ts >= " + Int(OpenLookback(sealed, spans.front().from_micros)) +
         " AND session_id IN (SELECT session_id FROM events WHERE " + events + " AND " + InAny(spans, "ts") +
         ") GROUP BY site_id, session_id) WHERE " + where;
}

// A subquery: one row per session of the scope's sites that starts in its
// range and passes its filters, from the sessions table where its start is
// sealed and from its events elsewhere.
std::string Sessions(const ReportScope& scope, const SealedSpans& sealed) {
  std::vector<Span> in = Split(scope, sealed, true), out = Split(scope, sealed, false);
  if (in.empty() && out.empty()) return "(" + SealedSessions(scope, {{0, 0}}) + ")";
  if (in.empty()) return "(" + OpenSessions(scope, sealed, out) + ")";
  if (out.empty()) return "(" + SealedSessions(scope, in) + ")";
  return "(SELECT * FROM (" + SealedSessions(scope, in) + " UNION ALL " + OpenSessions(scope, sealed, out) + "))";
}

// A subquery: rows of `value` (a page, hostname or goal: `dimension`),
// visitor_id, and `sessions` and `views`, whose sums by value are its
// sessions and views, for the scope's sessions whose visitors pass
// `visitors` (a condition on visitor_id); a filter on the same dimension
// also narrows the rows (filtering page = /a lists /a). Summed, sessions
// need no set of their ids (docs/adr/0012).
std::string Items(const ReportScope& scope, const SealedSpans& sealed, Dimension dimension,
                  const std::string& visitors = "1") {
  std::vector<Span> in = Split(scope, sealed, true), out = Split(scope, sealed, false);
  std::vector<std::string> parts;
  if (!in.empty() || out.empty()) {
    // A row per item of a session's array; the first of each value counts
    // the session.
    std::string columns = "visitor_id, " + std::string(ItemArray(dimension)) + " AS items";
    parts.push_back("SELECT value, visitor_id, toUInt64(occurrence = 1) AS sessions, toUInt64(1) AS views FROM (" +
                    SealedSessions(scope, in.empty() ? std::vector<Span>{{0, 0}} : in, columns, visitors) +
                    ") ARRAY JOIN items AS value, arrayEnumerateUniq(items) AS occurrence");
  }
  if (!out.empty()) {
    parts.push_back("SELECT * FROM (SELECT " + SqlOf(dimension).event_expr +
                    " AS value, min(visitor_id) AS visitor_id, toUInt64(1) AS sessions, count() AS views FROM events "
                    "WHERE " +
                    Sites(scope) + " AND type = '" + std::string(ItemType(dimension)) +
                    "' AND ts >= " + Int(out.front().from_micros) + " AND session_id IN (SELECT session_id FROM (" +
                    OpenSessions(scope, sealed, out) + ")) GROUP BY value, session_id) WHERE " + visitors);
  }
  std::string where = "1";
  for (const Filter& f : scope.filters) {
    if (f.dimension == dimension) where += std::string(" AND ") + (Negated(f.op) ? "NOT " : "") + Matches("value", f);
  }
  std::string all = parts.size() == 1 ? parts.front() : parts[0] + " UNION ALL " + parts[1];
  return "(SELECT * FROM (" + all + ") WHERE " + where + ")";
}

bool HasVisitorFilters(const ReportScope& scope) {
  return std::any_of(scope.filters.begin(), scope.filters.end(),
                     [](const Filter& f) { return SqlOf(f.dimension).kind != DimensionKind::kSessionAttribute; });
}

// The conditions on events that select the scope's revenue: by its own
// attribution columns, and by its visitor for the filters a payment has no
// column for.
std::string RevenueRows(const ReportScope& scope, const SealedSpans& sealed) {
  std::string where = Sites(scope) + " AND type = 'revenue' AND attribution = " + Quote(ToString(scope.attribution)) +
                      " AND " + InRange(scope, "ts");
  for (const Filter& f : scope.filters) {
    DimensionSql sql = SqlOf(f.dimension);
    if (sql.kind != DimensionKind::kSessionAttribute) continue;
    where += std::string(" AND ") + (Negated(f.op) ? "NOT " : "") + Matches(sql.event_expr, f);
  }
  if (HasVisitorFilters(scope)) where += " AND visitor_id IN (SELECT visitor_id FROM " + Sessions(scope, sealed) + ")";
  return where;
}

// The visitors who converted in the range: by paying or, with a conversion
// goal, by completing it.
std::string Converting(const ReportScope& scope) {
  std::string base =
      "SELECT visitor_id FROM events WHERE " + Sites(scope) + " AND " + InRange(scope, "ts") + " AND visitor_id != ''";
  if (scope.conversion_goal.empty())
    return base + " AND type = 'revenue' AND attribution = 'last' AND revenue_micros > 0";
  return base + " AND type = 'goal' AND goal_name = " + Quote(scope.conversion_goal);
}

// Distinct visitors and sessions are counted by a 64-bit hash of their
// ids (store/report.h): a set of integers is much cheaper than of strings.
std::string Distinct(std::string_view id) { return "uniqExact(cityHash64(" + std::string(id) + "))"; }

// Visitors, sessions, pageviews, bounces, duration and converted visitors
// of session rows.
std::string SessionCounts(const ReportScope& scope) {
  return Distinct("visitor_id") +
         ", count(), sum(pageviews), countIf(pageviews = 1 AND interactions = 0), sum(end_ts - start_ts), "
         "uniqExactIf(cityHash64(visitor_id), visitor_id IN (" +
         Converting(scope) + "))";
}
constexpr std::string_view kRevenueSums = "sum(revenue_micros), sumIf(credit_micros, revenue_micros > 0)";

double Payments(const std::string& credit_micros) { return static_cast<double>(ToInt(credit_micros)) / 1e6; }

// Counts from the fields at `at`, as SessionCounts gives them.
void ReadSessionCounts(const std::vector<std::string>& row, size_t at, Metrics& m) {
  m.visitors = static_cast<uint64_t>(ToInt(row[at]));
  m.sessions = static_cast<uint64_t>(ToInt(row[at + 1]));
  m.pageviews = static_cast<uint64_t>(ToInt(row[at + 2]));
  m.bounces = static_cast<uint64_t>(ToInt(row[at + 3]));
  m.duration_micros = ToInt(row[at + 4]);
  m.converted_visitors = static_cast<uint64_t>(ToInt(row[at + 5]));
}

// For rows a visitor has rather than a payment (pages, exit pages…): adds
// each visitor's revenue in the scope to the row of each distinct `value`
// of theirs among the rows of `from`.
Status AddVisitorsRevenue(const QueryFn& query, const ReportScope& scope, const SealedSpans& sealed,
                          const std::string& value, const std::string& from,
                          const std::function<BreakdownRow&(const std::string&)>& row) {
  auto revenue = query("SELECT visitor_id, " + std::string(kRevenueSums) + " FROM events WHERE " +
                       RevenueRows(scope, sealed) + " AND visitor_id != '' GROUP BY visitor_id");
  if (!revenue.ok()) return revenue.status();
  std::unordered_map<std::string, std::pair<int64_t, double>> by_visitor;
  for (const auto& r : *revenue) by_visitor[r[0]] = {ToInt(r[1]), Payments(r[2])};
  auto pairs = query("SELECT DISTINCT " + value + ", visitor_id FROM " + from +
                     " WHERE visitor_id IN (SELECT visitor_id FROM events WHERE " + RevenueRows(scope, sealed) + ")");
  if (!pairs.ok()) return pairs.status();
  for (const auto& r : *pairs) {
    auto it = by_visitor.find(r[1]);
    if (it == by_visitor.end()) continue;
    BreakdownRow& b = row(r[0]);
    b.metrics.revenue_micros += it->second.first;
    b.metrics.payments += it->second.second;
  }
  return Status::Ok();
}

// Local time of the micros in `column`: the offset of its span added.
std::string LocalSeconds(const std::string& column, std::span<const core::OffsetSpan> offsets) {
  std::string offset;
  if (offsets.size() <= 1) {
    offset = Int(offsets.empty() ? 0 : offsets.front().offset_seconds);
  } else {
    offset = "multiIf(";
    for (size_t i = 1; i < offsets.size(); ++i) {
      offset +=
          column + " < " + Int(offsets[i].from_seconds * 1'000'000) + ", " + Int(offsets[i - 1].offset_seconds) + ", ";
    }
    offset += Int(offsets.back().offset_seconds) + ")";
  }
  return "(intDiv(" + column + ", 1000000) + " + offset + ")";
}

// The bucket of `column`, as store::BucketRow keys it: for hours the UTC
// instant the local hour starts, else the local start's wall time in
// seconds; for months the YYYYMM number, turned into seconds here.
std::string Bucket(const std::string& column, query::Interval interval, std::span<const core::OffsetSpan> offsets) {
  std::string local = LocalSeconds(column, offsets);
  switch (interval) {
    case query::Interval::kHour:
      return "(" + local + " - " + local + " % 3600 - (" + local + " - intDiv(" + column + ", 1000000)))";
    case query::Interval::kDay:
      return "(" + local + " - " + local + " % 86400)";
    case query::Interval::kWeek:
      // 1970-01-01 was a Thursday: weeks start on the Monday before.
      return "((intDiv(" + local + ", 86400) - (intDiv(" + local + ", 86400) + 3) % 7) * 86400)";
    case query::Interval::kMonth:
      return "toYYYYMM(toDateTime(" + local + ", 'UTC'))";
  }
  return local;
}

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t BucketSeconds(const std::string& field, query::Interval interval) {
  int64_t v = ToInt(field);
  if (interval != query::Interval::kMonth) return v;
  return DaysFromCivil(v / 100, v % 100, 1) * 86400;
}

// The fields of one line of TabSeparated output, unescaped.
std::vector<std::string> TsvFields(std::string_view line) {
  std::vector<std::string> fields(1);
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\t') {
      fields.emplace_back();
    } else if (c == '\\' && i + 1 < line.size()) {
      char e = line[++i];
      fields.back() += e == 't'   ? '\t'
                       : e == 'n' ? '\n'
                       : e == 'r' ? '\r'
                       : e == '0' ? '\0'
                       : e == 'b' ? '\b'
                       : e == 'f' ? '\f'
                                  : e;
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

Rows ReadTabSeparated(std::string_view body) {
  Rows rows;
  while (!body.empty()) {
    size_t end = body.find('\n');
    rows.push_back(TsvFields(body.substr(0, end)));
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return rows;
}

std::string Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string SealInsert(std::string_view table, Span days, int64_t sealed_at) {
  std::string from = Int(days.from_micros), to = Int(days.to_micros);
  std::string columns = "site_id, " + SessionColumns() + ", pages, hostnames, goals";
  // A session that began the day before shows as beginning before `from`
  // and is left out: its day holds it.
  return "INSERT INTO " + std::string(table) + " (day, sealed_at, " + columns + ") SELECT intDiv(start_ts, " +
         Int(kDayMicros) + "), " + Int(sealed_at) + ", " + columns + " FROM (SELECT site_id, " +
         GroupedSessionColumns() +
         ", groupArrayIf(pathname, type = 'pageview') AS pages, groupArrayIf(hostname, type = 'pageview') AS "
         "hostnames, groupArrayIf(goal_name, type = 'goal') AS goals FROM events WHERE type != 'revenue' AND ts >= " +
         Int(days.from_micros - kDayMicros) +
         " AND (site_id, session_id) IN (SELECT site_id, session_id FROM events WHERE type != 'revenue' AND ts >= " +
         from + " AND ts < " + to + ") GROUP BY site_id, session_id) WHERE start_ts >= " + from + " AND start_ts < " +
         to;
}

Result<Metrics> Summarize(const QueryFn& query, const ReportScope& scope, const SealedSpans& sealed) {
  std::string sessions = Sessions(scope, sealed);
  auto counts = query("SELECT " + SessionCounts(scope) + " FROM " + sessions);
  if (!counts.ok()) return counts.status();
  auto revenue = query("SELECT " + std::string(kRevenueSums) + " FROM events WHERE " + RevenueRows(scope, sealed));
  if (!revenue.ok()) return revenue.status();
  Metrics m;
  ReadSessionCounts(counts->front(), 0, m);
  m.revenue_micros = ToInt(revenue->front()[0]);
  m.payments = Payments(revenue->front()[1]);
  return m;
}

Result<BreakdownPage> Breakdown(const QueryFn& query, const ReportScope& scope, const SealedSpans& sealed,
                                Dimension dimension, size_t limit, size_t offset, uint64_t sessions_per_share) {
  DimensionSql sql = SqlOf(dimension);
  bool country = DetailOf(dimension) == Detail::kCountryKey;
  bool referrer = DetailOf(dimension) == Detail::kReferrerDomain;
  std::string sessions = Sessions(scope, sealed);
  using Key = std::pair<std::string, std::string>;  // value, detail
  std::map<Key, BreakdownRow> rows;
  auto row = [&](const Key& key) -> BreakdownRow& {
    BreakdownRow& r = rows[key];
    r.value = key.first;
    r.detail = key.second;
    return r;
  };

  if (IsItem(sql.kind)) {
    // Each item's visitors are a set of their ids, and a year of a busy
    // site has more (item, visitor) pairs than a query's memory holds. So
    // the visitors are split by their id's hash into disjoint shares of
    // about sessions_per_share sealed sessions (the open ones are a day or
    // two), each counted by a query of its own: the shares' counts add up.
    uint64_t shares = 1;
    if (std::vector<Span> in = Split(scope, sealed, true); !in.empty()) {
      auto sealed_sessions = query("SELECT count() FROM (" + SealedSessions(scope, in, "session_id") + ")");
      if (!sealed_sessions.ok()) return sealed_sessions.status();
      shares += static_cast<uint64_t>(ToInt(sealed_sessions->front()[0])) / std::max<uint64_t>(1, sessions_per_share);
    }
    bool goal = dimension == Dimension::kGoal;
    for (uint64_t share = 0; share < shares; ++share) {
      std::string visitors =
          shares == 1 ? "1" : "cityHash64(visitor_id) % " + std::to_string(shares) + " = " + std::to_string(share);
      auto counted =
          query("SELECT value, " + Distinct("visitor_id") +
                ", sum(sessions), sum(views), uniqExactIf(cityHash64(visitor_id), visitor_id IN (" + Converting(scope) +
                ")) FROM " + Items(scope, sealed, dimension, visitors) + " GROUP BY value");
      if (!counted.ok()) return counted.status();
      for (const auto& r : *counted) {
        Metrics& m = row({r[0], ""}).metrics;
        m.visitors += static_cast<uint64_t>(ToInt(r[1]));
        m.sessions += static_cast<uint64_t>(ToInt(r[2]));
        (goal ? m.completions : m.pageviews) += static_cast<uint64_t>(ToInt(r[3]));
        m.converted_visitors += static_cast<uint64_t>(ToInt(r[4]));
      }
    }
    // A payment counts for each row its visitor has.
    DF_RETURN_IF_ERROR(AddVisitorsRevenue(query, scope, sealed, "value", Items(scope, sealed, dimension),
                                          [&](const std::string& v) -> BreakdownRow& {
                                            return row({v, ""});
                                          }));
  } else {
    std::string value = sql.session_expr;
    std::string detail = country ? "country" : referrer ? "min(referrer_domain)" : "''";
    std::string group = country ? "value, detail" : "value";
    auto counted = query("SELECT " + value + " AS value, " + detail + " AS detail, " + SessionCounts(scope) + " FROM " +
                         sessions + " GROUP BY " + group);
    if (!counted.ok()) return counted.status();
    // Referrer rows are keyed by name alone; the detail is the rows'.
    std::map<std::string, std::string> detail_of;
    for (const auto& r : *counted) {
      std::string d = referrer ? "" : r[1];
      BreakdownRow& b = row({r[0], d});
      ReadSessionCounts(r, 2, b.metrics);
      if (referrer) detail_of[r[0]] = r[1];
    }
    if (sql.kind == DimensionKind::kSessionAttribute) {
      // A payment counts under its own attribution.
      auto revenue = query("SELECT " + sql.event_expr + " AS value, " + std::string(country ? "country" : "''") +
                           " AS detail, " + std::string(kRevenueSums) + " FROM events WHERE " +
                           RevenueRows(scope, sealed) + " GROUP BY value, detail");
      if (!revenue.ok()) return revenue.status();
      for (const auto& r : *revenue) {
        BreakdownRow& b = row({r[0], r[1]});
        b.metrics.revenue_micros += ToInt(r[2]);
        b.metrics.payments += Payments(r[3]);
      }
    } else {
      // Exit pages: a payment counts for each exit page its visitor has.
      DF_RETURN_IF_ERROR(
          AddVisitorsRevenue(query, scope, sealed, "exit_page", sessions, [&](const std::string& v) -> BreakdownRow& {
            return row({v, ""});
          }));
    }
    for (auto& [key, b] : rows) {
      if (auto d = detail_of.find(key.first); d != detail_of.end()) b.detail = d->second;
    }
  }

  BreakdownPage page;
  std::vector<BreakdownRow> all;
  for (auto& [key, b] : rows) {
    if (HidesEmptyValue(dimension) && b.value.empty()) continue;
    all.push_back(std::move(b));
  }
  std::sort(all.begin(), all.end(), [](const BreakdownRow& a, const BreakdownRow& b) {
    if (a.metrics.visitors != b.metrics.visitors) return a.metrics.visitors > b.metrics.visitors;
    if (a.metrics.revenue_micros != b.metrics.revenue_micros)
      return a.metrics.revenue_micros > b.metrics.revenue_micros;
    if (a.value != b.value) return a.value < b.value;
    return a.detail < b.detail;
  });
  page.total_rows = all.size();
  for (size_t i = offset; i < all.size() && i < offset + limit; ++i) page.rows.push_back(std::move(all[i]));
  return page;
}

Result<std::vector<BucketRow>> Timeseries(const QueryFn& query, const ReportScope& scope, const SealedSpans& sealed,
                                          query::Interval interval, std::span<const core::OffsetSpan> offsets) {
  std::string sessions = Sessions(scope, sealed);
  std::string start_bucket = Bucket("start_ts", interval, offsets);
  std::map<int64_t, Metrics> buckets;
  auto counted = query("SELECT " + start_bucket + " AS bucket, " + SessionCounts(scope) + " FROM " + sessions +
                       " GROUP BY bucket");
  if (!counted.ok()) return counted.status();
  for (const auto& r : *counted) {
    Metrics& m = buckets[BucketSeconds(r[0], interval)];
    ReadSessionCounts(r, 1, m);
    // Buckets count no bounces or duration (store::BucketRow).
    m.bounces = 0;
    m.duration_micros = 0;
  }
  auto revenue = query("SELECT " + Bucket("ts", interval, offsets) + " AS bucket, " + std::string(kRevenueSums) +
                       " FROM events WHERE " + RevenueRows(scope, sealed) + " GROUP BY bucket");
  if (!revenue.ok()) return revenue.status();
  for (const auto& r : *revenue) {
    Metrics& m = buckets[BucketSeconds(r[0], interval)];
    m.revenue_micros = ToInt(r[1]);
    m.payments = Payments(r[2]);
  }
  std::vector<BucketRow> out;
  for (const auto& [start, m] : buckets) out.push_back({start, m});
  return out;
}

Result<Realtime> RecentActivity(const QueryFn& query, std::span<const std::string> site_ids, int64_t since_micros,
                                size_t recent_limit, const std::function<Event(const std::vector<std::string>&)>& read,
                                const std::string& columns) {
  std::string sites = "site_id IN (";
  for (size_t i = 0; i < site_ids.size(); ++i) sites += (i ? ", " : "") + Quote(site_ids[i]);
  sites += ") AND ts >= " + Int(since_micros);
  Realtime out;
  auto visitors = query("SELECT uniqExact(visitor_id) FROM events WHERE " + sites + " AND type != 'revenue'");
  if (!visitors.ok()) return visitors.status();
  out.visitors = static_cast<uint64_t>(ToInt(visitors->front()[0]));
  auto places = query("SELECT country, region, city, uniqExact(visitor_id) AS n FROM events WHERE " + sites +
                      " AND type != 'revenue' GROUP BY country, region, city ORDER BY n DESC, country, region, city");
  if (!places.ok()) return places.status();
  for (const auto& r : *places) out.locations.push_back({r[0], r[1], r[2], static_cast<uint64_t>(ToInt(r[3]))});
  for (bool payments : {false, true}) {
    auto events = query("SELECT " + columns + " FROM events WHERE " + sites +
                        (payments ? " AND type = 'revenue' AND attribution = 'last'" : " AND type != 'revenue'") +
                        " ORDER BY ts DESC, event_id LIMIT " + std::to_string(recent_limit));
    if (!events.ok()) return events.status();
    for (const auto& r : *events) (payments ? out.recent_payments : out.recent_events).push_back(read(r));
  }
  return out;
}

}  // namespace datafast::store::clickhouse
