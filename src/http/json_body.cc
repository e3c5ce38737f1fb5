#include "http/json_body.h"

#include <boost/json/parse.hpp>

namespace datafast::http {

Result<boost::json::object> ParseJsonObject(const Request& request) {
  if (request.body().empty()) return boost::json::object();
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body(), ec);
  if (ec) return Status::InvalidArgument("body is not valid JSON: " + ec.message());
  if (!value.is_object()) return Status::InvalidArgument("body must be a JSON object");
  return std::move(value.get_object());
}

Result<std::optional<std::string>> OptionalStringField(const boost::json::object& body, std::string_view field) {
  const boost::json::value* value = body.if_contains(field);
  if (!value || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) return Status::InvalidArgument(std::string(field) + ": must be a string");
  return std::optional<std::string>(std::string(value->get_string()));
}

Result<std::string> RequiredStringField(const boost::json::object& body, std::string_view field) {
  auto value = OptionalStringField(body, field);
  if (!value.ok()) return value.status();
  if (!*value || (*value)->empty()) return Status::InvalidArgument(std::string(field) + ": is required");
  return std::move(**value);
}

Handler ResultHandler(std::function<Result<Response>(RequestContext&)> fn) {
  return [fn = std::move(fn)](RequestContext& ctx) -> boost::asio::awaitable<Response> {
    Result<Response> res = fn(ctx);
    co_return res.ok() ? std::move(*res) : FieldErrorResponse(res.status());
  };
}

Response FieldErrorResponse(const Status& status) {
  const std::string& message = status.message();
  size_t colon = message.find(": ");
  bool named = colon != std::string::npos && colon > 0 && colon <= 32 &&
               message.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == colon;
  if (!named) return ErrorResponse(status);
  return ErrorResponse(Status(status.code(), message.substr(colon + 2)), message.substr(0, colon));
}

}  // namespace datafast::http
