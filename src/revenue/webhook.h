// What a payment provider's webhook delivery says, once its signature is
// verified: the delivery's own id (so a retried delivery is recognised), its
// event type, and the money movements it reports. Every provider's parser
// (stripe/, lemonsqueezy/, polar/, shopify/) returns this shape; below it are
// the few helpers those parsers share for reading untrusted JSON and for
// signatures. Everything here is a pure function of its arguments:
// thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "revenue/payment_report.h"

namespace datafast::revenue {

struct WebhookDelivery {
  // Stable across the provider's retries of the same delivery: Stripe's event
  // id, Polar's webhook-id, Shopify's X-Shopify-Event-Id; for Lemon Squeezy,
  // which has none, the event name and the object's id.
  std::string delivery_id;
  std::string event_type;  // checkout.session.completed, order_created, order.paid, orders/paid …
  // Empty for event types that are acknowledged and ignored.
  std::vector<PaymentReport> payments;
};

// A request header by name, looked up case-insensitively as HTTP names are;
// empty when absent. Keeps the parsers independent of the HTTP library.
using HeaderLookup = std::function<std::string_view(std::string_view name)>;

// The price of a recurring plan per month, in minor units: `amount` charged
// every `interval_count` `interval`s ("day", "week", "month" or "year"),
// rounded to the nearest unit. 0 for an unknown interval or a count outside
// 1 to 1000.
int64_t MonthlyAmount(int64_t amount, std::string_view interval, int64_t interval_count);

// Reading a delivery's JSON. Providers' payloads are untrusted input, so
// these never throw: a field that is absent or of another type reads as
// nothing, and the parser decides whether that is an error.
namespace webhook_json {

// kInvalidArgument unless `body` is one JSON object.
Result<boost::json::object> ParseObject(std::string_view body);

const boost::json::object* ObjectAt(const boost::json::object& object, std::string_view key);
const boost::json::array* ArrayAt(const boost::json::object& object, std::string_view key);
std::string_view StringAt(const boost::json::object& object, std::string_view key);
std::optional<int64_t> IntAt(const boost::json::object& object, std::string_view key);
// An amount in minor units: an integer from 0 to 2^53, far above any real
// payment, so that sums and conversions of it cannot overflow.
std::optional<int64_t> AmountAt(const boost::json::object& object, std::string_view key);
// An id that a provider sends as a string or as an integer, as text.
std::string IdAt(const boost::json::object& object, std::string_view key);

// The tracker's cookie values the site passed at checkout, read from
// `metadata` (datafast_visitor_id, datafast_session_id) into `report`;
// nothing when `metadata` is null.
void ReadTrackerIds(const boost::json::object* metadata, PaymentReport& report);

}  // namespace webhook_json
}  // namespace datafast::revenue
