// The request and response types every handler sees, and the JSON helpers
// that keep one response shape across the API: success bodies are the
// handler's, errors are {"status":"error","error":{"code":N,"message":"…"}}.
// The mapping from Status codes to HTTP statuses lives here and nowhere else.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace datafast::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

struct RequestContext {
  const Request& request;
  std::string client_ip;            // resolved through trusted proxies; never store or log it
  std::vector<std::string> params;  // what the route pattern's "{}" segments matched
};

using Handler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;

beast_http::status HttpStatusFor(StatusCode code);

// The query string of a request target ("/x?a=1&b=2"), percent-decoded, in
// order; and the value of the first parameter `name` in it, or "".
using QueryParams = std::vector<std::pair<std::string, std::string>>;
QueryParams ParseQueryParams(std::string_view target);
std::string_view ParamValue(const QueryParams& params, std::string_view name);

// A JSON response with `body` serialized.
Response JsonResponse(beast_http::status status, const boost::json::value& body);
// The same with a body already serialized: for answers that never change.
Response JsonTextResponse(beast_http::status status, std::string json_text);
// 204 with Cache-Control: no-store: what a change with nothing to report answers.
Response NoContentResponse();

// The error envelope for `status`, with `field` naming the input to blame
// when there is one; 503 and 429 carry Retry-After (1 s unless the caller
// sets another). Internal errors are logged and answered without details.
Response ErrorResponse(const Status& status, std::string_view field = {});

}  // namespace datafast::http
