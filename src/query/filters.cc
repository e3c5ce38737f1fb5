#include "query/filters.h"

#include <array>

namespace datafast::query {
namespace {

constexpr std::array<std::pair<Dimension, std::string_view>, 22> kNames = {{
    {Dimension::kChannel, "channel"},
    {Dimension::kReferrer, "referrer"},
    {Dimension::kReferrerDomain, "referrer_domain"},
    {Dimension::kUtmSource, "utm_source"},
    {Dimension::kUtmMedium, "utm_medium"},
    {Dimension::kUtmCampaign, "utm_campaign"},
    {Dimension::kUtmTerm, "utm_term"},
    {Dimension::kUtmContent, "utm_content"},
    {Dimension::kRef, "ref"},
    {Dimension::kSource, "source"},
    {Dimension::kVia, "via"},
    {Dimension::kPage, "page"},
    {Dimension::kEntryPage, "entry_page"},
    {Dimension::kExitPage, "exit_page"},
    {Dimension::kHostname, "hostname"},
    {Dimension::kCountry, "country"},
    {Dimension::kRegion, "region"},
    {Dimension::kCity, "city"},
    {Dimension::kBrowser, "browser"},
    {Dimension::kOs, "os"},
    {Dimension::kDevice, "device"},
    {Dimension::kGoal, "goal"},
}};

constexpr std::array<std::pair<FilterOp, std::string_view>, 4> kOps = {{
    {FilterOp::kIsNot, "is_not:"},
    {FilterOp::kIs, "is:"},
    {FilterOp::kDoesNotContain, "does_not_contain:"},
    {FilterOp::kContains, "contains:"},
}};

constexpr size_t kMaxValues = 20;
constexpr size_t kMaxValueLength = 1024;

}  // namespace

std::string_view ToString(Dimension dimension) {
  for (const auto& [d, name] : kNames) {
    if (d == dimension) return name;
  }
  return "";
}

std::optional<Dimension> ParseDimension(std::string_view name) {
  for (const auto& [d, n] : kNames) {
    if (n == name) return d;
  }
  return std::nullopt;
}

Result<std::vector<Filter>> ParseFilters(const std::vector<std::pair<std::string, std::string>>& params) {
  constexpr std::string_view kPrefix = "filter_";
  std::vector<Filter> filters;
  for (const auto& [key, raw] : params) {
    if (!std::string_view(key).starts_with(kPrefix)) continue;
    auto dimension = ParseDimension(std::string_view(key).substr(kPrefix.size()));
    if (!dimension) return Status::InvalidArgument(key + ": no such dimension to filter by");
    Filter filter{*dimension, FilterOp::kIs, {}};
    std::string_view value = raw;
    for (const auto& [op, prefix] : kOps) {
      if (value.starts_with(prefix)) {
        filter.op = op;
        value.remove_prefix(prefix.size());
        break;
      }
    }
    while (!value.empty()) {
      size_t comma = value.find(',');
      std::string_view item = value.substr(0, comma);
      if (item.size() > kMaxValueLength) {
        return Status::InvalidArgument(key + ": a value is longer than " + std::to_string(kMaxValueLength) +
                                       " characters");
      }
      if (!item.empty()) filter.values.emplace_back(item);
      value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    }
    if (filter.values.empty()) return Status::InvalidArgument(key + ": give at least one value");
    if (filter.values.size() > kMaxValues) {
      return Status::InvalidArgument(key + ": at most " + std::to_string(kMaxValues) + " values");
    }
    filters.push_back(std::move(filter));
  }
  return filters;
}

}  // namespace datafast::query
