// What the query engine asks an EventStore for, and what it gets back: raw
// counts for a scope of events (the sites, a time range, filters), overall,
// per dimension value or per time bucket. Rates and averages are the query
// layer's arithmetic on these counts, so every backend answers alike.
//
// The rules every backend implements (docs/api.md, "Analytics", explains them to users):
// - A session is a session_id; its attributes (channel, referrer, UTM, ref/
//   source/via, entry page, location, browser, OS, device) are those of its
//   first pageview, its exit page that of its last. It bounces when it has one
//   pageview and no goal or outbound click; its duration runs from its first
//   to its last event.
// - A session belongs, whole, to the period (and the time bucket) in which
//   it starts, with its pageviews, goals, bounce and duration: every count
//   reads the sessions that start in the range. A page, hostname or goal row
//   counts those sessions' pageviews or completions of it.
// - A filter selects sessions: on a session attribute by that attribute; on
//   page or hostname, sessions with a matching pageview; on goal, with a
//   matching goal. is_not and does_not_contain select the sessions the
//   positive form does not.
// - Revenue is the kRevenue events in the range of the scope's attribution
//   model (their payments counted by credit_micros). Each carries the attribution
//   of the visit that earned it in the session-attribute columns, so session
//   attribute filters and breakdowns read its own columns; for page,
//   hostname, exit page and goal it counts when its visitor is among the
//   selected sessions' visitors.
// - Where a backend counts distinct visitors or sessions, it may count a
//   64-bit hash of their ids (odds of one collision among ten million: about
//   1 in 370,000).
// - A visitor converts by paying (a kRevenue event with a positive amount) or,
//   when a conversion goal is named, by completing that goal, in the range.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time_zone.h"
#include "query/filters.h"
#include "store/event.h"

namespace datafast::store {

struct ReportScope {
  std::vector<std::string> site_ids;
  int64_t from_micros = 0;  // [from, to), UTC
  int64_t to_micros = 0;
  std::vector<query::Filter> filters;  // all must hold
  std::string conversion_goal;         // "": converting means paying
  // The sites' own time zone (their setting), which a backend may keep
  // per-day aggregates in; "" when there is none to use. Never changes an
  // answer: the range is what counts.
  std::string time_zone;
  // Whose kRevenue rows count; visitors convert alike under every model.
  AttributionModel attribution = AttributionModel::kLastTouch;
};

struct Metrics {
  uint64_t visitors = 0;
  uint64_t sessions = 0;
  uint64_t pageviews = 0;
  uint64_t bounces = 0;         // sessions that bounced
  int64_t duration_micros = 0;  // summed over sessions
  int64_t revenue_micros = 0;   // net of refunds
  // Payments credited (kRevenue rows with a positive amount): whole ones
  // but under the linear model, which splits a payment among its visits.
  double payments = 0;
  uint64_t converted_visitors = 0;
  uint64_t completions = 0;  // goal breakdowns: goals completed
  bool operator==(const Metrics&) const = default;
};

struct BreakdownRow {
  std::string value;  // "" for none: direct traffic, unknown country…
  // Regions and cities: the country code; referrers: the referrer domain.
  std::string detail;
  Metrics metrics;
  bool operator==(const BreakdownRow&) const = default;
};

struct BreakdownPage {
  std::vector<BreakdownRow> rows;  // by visitors, then revenue, then value
  uint64_t total_rows = 0;         // before limit and offset
};

// One bucket of a time series. Hours are keyed by the UTC instant they start
// (a fall-back night has two local 02:00s), days, weeks and months by their
// start on the local clock (seconds since 1970-01-01 00:00 local time).
struct BucketRow {
  int64_t start_seconds = 0;
  Metrics metrics;
  bool operator==(const BucketRow&) const = default;
};

struct RealtimeLocation {
  std::string country, region, city;
  uint64_t visitors = 0;
};

struct Realtime {
  uint64_t visitors = 0;                    // distinct visitors since the cut-off
  std::vector<RealtimeLocation> locations;  // by visitors
  std::vector<Event> recent_events;         // newest first; no kRevenue
  std::vector<Event> recent_payments;       // newest first
};

}  // namespace datafast::store
