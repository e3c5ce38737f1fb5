#include "manage/plans.h"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

namespace datafast::manage {
namespace {

namespace json = boost::json;

Result<std::optional<int64_t>> OptionalLimit(const json::object& plan, std::string_view field, size_t index) {
  const json::value* v = plan.if_contains(field);
  if (!v || v->is_null()) return std::optional<int64_t>();
  if (!v->is_int64() || v->get_int64() < 1) {
    return Status::InvalidArgument("plan " + std::to_string(index) + ": " + std::string(field) +
                                   " must be a positive whole number or null");
  }
  return std::optional<int64_t>(v->get_int64());
}

}  // namespace

Plans::Plans() : plans_{{"self-hosted", "Self-hosted", std::nullopt, std::nullopt, ""}} {}

Result<Plans> Plans::Parse(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) return Status::InvalidArgument("plans are not valid JSON: " + ec.message());
  if (!root.is_array() || root.get_array().empty()) {
    return Status::InvalidArgument("plans must be a non-empty JSON list");
  }
  Plans out;
  out.plans_.clear();
  size_t index = 0;
  for (const json::value& item : root.get_array()) {
    if (!item.is_object()) return Status::InvalidArgument("plan " + std::to_string(index) + " must be an object");
    const json::object& o = item.get_object();
    const json::value* id = o.if_contains("id");
    const json::value* name = o.if_contains("name");
    if (!id || !id->is_string() || id->get_string().empty()) {
      return Status::InvalidArgument("plan " + std::to_string(index) + ": id is required");
    }
    Plan plan{
        std::string(id->get_string()), name && name->is_string() ? std::string(name->get_string()) : "", {}, {}, ""};
    if (const json::value* price = o.if_contains("stripe_price"); price && !price->is_null()) {
      if (!price->is_string() || !price->get_string().starts_with("price_")) {
        return Status::InvalidArgument("plan " + std::to_string(index) + ": stripe_price must be a price_… id");
      }
      plan.stripe_price = price->get_string();
    }
    if (plan.name.empty()) plan.name = plan.id;
    auto events = OptionalLimit(o, "events_per_month", index);
    if (!events.ok()) return events.status();
    auto sites = OptionalLimit(o, "sites", index);
    if (!sites.ok()) return sites.status();
    plan.events_per_month = *events;
    plan.sites = *sites;
    out.plans_.push_back(std::move(plan));
    ++index;
  }
  return out;
}

Result<Plans> Plans::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read the plans file " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto plans = Parse(text.str());
  if (!plans.ok()) return plans.status().WithContext(path);
  return plans;
}

const Plan* Plans::FindByStripePrice(std::string_view price_id) const {
  for (const Plan& p : plans_) {
    if (!p.stripe_price.empty() && p.stripe_price == price_id) return &p;
  }
  return nullptr;
}

const Plan& Plans::Find(std::string_view id) const {
  for (const Plan& p : plans_) {
    if (p.id == id) return p;
  }
  return default_plan();
}

}  // namespace datafast::manage
