#include "store/clickhouse/clickhouse_event_store.h"

#include <charconv>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "core/http_client.h"
#include "core/log.h"
#include "store/clickhouse/reports.h"
#include "store/migrations.h"
#include "store/read_windows.h"

namespace datafast::store {
namespace {

using clickhouse::kDayMicros;
using clickhouse::Quote;
using clickhouse::SealedSpans;
using clickhouse::Span;

// Reports and deletions over large sites may take a while.
constexpr std::chrono::seconds kQueryTimeout(300);

// The columns of the events table in store/event.h's order, as every read
// selects them.
const std::string& Columns() {
  static const std::string columns = [] {
    std::string out = "event_id, site_id, ts, type";
    for (std::string_view name : kEventTextFieldNames) out += ", " + std::string(name);
    return out + ", screen_width, language, revenue_micros, attribution, credit_micros";
  }();
  return columns;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

int64_t Int(const std::string& field) { return std::strtoll(field.c_str(), nullptr, 10); }

Event ReadEvent(const std::vector<std::string>& row) {
  Event e;
  size_t c = 0;
  e.event_id = row[c++];
  e.site_id = row[c++];
  e.ts_micros = Int(row[c++]);
  e.type = ParseEventType(row[c++]).value_or(EventType::kPageview);
  for (std::string Event::*field : kEventTextFields) e.*field = row[c++];
  e.screen_width = static_cast<int32_t>(Int(row[c++]));
  e.language = row[c++];
  e.revenue_micros = Int(row[c++]);
  e.attribution = row[c++];
  e.credit_micros = Int(row[c++]);
  return e;
}

// Appends `text` to `out` as a TabSeparated field: ReadTabSeparated, the other way.
void AppendTsvField(std::string_view text, std::string& out) {
  for (char c : text) {
    switch (c) {
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\0':
        out += "\\0";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        out += c;
    }
  }
}

// One line of TabSeparated input for `INSERT INTO events (Columns())`:
// ClickHouse parses it several times faster than the same row as JSON.
void AppendEventRow(const Event& e, std::string& out) {
  auto text = [&](std::string_view value) {
    AppendTsvField(value, out);
    out += '\t';
  };
  auto number = [&](int64_t value) {
    out += std::to_string(value);
    out += '\t';
  };
  text(e.event_id);
  text(e.site_id);
  number(e.ts_micros);
  text(ToString(e.type));
  for (std::string Event::*field : kEventTextFields) text(e.*field);
  number(e.screen_width);
  text(e.language);
  number(e.revenue_micros);
  text(e.attribution);
  number(e.credit_micros);
  out.back() = '\n';
}

// A day is sealed once it has been over this long and its sessions have
// been quiet as long: a session ends after 30 minutes without activity.
constexpr int64_t kSealAfterSeconds = 2 * 3600;
// Events this much older than their load arrived late: their sessions'
// sealed days are marked to be sealed again. Shorter than kSealAfterSeconds,
// so an event on time never belongs to a session already sealed.
constexpr int64_t kLateMicros = 3600LL * 1'000'000;
// How far before a late event its session's first event is looked for.
constexpr int64_t kLateLookbackMicros = 7 * kDayMicros;
// Days sealed in one pass: bounds the memory of the grouping.
constexpr int64_t kSealDaysPerPass = 7;
// Days per partition of the sessions table (migration 0002): a day is
// sealed by swapping its whole partition, and fewer, larger parts read
// faster than a part a day.
constexpr int64_t kDaysPerPartition = 32;
// A seal's staging table: the prefix, its creation time in unix seconds,
// and a random number. One older than the lifetime was left by a process
// killed mid-seal (no seal pass takes a day).
constexpr std::string_view kStagePrefix = "sessions_seal_";
constexpr int64_t kStageLifetimeSeconds = 86'400;

int64_t DayOf(int64_t micros) { return micros / kDayMicros; }

// What the sessions table holds: when each sealed day was read from the
// events, and when each day was last marked out of date.
struct SealState {
  std::map<int64_t, int64_t> sealed_at;  // day → unix seconds
  std::map<int64_t, int64_t> marked_at;

  bool operator==(const SealState&) const = default;

  // Sealing goes forward through the days with events and stops at the
  // first whose sessions have not all ended, so a day before the last
  // sealed one that has no seal had no events; any that came later marked
  // it.
  bool Clean(int64_t day) const {
    auto mark = marked_at.find(day);
    auto seal = sealed_at.find(day);
    if (seal == sealed_at.end())
      return !sealed_at.empty() && day < sealed_at.rbegin()->first && mark == marked_at.end();
    // Strictly after: a mark in the same second may follow the read.
    return mark == marked_at.end() || seal->second > mark->second;
  }

  int64_t LastSealed() const { return sealed_at.empty() ? -1 : sealed_at.rbegin()->first; }

  SealedSpans Spans() const {
    SealedSpans out;
    for (int64_t day = 0; day <= LastSealed(); ++day) {
      if (!Clean(day)) continue;
      if (!out.empty() && out.back().to_micros == day * kDayMicros) {
        out.back().to_micros += kDayMicros;
      } else {
        out.push_back({day * kDayMicros, (day + 1) * kDayMicros});
      }
    }
    return out;
  }
};

struct Server {
  std::string base_url;  // http://host:port
  std::string user, password, database;
  // The cluster of remote_servers the tables span; "" for one server.
  std::string cluster;
};

bool IsIdentifier(std::string_view name) {
  return !name.empty() &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

Result<Server> ParseUrl(std::string_view url) {
  constexpr std::string_view kScheme = "clickhouse://";
  auto invalid = [] {
    return Status::InvalidArgument(
        "--events: must be clickhouse://[user[:password]@]host:port/database[?cluster=name]");
  };
  if (!url.starts_with(kScheme)) return invalid();
  url.remove_prefix(kScheme.size());
  Server s;
  if (size_t at = url.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = url.substr(0, at);
    size_t colon = credentials.find(':');
    s.user = std::string(credentials.substr(0, colon));
    if (colon != std::string_view::npos) s.password = std::string(credentials.substr(colon + 1));
    url.remove_prefix(at + 1);
  }
  size_t slash = url.find('/');
  if (slash == std::string_view::npos || slash == 0) return invalid();
  s.base_url = "http://" + std::string(url.substr(0, slash));
  std::string_view path = url.substr(slash + 1);
  if (size_t question = path.find('?'); question != std::string_view::npos) {
    std::string_view option = path.substr(question + 1);
    path = path.substr(0, question);
    constexpr std::string_view kCluster = "cluster=";
    if (!option.starts_with(kCluster)) return invalid();
    s.cluster = std::string(option.substr(kCluster.size()));
    if (!IsIdentifier(s.cluster)) return invalid();
  }
  s.database = std::string(path);
  if (!IsIdentifier(s.database)) return invalid();
  return s;
}

class ClickHouseEventStore final : public EventStore {
 public:
  explicit ClickHouseEventStore(Server server) : server_(std::move(server)) {}

  Status Init() {
    auto created = Post("CREATE DATABASE IF NOT EXISTS " + server_.database + OnCluster(), false);
    if (!created.ok()) return created.status();
    DF_RETURN_IF_ERROR(Execute(
        server_.cluster.empty()
            ? "CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32) ENGINE = TinyLog"
            : "CREATE TABLE IF NOT EXISTS " + server_.database + ".schema_migrations" + OnCluster() +
                  " (version UInt32) ENGINE = " + Replicated("schema_migrations", false) + " ORDER BY version"));
    auto have = Query("SELECT max(version) FROM schema_migrations");
    if (!have.ok()) return have.status();
    int64_t version = have->empty() ? 0 : Int(have->front().front());
    for (const Migration& m : MigrationsFor("clickhouse")) {
      if (m.version <= version) continue;
      // One statement a request; each is idempotent (IF NOT EXISTS), so a
      // migration cut off halfway runs again whole.
      for (const std::string& statement : Statements(m.sql)) {
        auto statements = ForCluster(statement);
        if (!statements.ok()) return statements.status().WithContext("migration " + std::string(m.name));
        for (const std::string& s : *statements) {
          DF_RETURN_IF_ERROR(Execute(s).WithContext("migration " + std::string(m.name)));
        }
      }
      DF_RETURN_IF_ERROR(Execute("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ")"));
    }
    return Status::Ok();
  }

  Status Append(std::span<const Event> events) override {
    if (events.empty()) return Status::Ok();
    std::string body;
    for (const Event& e : events) AppendEventRow(e, body);
    // One INSERT is one block: ClickHouse stores it whole or not at all.
    auto answer = Exchange(server_.base_url + "/?" + Parameters() + "database=" + server_.database +
                               "&query=" + PercentEncode("INSERT INTO events (" + Columns() + ") FORMAT TabSeparated"),
                           body);
    if (!answer.ok()) return answer.status();
    return MarkLateSessions(events);
  }

  Status ForEachEvent(std::string_view site_id, const std::function<void(const Event&)>& fn) override {
    std::string site = "site_id = " + Quote(site_id);
    // The minute's start, rounded down before 1970 too (intDiv rounds toward zero).
    std::string m = std::to_string(kMinuteMicros);
    auto counts = Query("SELECT intDiv(ts, " + m + ") * " + m + " - if(ts % " + m + " < 0, " + m +
                        ", 0) AS minute, count() FROM events WHERE " + site + " GROUP BY minute ORDER BY minute");
    if (!counts.ok()) return counts.status().WithContext("count events per minute");
    std::vector<MinuteCount> minutes;
    minutes.reserve(counts->size());
    for (const auto& row : *counts) minutes.push_back({Int(row[0]), static_cast<uint64_t>(Int(row[1]))});
    // A page at a time within each window, each after the last one's final
    // (ts, event_id): a single minute may hold more than a page.
    for (const ReadWindow& window : PlanReadWindows(minutes, kEventsPerRead)) {
      std::string in_window =
          site + " AND ts >= " + std::to_string(window.from_micros) + " AND ts < " + std::to_string(window.to_micros);
      std::string after = "1";
      for (;;) {
        auto rows = Query("SELECT " + Columns() + " FROM events WHERE " + in_window + " AND " + after +
                          " ORDER BY ts, event_id LIMIT " + std::to_string(kEventsPerRead));
        if (!rows.ok()) return rows.status().WithContext("read events");
        for (const auto& row : *rows) fn(ReadEvent(row));
        if (rows->size() < kEventsPerRead) break;
        // Columns() starts with event_id, site_id, ts.
        const std::string& last_id = rows->back()[0];
        const std::string& last_ts = rows->back()[2];
        after = "(ts > " + last_ts + " OR (ts = " + last_ts + " AND event_id > " + Quote(last_id) + "))";
      }
    }
    return Status::Ok();
  }

  Result<uint64_t> CountEvents(std::string_view site_id) override {
    return Count("SELECT count() FROM events WHERE site_id = " + Quote(site_id));
  }

  Result<uint64_t> CountEventsBetween(std::string_view site_id, int64_t from_micros, int64_t to_micros) override {
    return Count("SELECT count() FROM events WHERE site_id = " + Quote(site_id) +
                 " AND ts >= " + std::to_string(from_micros) + " AND ts < " + std::to_string(to_micros));
  }

  Result<SiteActivity> Activity(std::string_view site_id, std::string_view probe_pathname,
                                size_t recent_limit) override {
    std::string probe = Quote(probe_pathname);
    auto totals = Query("SELECT countIf(pathname != " + probe + "), countIf(pathname = " + probe +
                        "), minIf(ts, pathname != " + probe + "), maxIf(ts, pathname != " + probe +
                        ") FROM events WHERE site_id = " + Quote(site_id));
    if (!totals.ok()) return totals.status().WithContext("site activity");
    SiteActivity activity;
    const auto& t = totals->front();
    activity.events = static_cast<uint64_t>(Int(t[0]));
    activity.probe_events = static_cast<uint64_t>(Int(t[1]));
    activity.first_ts_micros = activity.events == 0 ? 0 : Int(t[2]);
    activity.last_ts_micros = activity.events == 0 ? 0 : Int(t[3]);
    auto recent = Query("SELECT " + Columns() + " FROM events WHERE site_id = " + Quote(site_id) +
                        " ORDER BY ts DESC, event_id LIMIT " + std::to_string(recent_limit));
    if (!recent.ok()) return recent.status().WithContext("recent events");
    for (const auto& row : *recent) activity.recent.push_back(ReadEvent(row));
    return activity;
  }

  Result<std::vector<Event>> SessionStarts(std::string_view site_id, std::string_view visitor_id, int64_t from_micros,
                                           int64_t to_micros) override {
    // A session that began before the range is not a start inside it, so
    // its first pageview is looked for among all of the visitor's.
    return FirstPageviews("visitor_id = " + Quote(visitor_id) + " AND ts < " + std::to_string(to_micros),
                          "ts >= " + std::to_string(from_micros), site_id);
  }

  Result<std::optional<Event>> SessionStart(std::string_view site_id, std::string_view session_id) override {
    auto starts = FirstPageviews("session_id = " + Quote(session_id), "1", site_id);
    if (!starts.ok()) return starts.status();
    if (starts->empty()) return std::optional<Event>();
    return std::optional<Event>(std::move(starts->front()));
  }

  Result<std::unordered_map<std::string, int64_t>> FirstSeen(std::string_view site_id,
                                                             const std::vector<std::string>& visitor_ids) override {
    constexpr size_t kPerQuery = 500;
    std::unordered_map<std::string, int64_t> out;
    for (size_t start = 0; start < visitor_ids.size(); start += kPerQuery) {
      std::string in;
      for (size_t i = start; i < std::min(visitor_ids.size(), start + kPerQuery); ++i) {
        in += (in.empty() ? "" : ", ") + Quote(visitor_ids[i]);
      }
      auto rows = Query("SELECT visitor_id, min(ts) FROM events WHERE site_id = " + Quote(site_id) +
                        " AND type != 'revenue' AND visitor_id IN (" + in + ") GROUP BY visitor_id");
      if (!rows.ok()) return rows.status().WithContext("first seen");
      for (const auto& row : *rows) out[row[0]] = Int(row[1]);
    }
    return out;
  }

  Result<std::vector<uint64_t>> NewVisitors(std::string_view site_id, const std::vector<int64_t>& boundaries) override {
    if (boundaries.size() < 2) return std::vector<uint64_t>();
    // The span's index: how many inner boundaries the first visit is past.
    std::string span = "0";
    for (size_t i = 1; i + 1 < boundaries.size(); ++i) span += " + (first >= " + std::to_string(boundaries[i]) + ")";
    auto rows =
        Query("SELECT " + span +
              " AS span, count() FROM (SELECT min(ts) AS first FROM events WHERE site_id = " + Quote(site_id) +
              " AND type != 'revenue' GROUP BY visitor_id) WHERE first >= " + std::to_string(boundaries.front()) +
              " AND first < " + std::to_string(boundaries.back()) + " GROUP BY span");
    if (!rows.ok()) return rows.status().WithContext("new visitors");
    std::vector<uint64_t> counts(boundaries.size() - 1, 0);
    for (const auto& row : *rows) counts[static_cast<size_t>(Int(row[0]))] = static_cast<uint64_t>(Int(row[1]));
    return counts;
  }

  Result<uint64_t> DeleteRevenueEvents(std::string_view site_id, const std::vector<std::string>& event_ids) override {
    if (event_ids.empty()) return uint64_t{0};
    // A payment's rows of the other models have ids that extend its own.
    std::string which;
    for (const std::string& id : event_ids) {
      which += (which.empty() ? "" : " OR ") + std::string("event_id = ") + Quote(id) + " OR startsWith(event_id, " +
               Quote(id + ".") + ")";
    }
    return Delete("site_id = " + Quote(site_id) + " AND type = 'revenue' AND (" + which + ")");
  }

  Result<uint64_t> DeleteSiteEvents(std::string_view site_id) override {
    std::string site = "site_id = " + Quote(site_id);
    return DeleteWithSessions(site, site, "");
  }

  Result<uint64_t> DeleteVisitorEvents(std::string_view site_id, std::string_view visitor_id) override {
    std::string visitor = "site_id = " + Quote(site_id) + " AND visitor_id = " + Quote(visitor_id);
    return DeleteWithSessions(visitor, visitor, "");
  }

  Result<uint64_t> DeleteEventsBefore(std::string_view site_id, int64_t before_micros) override {
    std::string site = "site_id = " + Quote(site_id), before = std::to_string(before_micros);
    // The sessions cut in two begin anew after the cut, on days of their own.
    std::string cut = "SELECT intDiv(minIf(ts, ts >= " + before + "), " + std::to_string(kDayMicros) +
                      ") AS first, intDiv(max(ts), " + std::to_string(kDayMicros) + ") AS last FROM events WHERE " +
                      site + " AND type != 'revenue' AND ts >= " + std::to_string(before_micros - kLateLookbackMicros) +
                      " GROUP BY session_id HAVING min(ts) < " + before + " AND max(ts) >= " + before;
    return DeleteWithSessions(site + " AND ts < " + before, site + " AND start_ts < " + before, cut);
  }

  Result<Metrics> Summarize(const ReportScope& scope) override {
    auto sealed = Sealed();
    if (!sealed.ok()) return sealed.status();
    return clickhouse::Summarize(Queries(), scope, *sealed);
  }
  Result<BreakdownPage> Breakdown(const ReportScope& scope, query::Dimension dimension, size_t limit,
                                  size_t offset) override {
    auto sealed = Sealed();
    if (!sealed.ok()) return sealed.status();
    return clickhouse::Breakdown(Queries(), scope, *sealed, dimension, limit, offset);
  }
  Result<std::vector<BucketRow>> Timeseries(const ReportScope& scope, query::Interval interval,
                                            std::span<const core::OffsetSpan> offsets) override {
    auto sealed = Sealed();
    if (!sealed.ok()) return sealed.status();
    return clickhouse::Timeseries(Queries(), scope, *sealed, interval, offsets);
  }
  Result<Realtime> RecentActivity(std::span<const std::string> site_ids, int64_t since_micros,
                                  size_t recent_limit) override {
    return clickhouse::RecentActivity(Queries(), site_ids, since_micros, recent_limit, ReadEvent, Columns());
  }

  Result<std::unordered_set<std::string>> EventIdsBetween(int64_t from_micros, int64_t to_micros) override {
    auto rows = Query("SELECT event_id FROM events WHERE ts >= " + std::to_string(from_micros) +
                      " AND ts <= " + std::to_string(to_micros));
    if (!rows.ok()) return rows.status().WithContext("read event ids");
    std::unordered_set<std::string> ids;
    for (const auto& row : *rows) ids.insert(row[0]);
    return ids;
  }

 private:
  clickhouse::QueryFn Queries() {
    return [this](const std::string& sql) { return Query(sql); };
  }

  std::string OnCluster() const { return server_.cluster.empty() ? "" : " ON CLUSTER " + server_.cluster; }

  // The engine of `table` on the cluster: ReplicatedMergeTree, its rows
  // split among the shards or, `sharded` false, whole on every server.
  std::string Replicated(const std::string& table, bool sharded) const {
    return "ReplicatedMergeTree('/clickhouse/tables/" + std::string(sharded ? "{shard}" : "all") + "/" +
           server_.database + "/" + table + "', '{replica}')";
  }

  // A migration's statement as the cluster runs it (docs/deployment.md,
  // "A ClickHouse cluster"): each table created on every server and
  // replicated; the events split among the shards by site (events_local)
  // behind a Distributed table named events, every other table whole on
  // every server. On one server, the statement itself.
  Result<std::vector<std::string>> ForCluster(const std::string& statement) const {
    if (server_.cluster.empty()) return std::vector<std::string>{statement};
    constexpr std::string_view kCreate = "CREATE TABLE IF NOT EXISTS ";
    constexpr std::string_view kEngine = "ENGINE = MergeTree()";
    size_t engine = statement.find(kEngine);
    if (!statement.starts_with(kCreate) || engine == std::string::npos) {
      return Status::InvalidArgument("a statement the cluster has no form for: " + statement.substr(0, 60));
    }
    size_t name_end = statement.find_first_of(" (", kCreate.size());
    std::string table = statement.substr(kCreate.size(), name_end - kCreate.size());
    bool events = table == "events";
    std::string local = events ? "events_local" : table;
    // Each server runs the statement in its own default database.
    std::string in = server_.database + ".";
    std::string out = std::string(kCreate) + in + local + OnCluster() + statement.substr(name_end, engine - name_end) +
                      "ENGINE = " + Replicated(local, events) + statement.substr(engine + kEngine.size());
    if (!events) return std::vector<std::string>{out};
    return std::vector<std::string>{out, std::string(kCreate) + in + "events" + OnCluster() + " AS " + in +
                                             "events_local ENGINE = Distributed(" + server_.cluster + ", " +
                                             server_.database + ", events_local, cityHash64(site_id))"};
  }

  // The statements of a migration, split at the semicolons that end lines.
  static std::vector<std::string> Statements(std::string_view sql) {
    std::vector<std::string> out;
    std::string current;
    while (!sql.empty()) {
      size_t end = sql.find('\n');
      std::string_view line = sql.substr(0, end);
      sql.remove_prefix(end == std::string_view::npos ? sql.size() : end + 1);
      if (line.starts_with("--") || (line.empty() && current.empty())) continue;
      current += std::string(line) + "\n";
      if (line.ends_with(";")) {
        current.erase(current.size() - 2);  // ";\n"
        out.push_back(std::move(current));
        current.clear();
      }
    }
    if (current.find_first_not_of(" \n") != std::string::npos) out.push_back(std::move(current));
    return out;
  }

  // The first pageview of each session among the site's pageviews that
  // `among` selects, then those of them that `keep` selects, oldest first.
  Result<std::vector<Event>> FirstPageviews(const std::string& among, const std::string& keep,
                                            std::string_view site_id) {
    auto rows =
        Query("SELECT " + Columns() + " FROM (SELECT " + Columns() + " FROM events WHERE site_id = " + Quote(site_id) +
              " AND type = 'pageview' AND " + among +
              " ORDER BY session_id, ts, event_id LIMIT 1 BY session_id) WHERE " + keep + " ORDER BY ts, event_id");
    if (!rows.ok()) return rows.status().WithContext("session starts");
    std::vector<Event> out;
    for (const auto& row : *rows) out.push_back(ReadEvent(row));
    return out;
  }

  // Counts the events `where` selects, deletes them, and waits until they
  // are gone: ClickHouse deletes in the background (a mutation), on a
  // cluster on each shard's own table.
  Result<uint64_t> Delete(const std::string& where) {
    auto count = Count("SELECT count() FROM events WHERE " + where);
    if (!count.ok() || *count == 0) return count;
    DF_RETURN_IF_ERROR(MutateEvents(where));
    return count;
  }

  Status MutateEvents(const std::string& where) {
    return Mutate(server_.cluster.empty() ? "events" : server_.database + ".events_local" + OnCluster(), "events",
                  where);
  }

  // Deletes the events `events` selects and the sealed sessions `sessions`
  // selects, then marks the days they were on, and those `more_days` gives
  // as ranges (first, last day), to be sealed again: a seal read before the
  // deletion may be swapped in after it.
  Result<uint64_t> DeleteWithSessions(const std::string& events, const std::string& sessions,
                                      const std::string& more_days) {
    auto deleting = Count("SELECT count() FROM events WHERE " + events);
    if (!deleting.ok() || *deleting == 0) return deleting;
    std::set<int64_t> days;
    auto on = Query("SELECT DISTINCT intDiv(ts, " + std::to_string(kDayMicros) + ") FROM events WHERE " + events +
                    " AND type != 'revenue'");
    if (!on.ok()) return on.status().WithContext("days to delete");
    for (const auto& row : *on) days.insert(Int(row[0]));
    if (!more_days.empty()) {
      auto ranges = Query(more_days);
      if (!ranges.ok()) return ranges.status().WithContext("days to delete");
      for (const auto& row : *ranges) {
        for (int64_t day = Int(row[0]); day <= Int(row[1]); ++day) days.insert(day);
      }
    }
    DF_RETURN_IF_ERROR(MutateEvents(events));
    std::lock_guard lock(seal_mutex_);
    // Replicated on a cluster: the mutation reaches every server.
    DF_RETURN_IF_ERROR(Mutate("sessions", "sessions", sessions));
    DF_RETURN_IF_ERROR(Mark(days));
    return deleting;
  }

  // Runs ALTER TABLE `target` DELETE WHERE `where` and waits until `table`
  // has no such row.
  Status Mutate(const std::string& target, const std::string& table, const std::string& where) {
    DF_RETURN_IF_ERROR(Execute("ALTER TABLE " + target + " DELETE WHERE " + where).WithContext("delete " + table));
    for (;;) {
      auto left = Count("SELECT count() FROM " + table + " WHERE " + where);
      if (!left.ok()) return left.status();
      if (*left == 0) return Status::Ok();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // Marks `days` out of date in the sessions table.
  Status Mark(const std::set<int64_t>& days) {
    if (days.empty()) return Status::Ok();
    std::string list;
    for (int64_t day : days) list += (list.empty() ? "" : ", ") + std::to_string(day);
    return Execute("INSERT INTO session_marks (day, marked_at) SELECT arrayJoin([" + list +
                   "]) AS day, toInt64(toUnixTimestamp(now()))")
        .WithContext("mark sessions");
  }

  // Marks the days of the sessions of `events` that arrived late (after
  // their day may have been sealed): every day from each such session's
  // first event to its last, since a late event may move its start.
  Status MarkLateSessions(std::span<const Event> events) {
    int64_t late_before = NowMicros() - kLateMicros;
    // Each late session's earliest event in the batch, by site.
    std::map<std::string, std::map<std::string, int64_t>> late;
    size_t sessions = 0;
    int64_t earliest = late_before, latest = 0;
    for (const Event& e : events) {
      if (e.type == EventType::kRevenue || e.ts_micros >= late_before) continue;
      auto [it, added] = late[e.site_id].emplace(e.session_id, e.ts_micros);
      if (!added) it->second = std::min(it->second, e.ts_micros);
      sessions += added;
      earliest = std::min(earliest, e.ts_micros);
      latest = std::max(latest, e.ts_micros);
    }
    if (sessions == 0) return Status::Ok();
    std::set<int64_t> days;
    // An import or a long backlog: every day its sessions may reach, from a
    // week before its first event to the day after its last (no session has
    // events a day apart), without looking them up.
    constexpr size_t kLookedUp = 1000;
    if (sessions > kLookedUp) {
      for (int64_t d = DayOf(earliest - kLateLookbackMicros); d <= DayOf(latest) + 1; ++d) days.insert(d);
      return Mark(days);
    }
    std::string day = std::to_string(kDayMicros);
    for (const auto& [site, starts] : late) {
      std::string in;
      int64_t first = late_before;
      for (const auto& [session, ts] : starts) {
        in += (in.empty() ? "" : ", ") + Quote(session);
        first = std::min(first, ts);
      }
      auto ranges = Query("SELECT intDiv(min(ts), " + day + "), intDiv(max(ts), " + day +
                          ") FROM events WHERE site_id = " + Quote(site) +
                          " AND type != 'revenue' AND ts >= " + std::to_string(first - kLateLookbackMicros) +
                          " AND session_id IN (" + in + ") GROUP BY session_id");
      if (!ranges.ok()) return ranges.status().WithContext("late sessions");
      for (const auto& row : *ranges) {
        for (int64_t d = Int(row[0]); d <= Int(row[1]); ++d) days.insert(d);
      }
    }
    return Mark(days);
  }

  static int64_t NowMicros() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  Result<SealState> ReadSealState() {
    SealState state;
    auto sealed = Query("SELECT day, max(sealed_at) FROM sessions WHERE site_id = '' GROUP BY day");
    if (!sealed.ok()) return sealed.status().WithContext("sealed days");
    for (const auto& row : *sealed) state.sealed_at[Int(row[0])] = Int(row[1]);
    auto marked = Query("SELECT day, max(marked_at) FROM session_marks GROUP BY day");
    if (!marked.ok()) return marked.status().WithContext("marked days");
    for (const auto& row : *marked) state.marked_at[Int(row[0])] = Int(row[1]);
    return state;
  }

  // Where the sessions table answers for reports, after sealing the days
  // that are due, unless another report is sealing them now.
  Result<SealedSpans> Sealed() {
    auto state = ReadSealState();
    if (!state.ok()) return state.status();
    std::unique_lock lock(seal_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return state->Spans();
    // Nothing was due a moment ago and no mark or seal came since: only the
    // clock can make a day due, and a minute's wait costs no answer.
    constexpr auto kRecheckAfter = std::chrono::seconds(60);
    auto now = std::chrono::steady_clock::now();
    if (nothing_due_in_ == *state && now - nothing_due_since_ < kRecheckAfter) return state->Spans();
    auto sealed = SealDueDays(*state);
    if (!sealed.ok()) return sealed.status();
    if (!*sealed) {
      nothing_due_in_ = *state;
      nothing_due_since_ = now;
      return state->Spans();
    }
    state = ReadSealState();
    if (!state.ok()) return state.status();
    return state->Spans();
  }

  // Seals every day that is over, quiet and not up to date: those marked,
  // and those with events after the last sealed day. Returns whether it
  // sealed any. REQUIRES: seal_mutex_ held.
  Result<bool> SealDueDays(const SealState& state) {
    auto now = Query("SELECT toInt64(toUnixTimestamp(now()))");
    if (!now.ok()) return now.status();
    int64_t read_at = Int(now->front().front());
    int64_t quiet_before = (read_at - kSealAfterSeconds) * 1'000'000;
    int64_t last_due = DayOf(quiet_before) - 1;
    std::set<int64_t> due;
    for (const auto& [day, at] : state.marked_at) {
      if (day <= last_due && !state.Clean(day)) due.insert(day);
    }
    if (state.LastSealed() < last_due) {
      auto days = Query(
          "SELECT DISTINCT intDiv(ts, " + std::to_string(kDayMicros) +
          ") FROM events WHERE type != 'revenue' AND ts >= " + std::to_string((state.LastSealed() + 1) * kDayMicros) +
          " AND ts < " + std::to_string((last_due + 1) * kDayMicros));
      if (!days.ok()) return days.status().WithContext("days to seal");
      for (const auto& row : *days) due.insert(Int(row[0]));
    }
    if (due.empty()) return false;
    // The days from the first on which a session still active began wait.
    auto active =
        Query("SELECT min(start) FROM (SELECT min(ts) AS start FROM events WHERE type != 'revenue' AND ts >= " +
              std::to_string(quiet_before - kLateLookbackMicros) +
              " AND (site_id, session_id) IN (SELECT site_id, session_id FROM events WHERE type != "
              "'revenue' AND ts >= " +
              std::to_string(quiet_before) + ") GROUP BY site_id, session_id)");
    if (!active.ok()) return active.status().WithContext("active sessions");
    // min over no rows is 0: none.
    if (int64_t start = Int(active->front().front()); start > 0) {
      due.erase(due.lower_bound(DayOf(start)), due.end());
    }
    if (due.empty()) return false;
    DF_RETURN_IF_ERROR(DropAbandonedStages(read_at).WithContext("abandoned seal tables"));
    // Named by its creation time, which tells when it was abandoned.
    std::string stage =
        std::string(kStagePrefix) + std::to_string(read_at) + "_" + std::to_string(std::random_device()());
    // A table of this server alone, wherever the sessions table is.
    DF_RETURN_IF_ERROR(Execute("CREATE TABLE " + stage + " AS sessions ENGINE = MergeTree() PARTITION BY intDiv(day, " +
                               std::to_string(kDaysPerPartition) + ") ORDER BY (site_id, start_ts)"));
    Status status = Status::Ok();
    for (auto it = due.begin(); it != due.end() && status.ok();) {
      int64_t partition = *it / kDaysPerPartition;
      std::vector<int64_t> days;
      for (; it != due.end() && *it / kDaysPerPartition == partition; ++it) days.push_back(*it);
      status = SealPartition(stage, partition, days, read_at);
    }
    Status dropped = Execute("DROP TABLE IF EXISTS " + stage);
    if (!status.ok()) return status.WithContext("seal sessions");
    if (!dropped.ok()) return dropped;
    return true;
  }

  // Drops the staging tables that processes killed while sealing left
  // behind: those created a day or more before `now` (unix seconds). A
  // seal's own table lives for one SealDueDays; other instances may be
  // sealing into theirs right now, so younger ones stay.
  Status DropAbandonedStages(int64_t now) {
    auto stages = Query("SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, " +
                        Quote(kStagePrefix) + ")");
    if (!stages.ok()) return stages.status();
    for (const auto& row : *stages) {
      const std::string& name = row[0];
      int64_t created = 0;
      std::string_view stamp = std::string_view(name).substr(kStagePrefix.size());
      auto [end, error] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), created);
      // A name without a time is from before the names had one: abandoned.
      bool timed = error == std::errc() && end != stamp.data() && *end == '_';
      if (timed && now - created < kStageLifetimeSeconds) continue;
      core::LogWarn("dropping a sessions staging table a killed seal left behind", {{"table", name}});
      DF_RETURN_IF_ERROR(Execute("DROP TABLE IF EXISTS " + name));
    }
    return Status::Ok();
  }

  // Swaps partition `partition` of the sessions table for one where `days`
  // are grouped anew from their events and its other days are as they were.
  Status SealPartition(const std::string& stage, int64_t partition, const std::vector<int64_t>& days, int64_t read_at) {
    DF_RETURN_IF_ERROR(Execute("TRUNCATE TABLE " + stage));
    std::string list;
    for (int64_t day : days) list += (list.empty() ? "" : ", ") + std::to_string(day);
    DF_RETURN_IF_ERROR(Execute("INSERT INTO " + stage + " SELECT * FROM sessions WHERE intDiv(day, " +
                               std::to_string(kDaysPerPartition) + ") = " + std::to_string(partition) +
                               " AND day NOT IN (" + list + ")"));
    for (size_t i = 0; i < days.size();) {
      // Consecutive days, a pass at a time.
      size_t end = i + 1;
      while (end < days.size() && days[end] == days[end - 1] + 1 && end - i < kSealDaysPerPass) ++end;
      DF_RETURN_IF_ERROR(
          Execute(clickhouse::SealInsert(stage, {days[i] * kDayMicros, (days[end - 1] + 1) * kDayMicros}, read_at)));
      i = end;
    }
    std::string markers;
    for (int64_t day : days) {
      markers += (markers.empty() ? "" : ", ") + std::string("(") + std::to_string(day) + ", " +
                 std::to_string(read_at) + ", '')";
    }
    DF_RETURN_IF_ERROR(Execute("INSERT INTO " + stage + " (day, sealed_at, site_id) VALUES " + markers));
    return Execute("ALTER TABLE sessions REPLACE PARTITION " + std::to_string(partition) + " FROM " + stage);
  }

  Result<uint64_t> Count(const std::string& sql) {
    auto rows = Query(sql);
    if (!rows.ok()) return rows.status();
    return rows->empty() ? uint64_t{0} : static_cast<uint64_t>(Int(rows->front().front()));
  }

  Result<std::vector<std::vector<std::string>>> Query(const std::string& sql) {
    auto body = Post(sql + " FORMAT TabSeparated", true);
    if (!body.ok()) return body.status();
    return clickhouse::ReadTabSeparated(*body);
  }

  Status Execute(const std::string& sql) { return Post(sql, true).status(); }

  Result<std::string> Post(const std::string& sql, bool in_database) {
    return Exchange(server_.base_url + "/?" + Parameters() + (in_database ? "database=" + server_.database : ""), sql);
  }

  // The credentials and settings of every request, each followed by '&'.
  // On a cluster, an insert answers once every shard stored its rows, and
  // a subquery on the events reads each shard's own (a site's events are
  // on one shard).
  std::string Parameters() const {
    std::string out;
    if (!server_.user.empty()) {
      out += "user=" + PercentEncode(server_.user) + "&password=" + PercentEncode(server_.password) + "&";
    }
    if (!server_.cluster.empty()) out += "insert_distributed_sync=1&distributed_product_mode=local&";
    return out;
  }

  Result<std::string> Exchange(const std::string& url, std::string_view body) {
    auto answer = core::HttpExchange("ClickHouse", "POST", url, {}, body, kQueryTimeout);
    if (!answer.ok()) return answer.status();
    if (answer->status != 200) {
      std::string message = answer->body;
      while (!message.empty() && message.back() == '\n') message.pop_back();
      return Status::IoError("ClickHouse: " + message);
    }
    return std::move(answer->body);
  }

  const Server server_;
  // One seal at a time in this process; deletions wait for it.
  std::mutex seal_mutex_;
  // Under seal_mutex_: the state in which the last look found nothing to
  // seal, and when.
  std::optional<SealState> nothing_due_in_;
  std::chrono::steady_clock::time_point nothing_due_since_;
};

}  // namespace

Result<std::unique_ptr<EventStore>> OpenClickHouseEventStore(const std::string& url) {
  auto server = ParseUrl(url);
  if (!server.ok()) return server.status();
  auto store = std::make_unique<ClickHouseEventStore>(std::move(*server));
  DF_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<EventStore>(std::move(store));
}

}  // namespace datafast::store
