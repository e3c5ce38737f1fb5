// Plans and their limits: configuration, not code. A self-hosted install
// has one plan, unlimited; a hosted operator lists theirs in a JSON file
// (--plans), e.g.
//   [{"id": "starter", "name": "Starter", "events_per_month": 10000, "sites": 1,
//     "stripe_price": "price_…"},
//    {"id": "growth", "name": "Growth", "events_per_month": 100000, "sites": 30}]
// New accounts get the first plan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datafast::manage {

struct Plan {
  std::string id;
  std::string name;
  std::optional<int64_t> events_per_month;  // nullopt: unlimited
  std::optional<int64_t> sites;             // nullopt: unlimited
  std::string stripe_price;                 // price_… for Stripe Billing; "" when not sold there
};

class Plans {
 public:
  // The self-hosted default: one unlimited plan.
  Plans();
  // Parses the JSON list above; messages name the plan and field at fault.
  static Result<Plans> Parse(std::string_view json);
  static Result<Plans> Load(const std::string& path);

  const Plan& default_plan() const { return plans_.front(); }
  // The plan `id`, or the default one for an id no longer configured.
  const Plan& Find(std::string_view id) const;
  const std::vector<Plan>& all() const { return plans_; }
  // The plan sold at Stripe price `price_id`, if any.
  const Plan* FindByStripePrice(std::string_view price_id) const;

 private:
  std::vector<Plan> plans_;
};

}  // namespace datafast::manage
