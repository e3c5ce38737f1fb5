// The dimensions reports break down and filter by, and the v1 API's
// filter_* parameters (../shared/API-COMPAT.md): a comma list of values,
// optionally prefixed with an operator, e.g. filter_country=is_not:FR,DE or
// filter_page=contains:/blog. One parser for the dashboard and the API.
// Pure functions: thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace datafast::query {

enum class Dimension {
  kChannel,
  kReferrer,  // normalised source name: Google, X, Reddit…
  kReferrerDomain,
  kUtmSource,
  kUtmMedium,
  kUtmCampaign,
  kUtmTerm,
  kUtmContent,
  kRef,
  kSource,
  kVia,
  kPage,
  kEntryPage,
  kExitPage,
  kHostname,
  kCountry,
  kRegion,
  kCity,
  kBrowser,
  kOs,
  kDevice,
  kGoal,
};

// The API's name of a dimension ("country", "utm_source", "entry_page"…),
// and back.
std::string_view ToString(Dimension dimension);
std::optional<Dimension> ParseDimension(std::string_view name);

enum class FilterOp { kIs, kIsNot, kContains, kDoesNotContain };

struct Filter {
  Dimension dimension;
  FilterOp op = FilterOp::kIs;
  std::vector<std::string> values;  // any of them matches (for is/contains)
  bool operator==(const Filter&) const = default;
};

// Parses every "filter_NAME=VALUE" pair of `params` (other parameters are
// skipped). kInvalidArgument naming the parameter for an unknown dimension
// or operator, or an empty value list. At most 20 values a filter.
Result<std::vector<Filter>> ParseFilters(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace datafast::query
