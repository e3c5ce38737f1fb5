#include "store/duckdb/duckdb_event_store.h"

#include <duckdb.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <limits>
#include <map>
#include <mutex>
#include <optional>

#include "core/time_zone.h"
#include "store/duckdb/report_sql.h"
#include "store/migrations.h"
#include "store/read_windows.h"

namespace datafast::store {
namespace {

// Column order of the events table, shared by the appender and SELECT.
constexpr const char* kColumns =
    "event_id, site_id, epoch_us(ts), type, visitor_id, session_id, hostname, pathname, referrer, "
    "referrer_domain, source, channel, utm_source, utm_medium, utm_campaign, utm_term, utm_content, ref_param, "
    "source_param, via_param, click_id, goal_name, goal_params, outbound_url, payment_provider, payment_id, "
    "country, region, city, browser, browser_version, os, os_version, device, screen_width, language, revenue_micros, "
    "attribution, credit_micros";

// Reports sum the credit_micros of payments: millionths of a payment.
double PaymentsOf(int64_t credit_micros) { return static_cast<double>(credit_micros) / 1e6; }

// How many sessions one rebuild transaction takes on.
constexpr int kSessionsPerRebuild = 100'000;

// event_id, site_id, ts, type, the text fields, screen_width, language,
// revenue_micros, attribution, credit_micros.
constexpr idx_t kColumnCount = 4 + kEventTextFields.size() + 5;

// A DELETE of the rows of `table` that match a row of `keys` on site_id and
// `column`.
std::string DeleteMatching(std::string_view table, std::string_view keys, std::string_view column) {
  std::string t(table);
  return "DELETE FROM " + t + " USING " + std::string(keys) + " k WHERE " + t + ".site_id = k.site_id AND " + t + "." +
         std::string(column) + " = k." + std::string(column);
}

// Owns a duckdb_result and frees it on every path.
class QueryResult {
 public:
  QueryResult() = default;
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;
  ~QueryResult() { duckdb_destroy_result(&result_); }
  duckdb_result* get() { return &result_; }

  std::string Text(idx_t col, idx_t row) {
    char* v = duckdb_value_varchar(&result_, col, row);
    std::string s = v ? v : "";
    duckdb_free(v);
    return s;
  }
  int64_t Int(idx_t col, idx_t row) { return duckdb_value_int64(&result_, col, row); }
  idx_t rows() { return duckdb_row_count(&result_); }

 private:
  duckdb_result result_{};
};

// Owns a prepared statement; a failed prepare surfaces at Execute.
class Statement {
 public:
  Statement(duckdb_connection con, const char* sql) { prepared_ = duckdb_prepare(con, sql, &stmt_) != DuckDBError; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { duckdb_destroy_prepare(&stmt_); }
  duckdb_prepared_statement get() { return stmt_; }

  Status Execute(QueryResult& out) {
    if (!prepared_) return Status::IoError(duckdb_prepare_error(stmt_));
    if (duckdb_execute_prepared(stmt_, out.get()) == DuckDBError)
      return Status::IoError(duckdb_result_error(out.get()));
    return Status::Ok();
  }

 private:
  duckdb_prepared_statement stmt_ = nullptr;
  bool prepared_ = false;
};

class DuckDbEventStore final : public EventStore {
 public:
  DuckDbEventStore(duckdb_database db, duckdb_connection writer, duckdb_connection queries)
      : db_(db), writer_(writer), queries_(queries) {}

  ~DuckDbEventStore() override {
    if (chunk_) duckdb_destroy_data_chunk(&chunk_);
    for (duckdb_appender* a : {&appender_, &revenue_appender_, &dirty_appender_, &payer_appender_}) {
      if (*a) duckdb_appender_destroy(a);
    }
    if (refresher_) duckdb_disconnect(&refresher_);
    duckdb_disconnect(&queries_);
    duckdb_disconnect(&writer_);
    duckdb_close(&db_);
  }

  Status Init() {
    DF_RETURN_IF_ERROR(Exec(writer_, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"));
    QueryResult current;
    if (duckdb_query(writer_, "SELECT coalesce(max(version), 0) FROM schema_migrations", current.get()) ==
        DuckDBError) {
      return Status::IoError(duckdb_result_error(current.get()));
    }
    int64_t have = current.Int(0, 0);
    for (const Migration& m : MigrationsFor("duckdb")) {
      if (m.version <= have) continue;
      std::string sql = "BEGIN TRANSACTION;\n" + std::string(m.sql) + "\nINSERT INTO schema_migrations VALUES (" +
                        std::to_string(m.version) + ");\nCOMMIT;";
      Status s = Exec(writer_, sql.c_str());
      if (!s.ok()) {
        (void)Exec(writer_, "ROLLBACK");
        return s.WithContext("migration " + std::string(m.name));
      }
    }
    DF_RETURN_IF_ERROR(CreateAppenders());
    for (duckdb_appender appender : {appender_, revenue_appender_}) {
      if (duckdb_appender_column_count(appender) != kColumnCount) {
        return Status::Internal("the events tables have " + std::to_string(duckdb_appender_column_count(appender)) +
                                " columns; this build writes " + std::to_string(kColumnCount));
      }
    }
    std::array<duckdb_logical_type, kColumnCount> types;
    for (idx_t c = 0; c < kColumnCount; ++c) types[c] = duckdb_appender_column_type(appender_, c);
    chunk_ = duckdb_create_data_chunk(types.data(), kColumnCount);
    for (duckdb_logical_type& type : types) duckdb_destroy_logical_type(&type);
    if (duckdb_connect(db_, &refresher_) == DuckDBError) return Status::IoError("cannot connect for sessions");
    QueryResult zones;
    if (duckdb_query(refresher_, "SELECT site_id, time_zone, site_key FROM rollup_zones", zones.get()) == DuckDBError) {
      return Status::IoError(duckdb_result_error(zones.get()));
    }
    for (idx_t row = 0; row < zones.rows(); ++row) {
      rollup_zones_[zones.Text(0, row)] = {zones.Text(1, row), zones.Int(2, row)};
    }
    return Status::Ok();
  }

  Status Append(std::span<const Event> events) override {
    // An explicit transaction around the appender: if any row fails, nothing
    // of the batch is kept (destroying an appender flushes what it holds, so
    // that flush must land in a transaction we then roll back).
    DF_RETURN_IF_ERROR(Exec(writer_, "BEGIN TRANSACTION").WithContext("begin"));
    Status status = AppendRows(appender_, events, false);
    if (status.ok()) status = AppendRows(revenue_appender_, events, true);
    for (duckdb_appender appender : {appender_, revenue_appender_}) {
      if (status.ok() && duckdb_appender_flush(appender) == DuckDBError) {
        status = Status::IoError(duckdb_appender_error(appender)).WithContext("flush events");
      }
    }
    if (status.ok()) status = MarkSessionsDirty(events);
    if (status.ok()) status = Exec(writer_, "COMMIT").WithContext("commit events");
    if (status.ok()) {
      ++changes_;
      return status;
    }
    for (duckdb_appender* a : {&appender_, &revenue_appender_, &dirty_appender_, &payer_appender_}) {
      duckdb_appender_destroy(a);
    }
    (void)Exec(writer_, "ROLLBACK");
    if (Status s = CreateAppenders(); !s.ok()) {
      return Status::IoError("cannot recreate the appenders after: " + status.message());
    }
    return status;
  }

  Status ForEachEvent(std::string_view site_id, const std::function<void(const Event&)>& fn) override {
    std::vector<MinuteCount> minutes;
    {
      QueryResult r;
      std::lock_guard lock(queries_mu_);
      Statement stmt(queries_,
                     "SELECT epoch_us(date_trunc('minute', ts)) AS minute, count(*) FROM all_events "
                     "WHERE site_id = $1 GROUP BY minute ORDER BY minute");
      BindText(stmt, 1, site_id);
      DF_RETURN_IF_ERROR(stmt.Execute(r).WithContext("count events per minute"));
      minutes.reserve(r.rows());
      for (idx_t row = 0; row < r.rows(); ++row) {
        minutes.push_back({r.Int(0, row), static_cast<uint64_t>(r.Int(1, row))});
      }
    }
    // A page at a time within each window, each after the last one's final
    // (ts, event_id): a single minute may hold more than a page.
    std::string sql = std::string("SELECT ") + kColumns +
                      " FROM all_events WHERE site_id = $1 AND ts >= make_timestamp($2) AND ts < make_timestamp($3) "
                      "AND (ts, event_id) > (make_timestamp($4), $5) ORDER BY ts, event_id LIMIT " +
                      std::to_string(kEventsPerRead);
    for (const ReadWindow& window : PlanReadWindows(minutes, kEventsPerRead)) {
      int64_t after_ts = window.from_micros - 1;
      std::string after_id;
      for (;;) {
        QueryResult r;
        {
          std::lock_guard lock(queries_mu_);
          Statement stmt(queries_, sql.c_str());
          BindText(stmt, 1, site_id);
          duckdb_bind_int64(stmt.get(), 2, window.from_micros);
          duckdb_bind_int64(stmt.get(), 3, window.to_micros);
          duckdb_bind_int64(stmt.get(), 4, after_ts);
          BindText(stmt, 5, after_id);
          DF_RETURN_IF_ERROR(stmt.Execute(r).WithContext("read events"));
        }
        for (idx_t row = 0; row < r.rows(); ++row) fn(ReadEvent(r, row));
        if (r.rows() < kEventsPerRead) break;
        // kColumns starts with event_id, site_id, epoch_us(ts).
        after_id = r.Text(0, r.rows() - 1);
        after_ts = r.Int(2, r.rows() - 1);
      }
    }
    return Status::Ok();
  }

  Result<SiteActivity> Activity(std::string_view site_id, std::string_view probe_pathname,
                                size_t recent_limit) override {
    std::lock_guard lock(queries_mu_);
    SiteActivity activity;
    {
      Statement stmt(queries_,
                     "SELECT count(*) FILTER (WHERE pathname <> $2), count(*) FILTER (WHERE pathname = $2), "
                     "coalesce(epoch_us(min(ts) FILTER (WHERE pathname <> $2)), 0), "
                     "coalesce(epoch_us(max(ts) FILTER (WHERE pathname <> $2)), 0) FROM all_events WHERE site_id = $1");
      BindText(stmt, 1, site_id);
      BindText(stmt, 2, probe_pathname);
      QueryResult r;
      DF_RETURN_IF_ERROR(stmt.Execute(r).WithContext("site activity"));
      activity.events = static_cast<uint64_t>(r.Int(0, 0));
      activity.probe_events = static_cast<uint64_t>(r.Int(1, 0));
      activity.first_ts_micros = r.Int(2, 0);
      activity.last_ts_micros = r.Int(3, 0);
    }
    std::string sql =
        std::string("SELECT ") + kColumns + " FROM all_events WHERE site_id = $1 ORDER BY ts DESC, event_id LIMIT $2";
    Statement stmt(queries_, sql.c_str());
    BindText(stmt, 1, site_id);
    duckdb_bind_uint64(stmt.get(), 2, recent_limit);
    QueryResult r;
    DF_RETURN_IF_ERROR(stmt.Execute(r).WithContext("recent events"));
    for (idx_t row = 0; row < r.rows(); ++row) activity.recent.push_back(ReadEvent(r, row));
    return activity;
  }

  Result<uint64_t> DeleteSiteEvents(std::string_view site_id) override {
    std::vector<duckdb_sql::Statement> statements;
    for (const char* table : {"events", "revenue_events", "sessions", "session_items", "dirty_sessions",
                              "payer_sessions", "payer_items", "new_payers", "dirty_rollups"}) {
      statements.push_back({"DELETE FROM " + std::string(table) + " WHERE site_id = $1", {std::string(site_id)}});
    }
    statements.push_back(
        {"DELETE FROM rollups WHERE site_key IN (SELECT site_key FROM rollup_zones WHERE site_id = $1)",
         {std::string(site_id)}});
    statements.push_back({"DELETE FROM rollup_zones WHERE site_id = $1", {std::string(site_id)}});
    auto deleted = Delete(statements, 2);
    if (deleted.ok()) {
      std::lock_guard lock(refresh_mu_);
      rollup_zones_.erase(std::string(site_id));
    }
    return deleted;
  }

  Result<uint64_t> DeleteVisitorEvents(std::string_view site_id, std::string_view visitor_id) override {
    std::vector<duckdb_sql::Param> visitor = {std::string(site_id), std::string(visitor_id)};
    return Delete({{"DELETE FROM events WHERE site_id = $1 AND visitor_id = $2", visitor},
                   {"DELETE FROM revenue_events WHERE site_id = $1 AND visitor_id = $2", visitor},
                   // Their days' rollups are rebuilt without them.
                   {"INSERT INTO dirty_rollups SELECT site_id, start_ts FROM sessions "
                    "WHERE site_id = $1 AND visitor_id = $2",
                    visitor},
                   {"DELETE FROM sessions WHERE site_id = $1 AND visitor_id = $2", visitor},
                   {"DELETE FROM session_items WHERE site_id = $1 AND visitor_id = $2", visitor},
                   {"DELETE FROM payer_sessions WHERE site_id = $1 AND visitor_id = $2", visitor},
                   {"DELETE FROM payer_items WHERE site_id = $1 AND visitor_id = $2", visitor},
                   {"DELETE FROM new_payers WHERE site_id = $1 AND visitor_id = $2", visitor}},
                  2);
  }

  Result<std::vector<Event>> SessionStarts(std::string_view site_id, std::string_view visitor_id, int64_t from_micros,
                                           int64_t to_micros) override {
    // A session that began before the range is not a start inside it, so
    // its first pageview is looked for among all of the visitor's.
    return FirstPageviews("visitor_id = $2 AND ts < make_timestamp($4)", "ts >= make_timestamp($3)",
                          {std::string(site_id), std::string(visitor_id), from_micros, to_micros});
  }

  Result<std::optional<Event>> SessionStart(std::string_view site_id, std::string_view session_id) override {
    auto starts = FirstPageviews("session_id = $2", "true", {std::string(site_id), std::string(session_id)});
    if (!starts.ok()) return starts.status();
    if (starts->empty()) return std::optional<Event>();
    return std::optional<Event>(std::move(starts->front()));
  }

  Result<std::unordered_map<std::string, int64_t>> FirstSeen(std::string_view site_id,
                                                             const std::vector<std::string>& visitor_ids) override {
    constexpr size_t kPerQuery = 500;
    std::unordered_map<std::string, int64_t> out;
    for (size_t start = 0; start < visitor_ids.size(); start += kPerQuery) {
      std::vector<duckdb_sql::Param> params = {std::string(site_id)};
      std::string in;
      for (size_t i = start; i < std::min(visitor_ids.size(), start + kPerQuery); ++i) {
        params.push_back(visitor_ids[i]);
        in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
      }
      QueryResult r;
      DF_RETURN_IF_ERROR(
          Run({"SELECT visitor_id, epoch_us(min(ts)) FROM events WHERE site_id = $1 AND visitor_id IN (" + in +
                   ") GROUP BY visitor_id",
               std::move(params)},
              r)
              .WithContext("first seen"));
      for (idx_t row = 0; row < r.rows(); ++row) out[r.Text(0, row)] = r.Int(1, row);
    }
    return out;
  }

  Result<std::vector<uint64_t>> NewVisitors(std::string_view site_id, const std::vector<int64_t>& boundaries) override {
    if (boundaries.size() < 2) return std::vector<uint64_t>();
    std::vector<duckdb_sql::Param> params = {std::string(site_id)};
    for (int64_t b : boundaries) params.push_back(b);
    auto at = [](size_t i) { return "make_timestamp($" + std::to_string(i + 2) + ")"; };
    std::string span = "CASE";
    for (size_t i = 1; i < boundaries.size(); ++i) span += " WHEN first < " + at(i) + " THEN " + std::to_string(i - 1);
    span += " END";
    QueryResult r;
    DF_RETURN_IF_ERROR(Run({"SELECT " + span + " AS span, count(*) FROM (SELECT min(ts) AS first FROM events " +
                                "WHERE site_id = $1 GROUP BY visitor_id) WHERE first >= " + at(0) + " AND first < " +
                                at(boundaries.size() - 1) + " GROUP BY span",
                            std::move(params)},
                           r)
                           .WithContext("new visitors"));
    std::vector<uint64_t> counts(boundaries.size() - 1, 0);
    for (idx_t row = 0; row < r.rows(); ++row) counts[static_cast<size_t>(r.Int(0, row))] = r.Int(1, row);
    return counts;
  }

  Result<uint64_t> DeleteRevenueEvents(std::string_view site_id, const std::vector<std::string>& event_ids) override {
    std::vector<duckdb_sql::Statement> statements;
    for (const std::string& id : event_ids) {
      // A payment's rows of the other models have ids that extend its own.
      statements.push_back(
          {"DELETE FROM revenue_events WHERE site_id = $1 AND (event_id = $2 OR "
           "starts_with(event_id, $2 || '.'))",
           {std::string(site_id), id}});
    }
    return Delete(statements, statements.size());
  }

  Result<uint64_t> DeleteEventsBefore(std::string_view site_id, int64_t before_micros) override {
    // Sessions that lost events are rebuilt from what is left (or go).
    std::vector<duckdb_sql::Param> before = {std::string(site_id), before_micros};
    return Delete({{"DELETE FROM events WHERE site_id = $1 AND ts < make_timestamp($2)", before},
                   {"DELETE FROM revenue_events WHERE site_id = $1 AND ts < make_timestamp($2)", before},
                   {"INSERT INTO dirty_sessions SELECT site_id, session_id, start_ts FROM sessions "
                    "WHERE site_id = $1 AND start_ts < make_timestamp($2)",
                    before}},
                  2);
  }

  Result<uint64_t> CountEvents(std::string_view site_id) override {
    std::lock_guard lock(queries_mu_);
    QueryResult r;
    DF_RETURN_IF_ERROR(
        QueryForSite("SELECT count(*) FROM all_events WHERE site_id = $1", site_id, r).WithContext("count events"));
    return static_cast<uint64_t>(r.Int(0, 0));
  }

  Result<uint64_t> CountEventsBetween(std::string_view site_id, int64_t from_micros, int64_t to_micros) override {
    std::lock_guard lock(queries_mu_);
    Statement stmt(queries_,
                   "SELECT count(*) FROM all_events WHERE site_id = $1 AND ts >= make_timestamp($2) "
                   "AND ts < make_timestamp($3)");
    BindText(stmt, 1, site_id);
    duckdb_bind_int64(stmt.get(), 2, from_micros);
    duckdb_bind_int64(stmt.get(), 3, to_micros);
    QueryResult r;
    DF_RETURN_IF_ERROR(stmt.Execute(r).WithContext("count events"));
    return static_cast<uint64_t>(r.Int(0, 0));
  }

  Result<Metrics> Summarize(const ReportScope& scope) override {
    auto rollups = Prepare(scope);
    if (!rollups.ok()) return rollups.status();
    QueryResult r;
    DF_RETURN_IF_ERROR(Run(duckdb_sql::Summarize(scope, *rollups), r).WithContext("summarize"));
    Metrics m;
    if (r.rows() == 1) ReadMetrics(r, 0, 0, m);
    return m;
  }

  Result<BreakdownPage> Breakdown(const ReportScope& scope, query::Dimension dimension, size_t limit,
                                  size_t offset) override {
    auto rollups = Prepare(scope);
    if (!rollups.ok()) return rollups.status();
    QueryResult r;
    DF_RETURN_IF_ERROR(
        Run(duckdb_sql::Breakdown(scope, dimension, limit, offset, *rollups), r).WithContext("breakdown"));
    BreakdownPage page;
    for (idx_t row = 0; row < r.rows(); ++row) {
      BreakdownRow& out = page.rows.emplace_back();
      out.value = r.Text(0, row);
      out.detail = r.Text(1, row);
      ReadMetrics(r, row, 2, out.metrics);
      out.metrics.completions = static_cast<uint64_t>(r.Int(10, row));
      page.total_rows = static_cast<uint64_t>(r.Int(11, row));
    }
    if (page.rows.empty() && offset > 0) {
      // Past the last row: the total still tells the client where the end is.
      auto all = Breakdown(scope, dimension, 1, 0);
      if (!all.ok()) return all.status();
      page.total_rows = all->total_rows;
    }
    return page;
  }

  Result<std::vector<BucketRow>> Timeseries(const ReportScope& scope, query::Interval interval,
                                            std::span<const core::OffsetSpan> offsets) override {
    auto rollups = Prepare(scope);
    if (!rollups.ok()) return rollups.status();
    // Rollup days are on the rollup zone's clock: buckets on another clock
    // (or of hours) come from the sessions.
    if (*rollups &&
        (interval == query::Interval::kHour ||
         !std::equal(offsets.begin(), offsets.end(), (*rollups)->offsets.begin(), (*rollups)->offsets.end()))) {
      rollups->reset();
    }
    QueryResult r;
    DF_RETURN_IF_ERROR(Run(duckdb_sql::Timeseries(scope, interval, offsets, *rollups), r).WithContext("time series"));
    std::vector<BucketRow> buckets;
    for (idx_t row = 0; row < r.rows(); ++row) {
      BucketRow& b = buckets.emplace_back();
      b.start_seconds = r.Int(0, row) / 1'000'000;
      b.metrics.visitors = static_cast<uint64_t>(r.Int(1, row));
      b.metrics.sessions = static_cast<uint64_t>(r.Int(2, row));
      b.metrics.pageviews = static_cast<uint64_t>(r.Int(3, row));
      b.metrics.revenue_micros = r.Int(4, row);
      b.metrics.payments = PaymentsOf(r.Int(5, row));
      b.metrics.converted_visitors = static_cast<uint64_t>(r.Int(6, row));
    }
    return buckets;
  }

  Result<Realtime> RecentActivity(std::span<const std::string> site_ids, int64_t since_micros,
                                  size_t recent_limit) override {
    Realtime out;
    if (site_ids.empty()) return out;
    std::string sites = "site_id IN (?";
    for (size_t i = 1; i < site_ids.size(); ++i) sites += ", ?";
    sites += ")";
    auto statement = [&](std::string sql, std::vector<duckdb_sql::Param> tail) {
      duckdb_sql::Statement st{std::move(sql), {}};
      for (const std::string& id : site_ids) st.params.emplace_back(id);
      st.params.emplace_back(since_micros);
      for (auto& p : tail) st.params.push_back(std::move(p));
      return st;
    };
    const std::string recent = "WHERE " + sites + " AND ts >= make_timestamp(?)";
    QueryResult visitors;
    DF_RETURN_IF_ERROR(Run(statement("SELECT count(DISTINCT visitor_id) FROM events " + recent, {}), visitors)
                           .WithContext("realtime visitors"));
    out.visitors = static_cast<uint64_t>(visitors.Int(0, 0));
    QueryResult places;
    DF_RETURN_IF_ERROR(Run(statement("SELECT country, region, city, count(DISTINCT visitor_id) AS n FROM events " +
                                         recent + " GROUP BY ALL ORDER BY n DESC, 1, 2, 3",
                                     {}),
                           places)
                           .WithContext("realtime locations"));
    for (idx_t row = 0; row < places.rows(); ++row) {
      out.locations.push_back(
          {places.Text(0, row), places.Text(1, row), places.Text(2, row), static_cast<uint64_t>(places.Int(3, row))});
    }
    for (bool payments : {false, true}) {
      QueryResult events;
      DF_RETURN_IF_ERROR(
          Run(statement(std::string("SELECT ") + kColumns + " FROM " + (payments ? "revenue_events " : "events ") +
                            recent + (payments ? " AND attribution = 'last'" : "") +
                            " ORDER BY ts DESC, event_id LIMIT ?",
                        {static_cast<int64_t>(recent_limit)}),
              events)
              .WithContext("recent events"));
      auto& list = payments ? out.recent_payments : out.recent_events;
      for (idx_t row = 0; row < events.rows(); ++row) list.push_back(ReadEvent(events, row));
    }
    return out;
  }

  Result<std::unordered_set<std::string>> EventIdsBetween(int64_t from_micros, int64_t to_micros) override {
    std::lock_guard lock(queries_mu_);
    Statement stmt(queries_,
                   "SELECT event_id FROM all_events WHERE ts BETWEEN make_timestamp($1) AND make_timestamp($2)");
    duckdb_bind_int64(stmt.get(), 1, from_micros);
    duckdb_bind_int64(stmt.get(), 2, to_micros);
    QueryResult r;
    DF_RETURN_IF_ERROR(stmt.Execute(r).WithContext("read event ids"));
    std::unordered_set<std::string> ids;
    for (idx_t row = 0; row < r.rows(); ++row) ids.insert(r.Text(0, row));
    return ids;
  }

 private:
  Status CreateAppenders() {
    for (auto [table, appender] :
         {std::pair{"events", &appender_}, std::pair{"revenue_events", &revenue_appender_},
          std::pair{"dirty_sessions", &dirty_appender_}, std::pair{"new_payers", &payer_appender_}}) {
      if (duckdb_appender_create(writer_, nullptr, table, appender) == DuckDBError) {
        return Status::IoError(duckdb_appender_error(*appender)).WithContext(table);
      }
    }
    return Status::Ok();
  }

  // Appends the revenue events of `events` (revenue) or the others, filling
  // whole data chunks (DuckDB's vectors): an order of magnitude cheaper per
  // event than appending value by value.
  Status AppendRows(duckdb_appender appender, std::span<const Event> events, bool revenue_events) {
    const idx_t capacity = duckdb_vector_size();
    size_t next = 0;
    while (next < events.size()) {
      duckdb_data_chunk_reset(chunk_);
      std::array<duckdb_vector, kColumnCount> columns;
      for (idx_t c = 0; c < kColumnCount; ++c) columns[c] = duckdb_data_chunk_get_vector(chunk_, c);
      auto* ts = static_cast<duckdb_timestamp*>(duckdb_vector_get_data(columns[2]));
      auto* width = static_cast<int32_t*>(duckdb_vector_get_data(columns[kColumnCount - 5]));
      auto* revenue = static_cast<int64_t*>(duckdb_vector_get_data(columns[kColumnCount - 3]));
      auto* credit = static_cast<int64_t*>(duckdb_vector_get_data(columns[kColumnCount - 1]));
      idx_t rows = 0;
      for (; next < events.size() && rows < capacity; ++next) {
        const Event& e = events[next];
        if ((e.type == EventType::kRevenue) != revenue_events) continue;
        idx_t row = rows++;
        auto text = [&](idx_t column, std::string_view value) {
          duckdb_vector_assign_string_element_len(columns[column], row, value.data(), value.size());
        };
        text(0, e.event_id);
        text(1, e.site_id);
        ts[row] = duckdb_timestamp{e.ts_micros};
        text(3, ToString(e.type));
        idx_t column = 4;
        for (std::string Event::*field : kEventTextFields) text(column++, e.*field);
        width[row] = e.screen_width;
        text(kColumnCount - 4, e.language);
        revenue[row] = e.revenue_micros;
        text(kColumnCount - 2, e.attribution);
        credit[row] = e.credit_micros;
      }
      if (rows == 0) break;
      duckdb_data_chunk_set_size(chunk_, rows);
      if (duckdb_append_data_chunk(appender, chunk_) == DuckDBError) {
        return Status::IoError(duckdb_appender_error(appender)).WithContext("append events");
      }
    }
    return Status::Ok();
  }

  // The first pageview of each session among the site's pageviews that
  // `among` selects, then those of them that `keep` selects, oldest first.
  Result<std::vector<Event>> FirstPageviews(std::string_view among, std::string_view keep,
                                            std::vector<duckdb_sql::Param> params) {
    QueryResult r;
    DF_RETURN_IF_ERROR(Run({std::string("SELECT ") + kColumns + " FROM (SELECT *, row_number() OVER " +
                                "(PARTITION BY session_id ORDER BY ts, event_id) AS nth FROM events " +
                                "WHERE site_id = $1 AND type = 'pageview' AND " + std::string(among) +
                                ") WHERE nth = 1 AND " + std::string(keep) + " ORDER BY ts, event_id",
                            std::move(params)},
                           r)
                           .WithContext("session starts"));
    std::vector<Event> out;
    for (idx_t row = 0; row < r.rows(); ++row) out.push_back(ReadEvent(r, row));
    return out;
  }

  static Event ReadEvent(QueryResult& r, idx_t row) {
    Event e;
    idx_t c = 0;
    e.event_id = r.Text(c++, row);
    e.site_id = r.Text(c++, row);
    e.ts_micros = r.Int(c++, row);
    e.type = ParseEventType(r.Text(c++, row)).value_or(EventType::kPageview);
    for (std::string Event::*field : kEventTextFields) e.*field = r.Text(c++, row);
    e.screen_width = static_cast<int32_t>(r.Int(c++, row));
    e.language = r.Text(c++, row);
    e.revenue_micros = r.Int(c++, row);
    e.attribution = r.Text(c++, row);
    e.credit_micros = r.Int(c++, row);
    return e;
  }

  // Runs a report statement on a connection of its own, so reports run in
  // parallel with each other and with deletions.
  Status Run(const duckdb_sql::Statement& statement, QueryResult& out) {
    duckdb_connection con = nullptr;
    if (duckdb_connect(db_, &con) == DuckDBError) return Status::IoError("cannot connect to the events database");
    Status status = Execute(con, statement, out);
    duckdb_disconnect(&con);
    return status;
  }

  static Status Execute(duckdb_connection con, const duckdb_sql::Statement& statement, QueryResult& out) {
    Statement stmt(con, statement.sql.c_str());
    for (size_t i = 0; i < statement.params.size(); ++i) {
      idx_t index = i + 1;
      if (const auto* text = std::get_if<std::string>(&statement.params[i])) {
        BindText(stmt, index, *text);
      } else {
        duckdb_bind_int64(stmt.get(), index, std::get<int64_t>(statement.params[i]));
      }
    }
    return stmt.Execute(out);
  }

  // visitors, sessions, pageviews, bounces, duration, revenue, payments,
  // converted, from column `first` on.
  static void ReadMetrics(QueryResult& r, idx_t row, idx_t first, Metrics& m) {
    m.visitors = static_cast<uint64_t>(r.Int(first, row));
    m.sessions = static_cast<uint64_t>(r.Int(first + 1, row));
    m.pageviews = static_cast<uint64_t>(r.Int(first + 2, row));
    m.bounces = static_cast<uint64_t>(r.Int(first + 3, row));
    m.duration_micros = r.Int(first + 4, row);
    m.revenue_micros = r.Int(first + 5, row);
    m.payments = PaymentsOf(r.Int(first + 6, row));
    m.converted_visitors = static_cast<uint64_t>(r.Int(first + 7, row));
  }

  static void BindText(Statement& stmt, idx_t index, std::string_view text) {
    duckdb_bind_varchar_length(stmt.get(), index, text.data(), text.size());
  }

  // Runs `statements` in one transaction; returns the rows the first
  // `counted` ones changed.
  Result<uint64_t> Delete(const std::vector<duckdb_sql::Statement>& statements, size_t counted) {
    std::lock_guard lock(queries_mu_);
    DF_RETURN_IF_ERROR(Exec(queries_, "BEGIN TRANSACTION"));
    uint64_t deleted = 0;
    for (const duckdb_sql::Statement& statement : statements) {
      QueryResult r;
      Status status = Execute(queries_, statement, r);
      if (!status.ok()) {
        (void)Exec(queries_, "ROLLBACK");
        return status.WithContext("delete events");
      }
      if (&statement < &statements.front() + counted) deleted += static_cast<uint64_t>(r.Int(0, 0));
    }
    DF_RETURN_IF_ERROR(Exec(queries_, "COMMIT").WithContext("delete events"));
    ++changes_;
    return deleted;
  }

  // One row in dirty_sessions per session of the batch, and one in
  // new_payers per revenue event (in Append's transaction): the next report
  // rebuilds those sessions and marks the payers' sessions.
  Status MarkSessionsDirty(std::span<const Event> events) {
    std::map<std::pair<std::string_view, std::string_view>, int64_t> first_seen;
    for (const Event& e : events) {
      if (e.type == EventType::kRevenue) {
        if (e.visitor_id.empty()) continue;
        duckdb_append_varchar_length(payer_appender_, e.site_id.data(), e.site_id.size());
        duckdb_append_varchar_length(payer_appender_, e.visitor_id.data(), e.visitor_id.size());
        if (duckdb_appender_end_row(payer_appender_) == DuckDBError) {
          return Status::IoError(duckdb_appender_error(payer_appender_)).WithContext("mark payers");
        }
        continue;
      }
      auto [it, inserted] = first_seen.try_emplace({e.site_id, e.session_id}, e.ts_micros);
      if (!inserted) it->second = std::min(it->second, e.ts_micros);
    }
    if (duckdb_appender_flush(payer_appender_) == DuckDBError) {
      return Status::IoError(duckdb_appender_error(payer_appender_)).WithContext("mark payers");
    }
    for (const auto& [key, ts] : first_seen) {
      duckdb_append_varchar_length(dirty_appender_, key.first.data(), key.first.size());
      duckdb_append_varchar_length(dirty_appender_, key.second.data(), key.second.size());
      duckdb_append_timestamp(dirty_appender_, duckdb_timestamp{ts});
      if (duckdb_appender_end_row(dirty_appender_) == DuckDBError) {
        return Status::IoError(duckdb_appender_error(dirty_appender_)).WithContext("mark sessions");
      }
    }
    if (duckdb_appender_flush(dirty_appender_) == DuckDBError) {
      return Status::IoError(duckdb_appender_error(dirty_appender_)).WithContext("mark sessions");
    }
    return Status::Ok();
  }

  // What every report does first: brings the sessions and rollups up to
  // date, and tells whether its range is whole days of its sites' rollups.
  Result<std::optional<duckdb_sql::RollupDays>> Prepare(const ReportScope& scope) {
    std::lock_guard lock(refresh_mu_);
    DF_RETURN_IF_ERROR(KeepRollupZones(scope).WithContext("rollup zones"));
    uint64_t seen = changes_.load();
    DF_RETURN_IF_ERROR(RefreshSessions());
    // Rollups come due when something changed or a site's day ended; the
    // reports between look at nothing, instead of queueing on this lock
    // for a query each.
    std::map<std::string, int64_t> today_by_zone;
    for (const auto& [site, rollup] : rollup_zones_) {
      if (const core::TimeZone* zone = Zone(rollup.zone)) today_by_zone[rollup.zone] = Today(*zone);
    }
    if (seen != rollups_checked_ || today_by_zone != rollups_checked_days_) {
      DF_RETURN_IF_ERROR(RebuildRollups().WithContext("rebuild rollups"));
      // A refresh that left sessions for later leaves rollups for later too.
      rollups_checked_ = refreshed_ >= seen ? seen : kNeverChecked;
      rollups_checked_days_ = std::move(today_by_zone);
    }
    std::optional<duckdb_sql::RollupDays> none;
    if (!scope.filters.empty() || scope.time_zone.empty()) return none;
    const core::TimeZone* zone = Zone(scope.time_zone);
    if (!zone) return none;
    auto midnight_day = [&](int64_t micros) -> std::optional<int64_t> {
      if (micros % 1'000'000 != 0 || LocalSeconds(*zone, micros) % 86'400 != 0) return std::nullopt;
      return core::DayOfSeconds(LocalSeconds(*zone, micros));
    };
    auto from = midnight_day(scope.from_micros);
    auto to = midnight_day(scope.to_micros);
    int64_t today = Today(*zone);
    if (!from || !to || *from >= today) return none;
    duckdb_sql::RollupDays days{{}, *from, std::min(*to, today), scope.to_micros, {}};
    for (const std::string& site : scope.site_ids) days.site_keys.push_back(rollup_zones_.at(site).key);
    if (*to > today) days.tail_from_micros = zone->ToUtc(today * 86'400) * 1'000'000;
    days.offsets = core::OffsetSpans(*zone, scope.from_micros / 1'000'000, scope.to_micros / 1'000'000 + 1);
    return std::optional(std::move(days));
  }

  static int64_t LocalSeconds(const core::TimeZone& zone, int64_t micros) {
    int64_t seconds = micros / 1'000'000;
    return seconds + zone.OffsetAt(seconds);
  }

  // The local day it is now in `zone`: rollups hold the days before it.
  static int64_t Today(const core::TimeZone& zone) {
    int64_t now =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    return core::DayOfSeconds(LocalSeconds(zone, now));
  }

  // The zone named `name`, loaded once; nullptr for an unknown name.
  // REQUIRES: refresh_mu_ held.
  const core::TimeZone* Zone(const std::string& name) {
    auto it = zones_.find(name);
    if (it == zones_.end()) {
      auto loaded = core::TimeZone::Load(name);
      if (!loaded.ok()) return nullptr;
      it = zones_.emplace(name, std::move(*loaded)).first;
    }
    return &it->second;
  }

  // Rollups follow each site's own time zone: a site whose rollups are in
  // another zone (or none yet) has them rebuilt in the scope's.
  // REQUIRES: refresh_mu_ held.
  Status KeepRollupZones(const ReportScope& scope) {
    if (scope.time_zone.empty() || !Zone(scope.time_zone)) return Status::Ok();
    for (const std::string& site : scope.site_ids) {
      auto it = rollup_zones_.find(site);
      if (it != rollup_zones_.end() && it->second.zone == scope.time_zone) continue;
      int64_t key = 1;
      if (it != rollup_zones_.end()) {
        key = it->second.key;
      } else {
        for (const auto& [other, rollup] : rollup_zones_) key = std::max(key, rollup.key + 1);
      }
      std::vector<duckdb_sql::Param> params = {site};
      std::vector<duckdb_sql::Statement> steps = {
          {"DELETE FROM rollups WHERE site_key = $1", {key}},
          {"DELETE FROM dirty_rollups WHERE site_id = $1", params},
          {"DELETE FROM rollup_zones WHERE site_id = $1", params},
          {"INSERT INTO rollup_zones (site_id, time_zone, site_key) VALUES ($1, $2, $3)", {site, scope.time_zone, key}},
          {"INSERT INTO dirty_rollups SELECT site_id, start_ts FROM sessions WHERE site_id = $1", params}};
      DF_RETURN_IF_ERROR(InTransaction(refresher_, steps));
      rollup_zones_[site] = {scope.time_zone, key};
      ++changes_;
    }
    return Status::Ok();
  }

  // Rebuilds the rows of the dirty sessions from all their events, in one
  // transaction that also clears the dirty rows it saw (rows Append adds
  // meanwhile wait for the next refresh); then marks new payers' sessions.
  // Reports call it first and wait for a rebuild another report started, so
  // they never read a stale session. REQUIRES: refresh_mu_ held.
  Status RefreshSessions() {
    uint64_t target = changes_.load();
    if (refreshed_ == target) return Status::Ok();
    // Only as many rounds as the rows there now need: under a steady stream
    // of events a report must not chase the newest ones forever.
    QueryResult pending;
    if (duckdb_query(refresher_, "SELECT count(*) FROM dirty_sessions", pending.get()) == DuckDBError) {
      return Status::IoError(duckdb_result_error(pending.get())).WithContext("refresh sessions");
    }
    int64_t rounds = pending.Int(0, 0) / kSessionsPerRebuild + 1;
    Status status;
    bool more = true;
    for (; more && rounds > 0 && status.ok(); --rounds) status = RebuildDirtySessions(more);
    if (status.ok()) status = RelagVisitors().WithContext("previous sessions");
    if (status.ok()) status = MarkPayers().WithContext("mark payers");
    if (status.ok() && !more) refreshed_ = target;
    return status.WithContext("refresh sessions");
  }

  // Computes the previous-session columns of every session of the visitors
  // in relag_visitors anew, and empties it: a share of the visitors per
  // transaction, so that a first build's millions of sessions need not be
  // sorted in memory at once. REQUIRES: refresh_mu_ held.
  Status RelagVisitors() {
    QueryResult pending;
    if (duckdb_query(refresher_, "SELECT count(*) FROM (SELECT DISTINCT site_id, visitor_id FROM relag_visitors)",
                     pending.get()) == DuckDBError) {
      return Status::IoError(duckdb_result_error(pending.get()));
    }
    constexpr int64_t kVisitorsPerRelag = 500'000;
    if (pending.Int(0, 0) == 0) return Status::Ok();
    int64_t shares = pending.Int(0, 0) / kVisitorsPerRelag + 1;
    for (int64_t share = 0; share < shares; ++share) {
      std::string of_share = "hash(site_id, visitor_id) % " + std::to_string(shares) + " = " + std::to_string(share);
      std::vector<duckdb_sql::Statement> steps = {
          {"CREATE OR REPLACE TEMP TABLE touched AS SELECT DISTINCT site_id, visitor_id FROM relag_visitors WHERE " +
               of_share,
           {}}};
      for (std::string& statement : duckdb_sql::UpdatePreviousColumns()) steps.push_back({std::move(statement), {}});
      steps.push_back({"DELETE FROM relag_visitors WHERE " + of_share, {}});
      steps.push_back({"DROP TABLE touched", {}});
      DF_RETURN_IF_ERROR(InTransaction(refresher_, steps));
    }
    return Status::Ok();
  }

  // Copies the sessions of visitors with new revenue events into the payer
  // tables. REQUIRES: refresh_mu_ held.
  Status MarkPayers() {
    QueryResult pending;
    if (duckdb_query(refresher_, "SELECT count(*) FROM (SELECT 1 FROM new_payers LIMIT 1)", pending.get()) ==
        DuckDBError) {
      return Status::IoError(duckdb_result_error(pending.get()));
    }
    if (pending.Int(0, 0) == 0) return Status::Ok();
    std::vector<duckdb_sql::Statement> steps = {
        {"CREATE OR REPLACE TEMP TABLE payers AS SELECT DISTINCT site_id, visitor_id FROM new_payers", {}}};
    for (const char* table : {"payer_sessions", "payer_items", "new_payers"}) {
      steps.push_back({DeleteMatching(table, "payers", "visitor_id"), {}});
    }
    for (std::string& copy :
         duckdb_sql::CopyPayerRows("SELECT s.site_id, s.session_id FROM sessions s SEMI JOIN payers p "
                                   "ON p.site_id = s.site_id AND p.visitor_id = s.visitor_id")) {
      steps.push_back({std::move(copy), {}});
    }
    steps.push_back({"DROP TABLE payers", {}});
    return InTransaction(refresher_, steps);
  }

  // Rebuilds the rollups of each day before today with a dirty_rollups row,
  // for the sites that have a rollup zone. REQUIRES: refresh_mu_ held.
  Status RebuildRollups() {
    QueryResult sites;
    if (duckdb_query(refresher_,
                     "SELECT d.site_id, z.time_zone, epoch_us(min(d.ts)), z.site_key FROM dirty_rollups d "
                     "JOIN rollup_zones z USING (site_id) GROUP BY ALL",
                     sites.get()) == DuckDBError) {
      return Status::IoError(duckdb_result_error(sites.get()));
    }
    for (idx_t row = 0; row < sites.rows(); ++row) {
      std::string site = sites.Text(0, row);
      const core::TimeZone* zone = Zone(sites.Text(1, row));
      if (!zone) continue;
      int64_t today = Today(*zone);
      if (core::DayOfSeconds(LocalSeconds(*zone, sites.Int(2, row))) >= today) continue;
      // The offsets cover every session start and previous start of the site.
      Statement span(refresher_,
                     "SELECT epoch_us(min(t)), epoch_us(max(t)) FROM (SELECT start_ts AS t FROM sessions "
                     "WHERE site_id = $1 UNION ALL SELECT ts FROM dirty_rollups WHERE site_id = $1)");
      BindText(span, 1, site);
      QueryResult bounds;
      DF_RETURN_IF_ERROR(span.Execute(bounds));
      constexpr int64_t kDay = 86'400;
      auto offsets = core::OffsetSpans(*zone, bounds.Int(0, 0) / 1'000'000 - kDay, bounds.Int(1, 0) / 1'000'000 + kDay);
      // A dirty row's day starts at most 26 hours before it.
      int64_t since = sites.Int(2, row) - 26 * 3600 * int64_t{1'000'000};
      DF_RETURN_IF_ERROR(
          InTransaction(refresher_, duckdb_sql::RebuildRollups(site, sites.Int(3, row), since, today, offsets)));
    }
    return Status::Ok();
  }

  // Runs `statements` in one transaction on `con`.
  static Status InTransaction(duckdb_connection con, const std::vector<duckdb_sql::Statement>& statements) {
    DF_RETURN_IF_ERROR(Exec(con, "BEGIN TRANSACTION"));
    for (const duckdb_sql::Statement& statement : statements) {
      QueryResult r;
      if (Status s = Execute(con, statement, r); !s.ok()) {
        (void)Exec(con, "ROLLBACK");
        return s;
      }
    }
    return Exec(con, "COMMIT");
  }

  // Rebuilds up to kSessionsPerRebuild dirty sessions; `more` tells whether
  // dirty rows remain. REQUIRES: refresh_mu_ held.
  Status RebuildDirtySessions(bool& more) {
    DF_RETURN_IF_ERROR(Exec(refresher_, "BEGIN TRANSACTION"));
    // The session's events start at its row's start or its earliest new
    // event, whichever is first: the events scan starts there.
    static const std::vector<std::string> kSteps = [] {
      std::vector<std::string> steps = {
          // A bounded number of sessions per transaction keeps memory flat
          // when many are dirty (after an import or the upgrade that added
          // the table); each comes with all of its dirty rows.
          "CREATE OR REPLACE TEMP TABLE refresh AS SELECT d.site_id, d.session_id, "
          "least(min(d.min_ts), min(s.start_ts)) AS since FROM dirty_sessions d "
          "SEMI JOIN (SELECT site_id, session_id FROM dirty_sessions ORDER BY min_ts LIMIT " +
              std::to_string(kSessionsPerRebuild) +
              ") c ON c.site_id = d.site_id AND c.session_id = d.session_id "
              "LEFT JOIN sessions s ON s.site_id = d.site_id AND s.session_id = d.session_id GROUP BY ALL",
          // Their visitors' other sessions get new previous sessions too.
          "CREATE OR REPLACE TEMP TABLE touched AS SELECT DISTINCT s.site_id, s.visitor_id FROM sessions s "
          "JOIN refresh r ON s.site_id = r.site_id AND s.session_id = r.session_id",
          // The days the old rows counted in.
          "INSERT INTO dirty_rollups SELECT s.site_id, s.start_ts FROM sessions s "
          "JOIN refresh r ON s.site_id = r.site_id AND s.session_id = r.session_id",
          DeleteMatching("sessions", "refresh", "session_id"), DeleteMatching("session_items", "refresh", "session_id"),
          DeleteMatching("payer_sessions", "refresh", "session_id"),
          DeleteMatching("payer_items", "refresh", "session_id"), duckdb_sql::InsertRebuiltSessions(),
          // The pages, hostnames and goals of each rebuilt session.
          "INSERT INTO session_items (site_id, session_id, visitor_id, start_ts, kind, value, hits) "
          "SELECT site_id, session_id, visitor_id, start_ts, kind, value, count(*) FROM ("
          "SELECT e.site_id, e.session_id, s.visitor_id, s.start_ts, "
          "unnest(CASE WHEN e.type = 'goal' THEN ['goal'] ELSE ['page', 'hostname'] END) AS kind, "
          "unnest(CASE WHEN e.type = 'goal' THEN [e.goal_name] ELSE [e.pathname, e.hostname] END) AS value "
          "FROM events e JOIN refresh r ON e.site_id = r.site_id AND e.session_id = r.session_id "
          "JOIN sessions s ON s.site_id = e.site_id AND s.session_id = e.session_id "
          "WHERE e.ts >= (SELECT min(since) FROM refresh) AND e.type IN ('pageview', 'goal')) GROUP BY ALL"};
      for (std::string& copy : duckdb_sql::CopyPayerRows("SELECT site_id, session_id FROM refresh")) {
        steps.push_back(std::move(copy));
      }
      steps.insert(
          steps.end(),
          {"INSERT INTO touched SELECT DISTINCT s.site_id, s.visitor_id FROM sessions s JOIN refresh r "
           "ON s.site_id = r.site_id AND s.session_id = r.session_id",
           // Their previous-session columns are computed once the whole
           // refresh has rebuilt its sessions (RelagVisitors).
           "INSERT INTO relag_visitors SELECT DISTINCT site_id, visitor_id FROM touched",
           // The days of the rows that changed: the rebuilt ones, and those
           // after them whose previous session may have changed.
           "INSERT INTO dirty_rollups SELECT s.site_id, s.start_ts FROM sessions s JOIN touched t "
           "ON s.site_id = t.site_id AND s.visitor_id = t.visitor_id WHERE s.start_ts >= (SELECT min(since) "
           "FROM refresh)",
           DeleteMatching("dirty_sessions", "refresh", "session_id"), "DROP TABLE refresh", "DROP TABLE touched"});
      return steps;
    }();
    for (const std::string& step : kSteps) {
      if (Status s = Exec(refresher_, step.c_str()); !s.ok()) {
        (void)Exec(refresher_, "ROLLBACK");
        return s;
      }
    }
    DF_RETURN_IF_ERROR(Exec(refresher_, "COMMIT"));
    QueryResult left;
    if (duckdb_query(refresher_, "SELECT count(*) FROM (SELECT 1 FROM dirty_sessions LIMIT 1)", left.get()) ==
        DuckDBError) {
      return Status::IoError(duckdb_result_error(left.get()));
    }
    more = left.Int(0, 0) > 0;
    return Status::Ok();
  }

  // Runs `sql` with `site_id` bound to $1 on the queries connection.
  // REQUIRES: queries_mu_ held.
  Status QueryForSite(const char* sql, std::string_view site_id, QueryResult& out) {
    Statement stmt(queries_, sql);
    BindText(stmt, 1, site_id);
    return stmt.Execute(out);
  }

  static Status Exec(duckdb_connection con, const char* sql) {
    QueryResult r;
    if (duckdb_query(con, sql, r.get()) == DuckDBError) return Status::IoError(duckdb_result_error(r.get()));
    return Status::Ok();
  }

  duckdb_database db_;
  duckdb_connection writer_;
  duckdb_connection queries_;
  std::mutex queries_mu_;  // a DuckDB connection serves one query at a time
  // queries_ serves reads and deletions; writer_ belongs to the appenders,
  // which Append alone uses.
  duckdb_appender appender_ = nullptr;
  duckdb_appender revenue_appender_ = nullptr;
  duckdb_appender dirty_appender_ = nullptr;
  duckdb_appender payer_appender_ = nullptr;
  duckdb_data_chunk chunk_ = nullptr;  // reused by every Append
  duckdb_connection refresher_ = nullptr;
  std::mutex refresh_mu_;  // one rebuild at a time; reports wait for it
  struct RollupZone {
    std::string zone;
    int64_t key = 0;  // rollups.site_key
  };
  std::map<std::string, RollupZone> rollup_zones_;  // by site; guarded by refresh_mu_
  std::map<std::string, core::TimeZone> zones_;     // loaded zones; guarded by refresh_mu_
  // changes_ and each zone's day when the rollups were last brought up to
  // date; guarded by refresh_mu_.
  static constexpr uint64_t kNeverChecked = ~uint64_t{0};
  uint64_t rollups_checked_ = kNeverChecked;
  std::map<std::string, int64_t> rollups_checked_days_;
  // Counts commits that may have added dirty rows; the sessions are current
  // when refreshed_ (guarded by refresh_mu_) has caught up. Starts apart, for
  // the rows a crash may have left.
  std::atomic<uint64_t> changes_{1};
  uint64_t refreshed_ = 0;
};

}  // namespace

Result<std::unique_ptr<EventStore>> OpenDuckDbEventStore(const std::string& path) {
  duckdb_database db = nullptr;
  char* error = nullptr;
  duckdb_config config = nullptr;
  duckdb_create_config(&config);
  // Keep DuckDB from taking every core and most of the memory from the HTTP
  // threads beside it.
  duckdb_set_config(config, "threads", "2");
  duckdb_set_config(config, "memory_limit", "2GB");
  // Checkpointing every 16 MB of WAL (DuckDB's default) rewrote half-filled
  // row groups every few seconds under load and took a fifth of the loader's
  // CPU; 256 MB costs at most that much WAL to replay after a crash.
  duckdb_set_config(config, "checkpoint_threshold", "256MB");
  bool failed = duckdb_open_ext(path.c_str(), &db, config, &error) == DuckDBError;
  duckdb_destroy_config(&config);
  if (failed) {
    Status s = Status::IoError(error ? error : "unknown error");
    duckdb_free(error);
    return s.WithContext("open " + path);
  }
  duckdb_connection writer = nullptr;
  duckdb_connection reader = nullptr;
  if (duckdb_connect(db, &writer) == DuckDBError || duckdb_connect(db, &reader) == DuckDBError) {
    duckdb_close(&db);
    return Status::IoError("cannot connect to " + path);
  }
  auto store = std::make_unique<DuckDbEventStore>(db, writer, reader);
  DF_RETURN_IF_ERROR(store->Init().WithContext("open " + path));
  return std::unique_ptr<EventStore>(std::move(store));
}

}  // namespace datafast::store
