#include "store/event_json.h"

#include <cmath>

#include "core/ids.h"
#include "core/time_zone.h"

namespace datafast::store {

Result<Event> EventFromJson(const boost::json::object& object) {
  Event e;
  bool has_ts = false;
  for (const auto& [key_view, value] : object) {
    std::string_view key(key_view.data(), key_view.size());
    auto invalid = [&](std::string_view why) {
      return Status::InvalidArgument(std::string(key) + ": " + std::string(why));
    };
    if (key == "screen_width") {
      if (!value.is_int64() || value.get_int64() < 0 || value.get_int64() > 100'000) {
        return invalid("must be a whole number from 0 to 100000");
      }
      e.screen_width = static_cast<int32_t>(value.get_int64());
      continue;
    }
    if (key == "revenue") {
      if (!value.is_number()) return invalid("must be a number");
      double major = value.to_number<double>();
      if (!std::isfinite(major) || std::fabs(major) > 1e12) return invalid("is out of range");
      e.revenue_micros = std::llround(major * 1e6);
      continue;
    }
    if (!value.is_string()) return invalid("must be a string");
    std::string text(value.get_string());
    if (key == "ts") {
      auto ts = core::ParseIsoTime(text);
      if (!ts) return invalid("is not an ISO 8601 time");
      e.ts_micros = *ts;
      has_ts = true;
    } else if (key == "type") {
      auto type = ParseEventType(text);
      if (!type) return invalid("is not one of pageview, goal, outbound, payment, revenue");
      e.type = *type;
    } else if (key == "event_id") {
      e.event_id = std::move(text);
    } else if (key == "language") {
      e.language = std::move(text);
    } else {
      size_t i = 0;
      while (i < kEventTextFieldNames.size() && kEventTextFieldNames[i] != key) ++i;
      if (i == kEventTextFieldNames.size()) return invalid("is not an event field");
      e.*kEventTextFields[i] = std::move(text);
    }
  }
  if (!has_ts) return Status::InvalidArgument("ts: is required");
  if (e.event_id.empty()) e.event_id = core::NewUuid();
  return e;
}

}  // namespace datafast::store
