#include "manage/plans.h"

#include <gtest/gtest.h>

namespace datafast::manage {
namespace {

TEST(Plans, DefaultIsOneUnlimitedSelfHostedPlan) {
  Plans plans;
  EXPECT_EQ(plans.default_plan().id, "self-hosted");
  EXPECT_FALSE(plans.default_plan().events_per_month.has_value());
  EXPECT_FALSE(plans.default_plan().sites.has_value());
}

TEST(Plans, ParsesLimitsAndFallsBackToTheDefaultForUnknownIds) {
  auto plans = Plans::Parse(R"([{"id":"starter","name":"Starter","events_per_month":10000,"sites":1},
                               {"id":"growth","events_per_month":100000,"sites":null}])");
  ASSERT_TRUE(plans.ok()) << plans.status().message();
  EXPECT_EQ(plans->default_plan().id, "starter");
  EXPECT_EQ(*plans->Find("starter").events_per_month, 10000);
  EXPECT_EQ(plans->Find("growth").name, "growth");
  EXPECT_FALSE(plans->Find("growth").sites.has_value());
  EXPECT_EQ(plans->Find("self-hosted").id, "starter");
}

TEST(Plans, RefusalsNameThePlanAndField) {
  EXPECT_NE(Plans::Parse("{").status().message().find("not valid JSON"), std::string::npos);
  EXPECT_NE(Plans::Parse("[]").status().message().find("non-empty"), std::string::npos);
  EXPECT_NE(Plans::Parse(R"([{"name":"x"}])").status().message().find("plan 0: id"), std::string::npos);
  EXPECT_NE(Plans::Parse(R"([{"id":"a","sites":0}])").status().message().find("plan 0: sites"), std::string::npos);
}

}  // namespace
}  // namespace datafast::manage
