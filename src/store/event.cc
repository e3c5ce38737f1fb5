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

}  // namespace datafast::store
