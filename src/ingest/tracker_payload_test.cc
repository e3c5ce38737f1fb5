#include "ingest/tracker_payload.h"

#include <gtest/gtest.h>

namespace datafast::ingest {
namespace {

constexpr const char* kSite = "dfid_0123456789abcdef";

std::string Body(const std::string& extra) {
  return std::string(R"({"websiteId":")") + kSite + R"(","href":"https://example.com/pricing?utm_source=x")" +
         (extra.empty() ? "" : "," + extra) + "}";
}

void ExpectRefused(const std::string& body, const std::string& message_part,
                   StatusCode code = StatusCode::kInvalidArgument) {
  auto r = ParseTrackerPayload(body);
  ASSERT_FALSE(r.ok()) << body;
  EXPECT_EQ(r.status().code(), code) << r.status().message();
  EXPECT_NE(r.status().message().find(message_part), std::string::npos) << r.status().message();
}

TEST(TrackerPayload, MinimalPageview) {
  auto r = ParseTrackerPayload(Body(""));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->website_id, kSite);
  EXPECT_EQ(r->type, store::EventType::kPageview);
  EXPECT_EQ(r->href.buffer(), "https://example.com/pricing?utm_source=x");
  EXPECT_TRUE(r->visitor_id.empty());
}

TEST(TrackerPayload, FullGoal) {
  auto r = ParseTrackerPayload(Body(
      R"("type":"goal","name":"signup","params":{"plan":"pro","seats":3,"annual":true},"referrer":"https://t.co/x",)"
      R"("screenWidth":1280,"language":"en-US","visitorId":"123e4567-e89b-42d3-a456-426614174000",)"
      R"("sessionId":"223e4567-e89b-42d3-a456-426614174000")"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->goal_name, "signup");
  ASSERT_EQ(r->goal_params.size(), 3u);
  EXPECT_EQ(r->goal_params[1], (std::pair<std::string, std::string>{"seats", "3"}));
  EXPECT_EQ(r->goal_params[2].second, "true");
  EXPECT_EQ(r->referrer.buffer(), "https://t.co/x");
  EXPECT_EQ(r->screen_width, 1280);
  EXPECT_EQ(r->language, "en-US");
}

TEST(TrackerPayload, OutboundAndPayment) {
  auto out = ParseTrackerPayload(Body(R"("type":"outbound","url":"https://github.com/x")"));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->outbound_url, "https://github.com/x");
  auto pay = ParseTrackerPayload(Body(R"("type":"payment","provider":"stripe","transactionId":"cs_test_1")"));
  ASSERT_TRUE(pay.ok());
  EXPECT_EQ(pay->payment_provider, "stripe");
  EXPECT_EQ(pay->transaction_id, "cs_test_1");
}

TEST(TrackerPayload, NonWebReferrerCountsAsNone) {
  auto r = ParseTrackerPayload(Body(R"("referrer":"android-app://com.google.android.gm/")"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->referrer.empty());
}

TEST(TrackerPayload, RefusesEachBadInputNamingTheProblem) {
  ExpectRefused(std::string(9000, ' '), "larger than 8192", StatusCode::kTooLarge);
  ExpectRefused("{not json", "not valid JSON");
  ExpectRefused("[1,2]", "must be a JSON object");
  ExpectRefused(
      std::string(R"({"websiteId":"dfid_0123456789abcdef","href":"https://example.com/)") + "\xc3\x28" + R"("})",
      "not valid JSON");  // invalid UTF-8
  ExpectRefused(R"({"href":"https://example.com/"})", "websiteId is required");
  ExpectRefused(Body(R"("type":"revenue")"), "type \"revenue\" is not one of");  // money comes from providers only
  ExpectRefused(R"({"websiteId":"site-1","href":"https://example.com/"})", "is not a website id");
  ExpectRefused(R"({"websiteId":"dfid_0123456789abcdef"})", "href is required");
  ExpectRefused(R"({"websiteId":"dfid_0123456789abcdef","href":"data:text/html,hi"})", "http or https");
  ExpectRefused(R"j({"websiteId":"dfid_0123456789abcdef","href":"javascript:alert(1)"})j", "http or https");
  ExpectRefused(R"({"websiteId":"dfid_0123456789abcdef","href":"data:text/html,<h1>x</h1>"})", "http or https");
  ExpectRefused(R"({"websiteId":"dfid_0123456789abcdef","href":"/relative"})", "http or https");
  ExpectRefused(R"({"websiteId":"dfid_0123456789abcdef","href":"https://exa mple.com/"})", "not a valid absolute URL");
  ExpectRefused(
      R"({"websiteId":"dfid_0123456789abcdef","href":"https://example.com/)" + std::string(5000, 'a') + R"("})",
      "href is longer than 2048");
  ExpectRefused(Body(R"("type":"click")"), "type \"click\" is not one of");
  ExpectRefused(Body(R"("type":"goal")"), "name is required");
  ExpectRefused(Body(R"("type":"goal","name":"Sign Up")"), "lowercase letters");
  ExpectRefused(Body(R"("type":"goal","name":")" + std::string(65, 'a') + R"(")"), "longer than 64");
  ExpectRefused(Body(R"("type":"goal","name":"x","params":{"a":")" + std::string(256, 'v') + R"("})"),
                "params.a is longer than 255");
  ExpectRefused(Body(R"("type":"goal","name":"x","params":{"a":{"b":1}})"), "must be a string, number or boolean");
  ExpectRefused(Body(R"("type":"outbound","url":"ftp://x.org/")"), "url must be an http or https URL");
  ExpectRefused(Body(R"("type":"payment","provider":"paypal","transactionId":"1")"), "not one of stripe");
  ExpectRefused(Body(R"("visitorId":"123e4567-e89b-42d3-a456-426614174000")"), "must be sent together");
  ExpectRefused(Body(R"("visitorId":"<script>alert</script>","sessionId":"abcdefgh")"), "only letters");
  ExpectRefused(Body(R"("screenWidth":"wide")"), "screenWidth must be a number");
  ExpectRefused(Body(R"("language":"en\u0000US")"), "language must not contain NUL characters");
}

TEST(TrackerPayload, ThirtyOneParamsAreRefused) {
  std::string params;
  for (int i = 0; i < 31; ++i) params += (i ? "," : "") + std::string("\"p") + std::to_string(i) + "\":\"v\"";
  ExpectRefused(Body(R"("type":"goal","name":"x","params":{)" + params + "}"), "params has 31 entries");
}

}  // namespace
}  // namespace datafast::ingest
