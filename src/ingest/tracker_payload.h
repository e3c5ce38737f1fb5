// The JSON body the tracker posts to /api/events (tracker/README.md), parsed
// and checked field by field. Every refusal names the field and the rule, so
// a developer reading the 400 knows what to fix.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/url/url.hpp>

#include "core/status.h"
#include "store/event.h"

namespace datafast::ingest {

inline constexpr size_t kMaxBodyBytes = 8 * 1024;
inline constexpr size_t kMaxUrlLength = 2048;
inline constexpr size_t kMaxGoalNameLength = 64;
inline constexpr size_t kMaxGoalParams = 10;
inline constexpr size_t kMaxGoalParamValueLength = 255;

struct TrackerPayload {
  std::string website_id;
  store::EventType type = store::EventType::kPageview;
  // Kept parsed: the pipeline reads their parts, and parsing a URL costs
  // more than the rest of the payload.
  boost::urls::url href;      // absolute http(s) URL of the page, with a host
  boost::urls::url referrer;  // empty() when none
  int32_t screen_width = 0;
  std::string language;
  std::string visitor_id;  // "" for the cookieless variant
  std::string session_id;
  bool hash_mode = false;  // the page routes by location.hash
  std::string goal_name;
  std::vector<std::pair<std::string, std::string>> goal_params;
  std::string outbound_url;
  std::string payment_provider;
  std::string transaction_id;
};

// Parses and validates `body` (JSON, UTF-8, at most kMaxBodyBytes). Fails
// with kTooLarge or kInvalidArgument.
Result<TrackerPayload> ParseTrackerPayload(std::string_view body);

}  // namespace datafast::ingest
