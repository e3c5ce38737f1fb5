// What every backend's reports know of a dimension (store/report.h): how its
// value is read, in SQL both DuckDB and ClickHouse accept, and how its rows
// are keyed and shown. Pure functions: thread-safe.
#pragma once

#include <string>
#include <utility>

#include "query/filters.h"

namespace datafast::store {

enum class DimensionKind {
  kSessionAttribute,  // of the session (its first pageview); a revenue row carries its own
  kPageEvent,         // of each pageview (pages, hostnames)
  kExitPage,          // of the session's last pageview
  kGoal,              // of each goal
};

struct DimensionSql {
  DimensionKind kind;
  std::string session_expr;  // over a session row ("" where the kind has none)
  std::string event_expr;    // over an events row (revenue rows for attributes)
};

DimensionSql SqlOf(query::Dimension d);

// A session's columns taken from its first pageview, each with the events
// column it comes from (the exit page, of its last pageview, is not here).
inline constexpr std::pair<const char*, const char*> kFromFirstPageview[] = {{"channel", "channel"},
                                                                             {"source", "source"},
                                                                             {"referrer_domain", "referrer_domain"},
                                                                             {"utm_source", "utm_source"},
                                                                             {"utm_medium", "utm_medium"},
                                                                             {"utm_campaign", "utm_campaign"},
                                                                             {"utm_term", "utm_term"},
                                                                             {"utm_content", "utm_content"},
                                                                             {"ref_param", "ref_param"},
                                                                             {"source_param", "source_param"},
                                                                             {"via_param", "via_param"},
                                                                             {"entry_page", "pathname"},
                                                                             {"country", "country"},
                                                                             {"region", "region"},
                                                                             {"city", "city"},
                                                                             {"browser", "browser"},
                                                                             {"os", "os"},
                                                                             {"device", "device"}};

// Rows without a value are left out for these: a visit without a campaign
// is not a campaign.
bool HidesEmptyValue(query::Dimension d);

// Regions and cities are told apart by country ("Georgia"); referrers show
// one of their domains.
enum class Detail { kNone, kCountryKey, kReferrerDomain };
Detail DetailOf(query::Dimension d);

}  // namespace datafast::store
