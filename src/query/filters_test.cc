#include "query/filters.h"

#include <gtest/gtest.h>

namespace datafast::query {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

TEST(Filters, ParsesOperatorsAndValueLists) {
  auto filters = ParseFilters(Params{{"startAt", "2026-11-01"},
                                     {"filter_country", "FR,DE"},
                                     {"filter_page", "contains:/blog"},
                                     {"filter_utm_source", "is_not:newsletter"},
                                     {"filter_referrer", "does_not_contain:google"},
                                     {"filter_city", "is:New York"}});
  ASSERT_TRUE(filters.ok()) << filters.status().message();
  ASSERT_EQ(filters->size(), 5u);
  EXPECT_EQ((*filters)[0], (Filter{Dimension::kCountry, FilterOp::kIs, {"FR", "DE"}}));
  EXPECT_EQ((*filters)[1], (Filter{Dimension::kPage, FilterOp::kContains, {"/blog"}}));
  EXPECT_EQ((*filters)[2], (Filter{Dimension::kUtmSource, FilterOp::kIsNot, {"newsletter"}}));
  EXPECT_EQ((*filters)[3], (Filter{Dimension::kReferrer, FilterOp::kDoesNotContain, {"google"}}));
  EXPECT_EQ((*filters)[4], (Filter{Dimension::kCity, FilterOp::kIs, {"New York"}}));
}

TEST(Filters, EveryContractDimensionHasAName) {
  for (std::string_view name :
       {"country",  "region",      "city",     "device", "browser",    "os",         "referrer",
        "page",     "entry_page",  "hostname", "goal",   "utm_source", "utm_medium", "utm_campaign",
        "utm_term", "utm_content", "ref",      "source", "via",        "exit_page"}) {
    auto d = ParseDimension(name);
    ASSERT_TRUE(d.has_value()) << name;
    EXPECT_EQ(ToString(*d), name);
  }
}

TEST(Filters, RefusalsNameTheParameter) {
  EXPECT_EQ(ParseFilters(Params{{"filter_planet", "mars"}}).status().message(),
            "filter_planet: no such dimension to filter by");
  EXPECT_EQ(ParseFilters(Params{{"filter_country", "is:"}}).status().message(),
            "filter_country: give at least one value");
  EXPECT_EQ(ParseFilters(Params{{"filter_country", ",,"}}).status().message(),
            "filter_country: give at least one value");
  std::string many;
  for (int i = 0; i < 21; ++i) many += "v" + std::to_string(i) + ",";
  EXPECT_EQ(ParseFilters(Params{{"filter_page", many}}).status().message(), "filter_page: at most 20 values");
  EXPECT_NE(ParseFilters(Params{{"filter_page", std::string(1025, 'a')}}).status().message().find("longer than"),
            std::string::npos);
}

}  // namespace
}  // namespace datafast::query
