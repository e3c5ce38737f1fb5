// The analytics reports of the v1 API (../shared/API-COMPAT.md, docs/api.md):
// overview, timeseries, the breakdowns, realtime and realtime/map. Each
// turns a request's query parameters into the whole response body, reading
// through EventStore only, so the dashboard, the API, the share links and
// the golden tests (tests/golden) all get the same answer from every
// backend. Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "http/types.h"
#include "query/filters.h"
#include "store/event_store.h"
#include "store/meta_store.h"

namespace datafast::api {

using http::ParamValue;
using http::QueryParams;

struct ReportRequest {
  const store::Site* site;
  QueryParams params;  // decoded, in order
  int64_t now_micros = 0;
  std::string zoneinfo_dir = "/usr/share/zoneinfo";
};

// `report`: "overview", "timeseries", "realtime", "realtime/map" or a
// breakdown of BreakdownReports(). Bad parameters are kInvalidArgument with
// a message that names the parameter.
Result<boost::json::object> RunReport(store::EventStore& events, std::string_view report, const ReportRequest& request);

// GET /api/v1/analytics/revenue (docs/api.md): the period's revenue from the
// site's payments, with MRR and subscriptions over time.
Result<boost::json::object> RevenueReport(store::EventStore& events, store::MetaStore& meta,
                                          const ReportRequest& request);

// GET /api/v1/analytics/x (docs/api.md): visits from X, organic against X
// Ads, each post a link named by its id (?ref=x-ID, or utm_content=ID on an
// X visit) or the site registered, by visitors and revenue, with what the X
// API said of it, and the site's X accounts with their posts' figures.
Result<boost::json::object> XReport(store::EventStore& events, store::MetaStore& meta, const ReportRequest& request);

// The local dates the request's period covers, both included, as
// YYYY-MM-DD ("" for an open start: all time); for the notes beside a report.
struct DateSpan {
  std::string first, last;
};
Result<DateSpan> ReportDates(const ReportRequest& request);

// The breakdown endpoints ("referrers", "pages", "countries"…) and their
// dimensions, in the order the docs list them.
const std::vector<std::pair<std::string_view, query::Dimension>>& BreakdownReports();

}  // namespace datafast::api
