// EventStore: where enriched events live. The embedded backend is DuckDB
// (store/duckdb); the scale-out backend is ClickHouse (store/clickhouse).
// Callers never see which one they talk to.
//
// Thread-safety: Append is called by one writer thread only (the ingestion
// writer); the read methods may be called from any thread, concurrently with
// Append.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/status.h"
#include "query/filters.h"
#include "query/period.h"
#include "store/event.h"
#include "store/report.h"

namespace datafast::store {

// What the setup screen shows while it waits for a site's first visits.
struct SiteActivity {
  uint64_t events = 0;          // all events but those on the probe path
  uint64_t probe_events = 0;    // events on the probe path (test visits)
  int64_t first_ts_micros = 0;  // of `events`; 0 when there are none
  int64_t last_ts_micros = 0;
  std::vector<Event> recent;  // newest first, probe events included
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends `events` in one transaction. When it returns Ok the events are
  // durable (they survive a crash or power loss); when it fails none of them
  // is stored. REQUIRES: called from a single thread at a time.
  virtual Status Append(std::span<const Event> events) = 0;

  // Calls `fn` for each event of `site_id` in time order.
  virtual Status ForEachEvent(std::string_view site_id, const std::function<void(const Event&)>& fn) = 0;

  virtual Result<uint64_t> CountEvents(std::string_view site_id) = 0;
  // Events of the site with from_micros <= ts < to_micros.
  virtual Result<uint64_t> CountEventsBetween(std::string_view site_id, int64_t from_micros, int64_t to_micros) = 0;

  // Counts a site's events apart from those whose pathname is
  // `probe_pathname`, with the `recent_limit` newest events of all.
  virtual Result<SiteActivity> Activity(std::string_view site_id, std::string_view probe_pathname,
                                        size_t recent_limit) = 0;

  // Attribution reads a visitor's visits: the first pageview of each of the
  // visitor's sessions that starts in [from_micros, to_micros), oldest
  // first, with the session's attributes in its columns.
  virtual Result<std::vector<Event>> SessionStarts(std::string_view site_id, std::string_view visitor_id,
                                                   int64_t from_micros, int64_t to_micros) = 0;
  // The first pageview of one session, if any of it is stored.
  virtual Result<std::optional<Event>> SessionStart(std::string_view site_id, std::string_view session_id) = 0;

  // When each of `visitor_ids` was first seen on the site (their first event
  // of any kind); visitors with no event are left out.
  virtual Result<std::unordered_map<std::string, int64_t>> FirstSeen(std::string_view site_id,
                                                                     const std::vector<std::string>& visitor_ids) = 0;

  // How many of the site's visitors were first seen in each span between
  // consecutive `boundaries` (ascending instants): cohort sizes, one count
  // per span.
  virtual Result<std::vector<uint64_t>> NewVisitors(std::string_view site_id,
                                                    const std::vector<int64_t>& boundaries) = 0;

  // Deletes the revenue events (kRevenue) of `site_id` with these ids: a
  // payment deleted or credited anew. Returns how many went.
  virtual Result<uint64_t> DeleteRevenueEvents(std::string_view site_id, const std::vector<std::string>& event_ids) = 0;

  // Deletions for privacy and retention; each returns how many events went.
  virtual Result<uint64_t> DeleteSiteEvents(std::string_view site_id) = 0;
  virtual Result<uint64_t> DeleteVisitorEvents(std::string_view site_id, std::string_view visitor_id) = 0;
  virtual Result<uint64_t> DeleteEventsBefore(std::string_view site_id, int64_t before_micros) = 0;

  // Reports: the rules every backend follows are in store/report.h.
  virtual Result<Metrics> Summarize(const ReportScope& scope) = 0;
  // Rows of `dimension` by visitors, then revenue, then value; utm_*, ref,
  // source, via and goal rows never have an empty value.
  virtual Result<BreakdownPage> Breakdown(const ReportScope& scope, query::Dimension dimension, size_t limit,
                                          size_t offset) = 0;
  // The buckets of `interval` that have events, on the local clock that
  // `offsets` describe (ascending; the first span covers scope.from_micros).
  virtual Result<std::vector<BucketRow>> Timeseries(const ReportScope& scope, query::Interval interval,
                                                    std::span<const core::OffsetSpan> offsets) = 0;
  // Activity of `site_ids` from `since_micros` on: distinct visitors, where
  // they are, and the `recent_limit` newest events and payments.
  virtual Result<Realtime> RecentActivity(std::span<const std::string> site_ids, int64_t since_micros,
                                          size_t recent_limit) = 0;

  // The ids of every stored event with from_micros <= ts <= to_micros, of any
  // site. Crash recovery uses it to load each logged event exactly once.
  virtual Result<std::unordered_set<std::string>> EventIdsBetween(int64_t from_micros, int64_t to_micros) = 0;
};

}  // namespace datafast::store
