#include "store/event_json.h"

#include <gtest/gtest.h>

namespace datafast::store {
namespace {

TEST(EventJsonTest, WhatExportWritesImportReadsBackUnchanged) {
  Event e;
  e.event_id = "0b6f2d9e-3b7a-4c55-9a3e-1f6b8c2d4e5f";
  e.ts_micros = 1'795'000'000'123'456;
  e.type = EventType::kRevenue;
  for (size_t i = 0; i < kEventTextFields.size(); ++i) e.*kEventTextFields[i] = std::string(kEventTextFieldNames[i]);
  e.screen_width = 1280;
  e.language = "fr-FR";
  e.revenue_micros = -12'340'000;
  e.attribution = "linear";
  e.credit_micros = 333'334;
  auto back = EventFromJson(EventToJson(e));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, e);
}

TEST(EventJsonTest, NamesTheKeyThatIsWrong) {
  EXPECT_EQ(EventFromJson({{"type", "pageview"}}).status().message(), "ts: is required");
  EXPECT_EQ(EventFromJson({{"ts", "yesterday"}}).status().message(), "ts: is not an ISO 8601 time");
  EXPECT_EQ(EventFromJson({{"ts", "2026-11-26T10:00:00Z"}, {"colour", "red"}}).status().message(),
            "colour: is not an event field");
  EXPECT_EQ(EventFromJson({{"ts", "2026-11-26T10:00:00Z"}, {"pathname", 3}}).status().message(),
            "pathname: must be a string");
}

TEST(EventJsonTest, ARevenueRowWithoutAnAttributionIsALastTouchWholePayment) {
  auto row = EventFromJson({{"ts", "2026-11-26T10:00:00Z"}, {"type", "revenue"}, {"revenue", 9.5}});
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->attribution, "last");
  EXPECT_EQ(row->credit_micros, 1'000'000);
  EXPECT_EQ(EventFromJson({{"ts", "2026-11-26T10:00:00Z"}, {"attribution", "middle"}}).status().message(),
            "attribution: is not one of last, first, linear");
}

}  // namespace
}  // namespace datafast::store
