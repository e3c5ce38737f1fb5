#include "store/event.h"

namespace datafast::store {

std::string_view ToString(EventType type) {
  switch (type) {
    case EventType::kPageview:
      return "pageview";
    case EventType::kGoal:
      return "goal";
    case EventType::kOutbound:
      return "outbound";
    case EventType::kPayment:
      return "payment";
    case EventType::kRevenue:
      return "revenue";
  }
  return "pageview";
}

std::optional<EventType> ParseEventType(std::string_view s) {
  if (s == "pageview") return EventType::kPageview;
  if (s == "goal") return EventType::kGoal;
  if (s == "outbound") return EventType::kOutbound;
  if (s == "payment") return EventType::kPayment;
  if (s == "revenue") return EventType::kRevenue;
  return std::nullopt;
}

std::string_view ToString(AttributionModel model) {
  switch (model) {
    case AttributionModel::kLastTouch:
      return "last";
    case AttributionModel::kFirstTouch:
      return "first";
    case AttributionModel::kLinear:
      return "linear";
  }
  return "last";
}

std::optional<AttributionModel> ParseAttributionModel(std::string_view s) {
  if (s == "last") return AttributionModel::kLastTouch;
  if (s == "first") return AttributionModel::kFirstTouch;
  if (s == "linear") return AttributionModel::kLinear;
  return std::nullopt;
}

}  // namespace datafast::store
