// The one way this server calls payment providers' APIs: a blocking HTTPS
// exchange through libcurl with a 20-second limit. Base URLs are
// configuration everywhere (tests point them at a local peer; the providers
// cannot be reached from the build machines). Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datafast::revenue {

struct HttpAnswer {
  long status = 0;
  std::string body;
};

// `method` GET or POST; `headers` as "Name: value". kUnavailable, naming
// `provider`, when it cannot be reached; any HTTP status is an answer.
Result<HttpAnswer> HttpExchange(std::string_view provider, std::string_view method, const std::string& url,
                                const std::vector<std::string>& headers, std::string_view body = {});

}  // namespace datafast::revenue
