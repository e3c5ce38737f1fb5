#include "store/event_json.h"

#include <cmath>
#include <cstdio>

#include "core/clock.h"
#include "core/ids.h"
#include "core/time_zone.h"

namespace datafast::store {

boost::json::object EventToJson(const Event& e) {
  boost::json::object o;
  o["event_id"] = e.event_id;
  int64_t seconds = e.ts_micros / 1'000'000 - (e.ts_micros % 1'000'000 < 0 ? 1 : 0);
  std::string ts = core::FormatIsoTime(seconds * 1'000'000);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%06lld", static_cast<long long>(e.ts_micros - seconds * 1'000'000));
  ts.insert(ts.size() - 1, fraction);  // before the Z
  o["ts"] = ts;
  o["type"] = ToString(e.type);
  for (size_t i = 0; i < kEventTextFields.size(); ++i) o[kEventTextFieldNames[i]] = e.*kEventTextFields[i];
  o["screen_width"] = e.screen_width;
  o["language"] = e.language;
  o["revenue"] = static_cast<double>(e.revenue_micros) / 1e6;
  o["attribution"] = e.attribution;
  o["credit_micros"] = e.credit_micros;
  return o;
}

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
    if (key == "credit_micros") {
      if (!value.is_int64() || value.get_int64() < 0 || value.get_int64() > 1'000'000) {
        return invalid("must be a whole number from 0 to 1000000");
      }
      e.credit_micros = value.get_int64();
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
    } else if (key == "attribution") {
      if (!text.empty() && !ParseAttributionModel(text)) return invalid("is not one of last, first, linear");
      e.attribution = std::move(text);
    } else {
      size_t i = 0;
      while (i < kEventTextFieldNames.size() && kEventTextFieldNames[i] != key) ++i;
      if (i == kEventTextFieldNames.size()) return invalid("is not an event field");
      e.*kEventTextFields[i] = std::move(text);
    }
  }
  if (!has_ts) return Status::InvalidArgument("ts: is required");
  if (e.type == EventType::kRevenue && e.attribution.empty()) {
    // Exported before attribution models: a last-touch row of a whole payment.
    e.attribution = ToString(AttributionModel::kLastTouch);
    if (!object.contains("credit_micros")) e.credit_micros = 1'000'000;
  }
  if (e.event_id.empty()) e.event_id = core::NewUuid();
  return e;
}

}  // namespace datafast::store
