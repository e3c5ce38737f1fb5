// An event as one JSON object: the form `datafast export` writes and
// `datafast import` reads (one object a line) and the golden query fixtures (tests/golden) are written in.
// Keys are the storage names (store/event.h): "ts" (ISO 8601, required),
// "type" (default "pageview"), "event_id" (a new UUID when absent), the text
// fields, "screen_width", "language", and for type "revenue" "revenue" in
// major units, "attribution" and "credit_micros" (a revenue row without an
// attribution is a last-touch row of a whole payment). Thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "core/status.h"
#include "store/event.h"

namespace datafast::store {

// Every field of `event` but its site, "ts" with microseconds
// ("2026-11-26T10:00:00.123456Z"): EventFromJson reads it back unchanged.
boost::json::object EventToJson(const Event& event);

// kInvalidArgument naming the key for an unknown key, a wrong type or a bad
// value. The site id is the caller's to set.
Result<Event> EventFromJson(const boost::json::object& object);

}  // namespace datafast::store
