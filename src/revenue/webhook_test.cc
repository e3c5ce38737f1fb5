#include "revenue/webhook.h"

#include <gtest/gtest.h>

namespace datafast::revenue {
namespace {

TEST(MonthlyAmount, NormalisesEachIntervalToAMonth) {
  EXPECT_EQ(MonthlyAmount(2900, "month", 1), 2900);
  EXPECT_EQ(MonthlyAmount(9000, "month", 3), 3000);
  EXPECT_EQ(MonthlyAmount(29000, "year", 1), 2417);  // 2416.67
  EXPECT_EQ(MonthlyAmount(1000, "week", 1), 4333);   // 52 weeks / 12
  EXPECT_EQ(MonthlyAmount(2000, "week", 2), 4333);
  EXPECT_EQ(MonthlyAmount(100, "day", 1), 3042);  // 365 days / 12
  EXPECT_EQ(MonthlyAmount(2900, "fortnight", 1), 0);
  EXPECT_EQ(MonthlyAmount(2900, "month", 0), 0);
  EXPECT_EQ(MonthlyAmount(2900, "month", int64_t{1} << 62), 0);
  EXPECT_EQ(MonthlyAmount(0, "month", 1), 0);
}

TEST(WebhookJson, MalformedBodiesAreInvalidArguments) {
  EXPECT_EQ(webhook_json::ParseObject("{").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(webhook_json::ParseObject("[1,2]").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(webhook_json::ParseObject("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(webhook_json::ParseObject(R"({"a":1})").ok());
}

TEST(WebhookJson, FieldsOfAnotherTypeReadAsNothing) {
  auto object = webhook_json::ParseObject(
      R"({"s":"text","i":42,"u":18446744073709551615,"d":1.5,"n":null,"o":{"k":"v"},"a":[1]})");
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(webhook_json::StringAt(*object, "s"), "text");
  EXPECT_EQ(webhook_json::StringAt(*object, "i"), "");
  EXPECT_EQ(webhook_json::StringAt(*object, "missing"), "");
  EXPECT_EQ(webhook_json::IntAt(*object, "i"), 42);
  EXPECT_FALSE(webhook_json::IntAt(*object, "s").has_value());
  EXPECT_FALSE(webhook_json::IntAt(*object, "u").has_value());  // beyond int64
  EXPECT_FALSE(webhook_json::IntAt(*object, "d").has_value());
  EXPECT_FALSE(webhook_json::IntAt(*object, "n").has_value());
  EXPECT_EQ(webhook_json::AmountAt(*object, "i"), 42);
  EXPECT_FALSE(webhook_json::AmountAt(*object, "d").has_value());
  auto amounts = webhook_json::ParseObject(R"({"negative":-1,"max":9007199254740992,"over":9007199254740993})");
  ASSERT_TRUE(amounts.ok());
  EXPECT_FALSE(webhook_json::AmountAt(*amounts, "negative").has_value());
  EXPECT_EQ(webhook_json::AmountAt(*amounts, "max"), int64_t{1} << 53);
  EXPECT_FALSE(webhook_json::AmountAt(*amounts, "over").has_value());
  EXPECT_EQ(webhook_json::IdAt(*object, "i"), "42");
  EXPECT_EQ(webhook_json::IdAt(*object, "s"), "text");
  EXPECT_EQ(webhook_json::IdAt(*object, "u"), "18446744073709551615");
  EXPECT_EQ(webhook_json::IdAt(*object, "o"), "");
  EXPECT_NE(webhook_json::ObjectAt(*object, "o"), nullptr);
  EXPECT_EQ(webhook_json::ObjectAt(*object, "a"), nullptr);
  EXPECT_NE(webhook_json::ArrayAt(*object, "a"), nullptr);
  EXPECT_EQ(webhook_json::ArrayAt(*object, "o"), nullptr);
}

TEST(WebhookJson, TrackerIdsComeFromMetadataWhenTheyAreStrings) {
  auto metadata = webhook_json::ParseObject(
      R"({"datafast_visitor_id":"3f1e2d4c-5b6a-4789-8abc-def012345678","datafast_session_id":7})");
  ASSERT_TRUE(metadata.ok());
  PaymentReport report;
  webhook_json::ReadTrackerIds(&*metadata, report);
  EXPECT_EQ(report.visitor_id, "3f1e2d4c-5b6a-4789-8abc-def012345678");
  EXPECT_EQ(report.session_id, "");
  webhook_json::ReadTrackerIds(nullptr, report);
  EXPECT_EQ(report.visitor_id, "3f1e2d4c-5b6a-4789-8abc-def012345678");
}

}  // namespace
}  // namespace datafast::revenue
