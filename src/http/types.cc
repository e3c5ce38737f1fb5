#include "http/types.h"

#include <boost/url/parse.hpp>

#include "core/json_text.h"
#include "core/log.h"

namespace datafast::http {

beast_http::status HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return beast_http::status::ok;
    case StatusCode::kInvalidArgument:
      return beast_http::status::bad_request;
    case StatusCode::kUnauthenticated:
      return beast_http::status::unauthorized;
    case StatusCode::kPermissionDenied:
      return beast_http::status::forbidden;
    case StatusCode::kNotFound:
      return beast_http::status::not_found;
    case StatusCode::kMethodNotAllowed:
      return beast_http::status::method_not_allowed;
    case StatusCode::kConflict:
      return beast_http::status::conflict;
    case StatusCode::kTooLarge:
      return beast_http::status::payload_too_large;
    case StatusCode::kRateLimited:
      return beast_http::status::too_many_requests;
    case StatusCode::kUnavailable:
      return beast_http::status::service_unavailable;
    case StatusCode::kInternal:
    case StatusCode::kIoError:
      return beast_http::status::internal_server_error;
  }
  return beast_http::status::internal_server_error;
}

QueryParams ParseQueryParams(std::string_view target) {
  QueryParams out;
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return out;
  for (auto param : url->params()) out.emplace_back(param.key, param.value);
  return out;
}

std::string_view ParamValue(const QueryParams& params, std::string_view name) {
  for (const auto& [key, value] : params)
    if (key == name) return value;
  return {};
}

Response JsonResponse(beast_http::status status, const boost::json::value& body) {
  return JsonTextResponse(status, core::WriteJson(body));
}

Response JsonTextResponse(beast_http::status status, std::string json_text) {
  Response res{status, 11};
  res.set(beast_http::field::content_type, "application/json");
  res.set(beast_http::field::cache_control, "no-store");
  res.body() = std::move(json_text);
  return res;
}

Response NoContentResponse() {
  Response res{beast_http::status::no_content, 11};
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

Response ErrorResponse(const Status& status, std::string_view field) {
  beast_http::status http_status = HttpStatusFor(status.code());
  bool internal = status.code() == StatusCode::kInternal || status.code() == StatusCode::kIoError;
  // Internal details stay in the log; the client gets a stable sentence.
  if (internal) core::LogError("request failed", {{"error", status.message()}});
  boost::json::object error{{"code", static_cast<int>(http_status)},
                            {"message", internal ? "internal error" : status.message()}};
  if (!field.empty()) error["field"] = field;
  Response res = JsonResponse(http_status, boost::json::object{{"status", "error"}, {"error", std::move(error)}});
  if (http_status == beast_http::status::service_unavailable || http_status == beast_http::status::too_many_requests) {
    res.set(beast_http::field::retry_after, "1");
  }
  return res;
}

}  // namespace datafast::http
