// The one way this server calls other services over HTTP (payment
// providers, the X API, ClickHouse): a blocking exchange through libcurl
// with a time limit. Base URLs are configuration everywhere (tests point
// them at a local peer; the providers cannot be reached from the build
// machines). Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datafast::core {

struct HttpAnswer {
  long status = 0;
  std::string body;
};

// `method` GET or POST; `headers` as "Name: value". kUnavailable, naming
// `service`, when it cannot be reached or does not answer within
// `timeout`; any HTTP status is an answer.
Result<HttpAnswer> HttpExchange(std::string_view service, std::string_view method, const std::string& url,
                                const std::vector<std::string>& headers, std::string_view body = {},
                                std::chrono::seconds timeout = std::chrono::seconds(20));

}  // namespace datafast::core
