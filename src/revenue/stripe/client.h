// A client of the Stripe API: form-encoded POSTs with the secret key, JSON
// answers. The base URL is configuration (tests point it at a local peer;
// Stripe cannot be reached from the build machines). Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace datafast::revenue::stripe {

class Client {
 public:
  Client(std::string base_url, std::string secret_key);

  // POST {base}/v1/{path} with `form` (key, value) pairs, e.g.
  // ("line_items[0][price]", "price_…"). Stripe's error message on 4xx/5xx.
  Result<boost::json::object> Post(std::string_view path,
                                   const std::vector<std::pair<std::string, std::string>>& form) const;

 private:
  const std::string base_url_;
  const std::string secret_key_;
};

}  // namespace datafast::revenue::stripe
