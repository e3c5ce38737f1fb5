// Reading JSON request bodies for the app's endpoints: one parse, and
// field getters whose errors name the field (for inline form errors).
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/types.h"

namespace datafast::http {

// The body as a JSON object; an empty body is an empty object.
Result<boost::json::object> ParseJsonObject(const Request& request);

// A string field: nullopt when absent or null; kInvalidArgument, with the
// message "FIELD: must be a string", when it is something else.
Result<std::optional<std::string>> OptionalStringField(const boost::json::object& body, std::string_view field);
// As above, but absent or empty is "FIELD: is required".
Result<std::string> RequiredStringField(const boost::json::object& body, std::string_view field);

// A handler from a plain function: its error Status becomes the error
// envelope, with the field at fault (FieldErrorResponse).
Handler ResultHandler(std::function<Result<Response>(RequestContext&)> fn);

// Splits "field: message" into the field and answers the error envelope with
// it, so the app can show the message beside the field.
Response FieldErrorResponse(const Status& status);

}  // namespace datafast::http
