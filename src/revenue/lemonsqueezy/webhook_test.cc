#include "revenue/lemonsqueezy/webhook.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <sstream>

#include "core/digest.h"
#include "revenue/testing/webhook_fixtures.h"

namespace datafast::revenue::lemonsqueezy {
namespace {

namespace json = boost::json;

constexpr std::string_view kVisitorId = testing::kFixtureVisitorId;
constexpr std::string_view kSessionId = testing::kFixtureSessionId;
constexpr std::string_view kSecret = "ls_signing_secret";

std::string Fixture(std::string_view name) { return testing::WebhookFixture("lemonsqueezy", name); }

// The fixture with `edit` applied to its data.attributes.
std::string Edited(std::string_view name, const std::function<void(json::object& attributes)>& edit) {
  json::value root = json::parse(Fixture(name));
  edit(root.as_object()["data"].as_object()["attributes"].as_object());
  return json::serialize(root);
}

PaymentReport OnlyPayment(const Result<WebhookDelivery>& delivery) {
  EXPECT_TRUE(delivery.ok()) << delivery.status().message();
  EXPECT_EQ(delivery->payments.size(), 1u);
  return delivery->payments.empty() ? PaymentReport{} : delivery->payments.front();
}

TEST(LemonSqueezySignature, AcceptsLowercaseHexOfTheBodyOnly) {
  constexpr std::string_view kBody = R"({"type":"order.paid","data":{"id":"1"}})";
  // Computed independently with Python's hmac module.
  constexpr std::string_view kHex = "d8c42fd743b48af76295032a335b52baa277586f40eb03b416a01ab73e134bf3";
  EXPECT_TRUE(VerifySignature(kHex, kBody, kSecret).ok());

  std::string upper(kHex);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(VerifySignature(upper, kBody, kSecret).code(), StatusCode::kUnauthenticated);
  // The same digest in base64 is not what Lemon Squeezy sends.
  EXPECT_EQ(VerifySignature("2MQv10O0ivdilQMqM1tSuqJ3WG9A6wO0FqAatz4TS/M=", kBody, kSecret).code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifySignature(kHex, std::string(kBody) + "\n", kSecret).code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifySignature(kHex, kBody, "ls_other_secret").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifySignature("", kBody, kSecret).code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifySignature(core::HmacSha256Hex("", kBody), kBody, "").code(), StatusCode::kUnauthenticated);
}

TEST(LemonSqueezyWebhook, PaidOrderIsAPurchaseWithTheCheckoutsCustomData) {
  auto delivery = ParseWebhook(Fixture("order_created"));
  PaymentReport p = OnlyPayment(delivery);
  EXPECT_EQ(delivery->delivery_id, "order_created:2817293");
  EXPECT_EQ(delivery->event_type, "order_created");
  EXPECT_EQ(p.provider, "lemonsqueezy");
  EXPECT_EQ(p.transaction_id, "2817293");
  EXPECT_EQ(p.aliases, std::vector<std::string>{"104e18a2-d755-4d4b-80c4-a6c1dcbe1c10"});
  EXPECT_EQ(p.kind, PaymentKind::kPurchase);
  EXPECT_EQ(p.amount_minor, 1199);
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.ts_micros, 1718899717'000000);  // 2024-06-20T16:08:37Z
  EXPECT_EQ(p.visitor_id, kVisitorId);
  EXPECT_EQ(p.session_id, kSessionId);
  EXPECT_EQ(p.customer_id, "3094521");
  EXPECT_EQ(p.email, "aiko.tanaka@example.com");
  EXPECT_EQ(p.customer_name, "Aiko Tanaka");
}

TEST(LemonSqueezyWebhook, UnpaidOrdersReportNothingAndFreeOnesAreTrials) {
  auto pending = ParseWebhook(Edited("order_created", [](json::object& a) { a["status"] = "pending"; }));
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->delivery_id, "order_created:2817293");
  EXPECT_TRUE(pending->payments.empty());

  PaymentReport free = OnlyPayment(ParseWebhook(Edited("order_created", [](json::object& a) { a["total"] = 0; })));
  EXPECT_EQ(free.kind, PaymentKind::kFreeTrial);
  EXPECT_EQ(free.amount_minor, 0);
}

TEST(LemonSqueezyWebhook, SubscriptionRenewalIsKnownByItsInvoice) {
  auto delivery = ParseWebhook(Fixture("subscription_payment_success"));
  PaymentReport p = OnlyPayment(delivery);
  EXPECT_EQ(delivery->delivery_id, "subscription_payment_success:1984562");
  EXPECT_EQ(p.transaction_id, "subscription-invoice:1984562");
  EXPECT_EQ(p.kind, PaymentKind::kRenewal);
  EXPECT_EQ(p.amount_minor, 2261);
  EXPECT_EQ(p.currency, "EUR");
  EXPECT_EQ(p.subscription_id, "587324");
  EXPECT_EQ(p.customer_id, "3094588");
  EXPECT_EQ(p.email, "jonas.berg@example.com");
  EXPECT_EQ(p.ts_micros, 1721491924'000000);
  EXPECT_EQ(p.visitor_id, kVisitorId);
}

TEST(LemonSqueezyWebhook, TheInitialSubscriptionInvoiceLeavesTheMoneyToItsOrder) {
  auto delivery = ParseWebhook(Fixture("subscription_payment_success_initial"));
  ASSERT_TRUE(delivery.ok()) << delivery.status().message();
  EXPECT_EQ(delivery->delivery_id, "subscription_payment_success:1871043");
  EXPECT_TRUE(delivery->payments.empty());
}

TEST(LemonSqueezyWebhook, RefundReportsTheRunningTotalAndEachTotalIsANewDelivery) {
  auto first = ParseWebhook(Fixture("order_refunded"));
  PaymentReport p = OnlyPayment(first);
  EXPECT_EQ(first->delivery_id, "order_refunded:2817293:500");
  EXPECT_EQ(p.kind, PaymentKind::kRefund);
  EXPECT_TRUE(p.refund_total);
  EXPECT_EQ(p.amount_minor, 500);
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.refunded_transaction_id, "2817293");
  EXPECT_EQ(p.transaction_id, "2817293:refund:500");
  EXPECT_EQ(p.ts_micros, 1719306902'000000);  // refunded_at

  auto second = ParseWebhook(Edited("order_refunded", [](json::object& a) {
    a["refunded_amount"] = 1199;
    a["refunded_at"] = nullptr;
    a["updated_at"] = "2024-06-26T08:00:00.000000Z";
  }));
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->delivery_id, "order_refunded:2817293:1199");
  EXPECT_EQ(second->payments.at(0).amount_minor, 1199);
  EXPECT_EQ(second->payments.at(0).ts_micros, 1719388800'000000);
}

TEST(LemonSqueezyOrder, TheOrdersApiAnswerIsTheSamePaymentAsItsWebhook) {
  // GET /v1/orders/{id} answers the order as the webhook's data, without meta.
  json::value webhook = json::parse(Fixture("order_created"));
  json::object answer{{"jsonapi", json::object{{"version", "1.0"}}}, {"data", webhook.as_object()["data"]}};
  auto reports = ParseOrder(json::serialize(answer));
  ASSERT_TRUE(reports.ok()) << reports.status().message();
  ASSERT_EQ(reports->size(), 1u);
  auto delivered = ParseWebhook(Fixture("order_created"));
  ASSERT_TRUE(delivered.ok());
  const PaymentReport& fetched = reports->front();
  EXPECT_EQ(fetched.transaction_id, delivered->payments.front().transaction_id);
  EXPECT_EQ(fetched.amount_minor, 1199);
  EXPECT_EQ(fetched.currency, "USD");
  EXPECT_EQ(fetched.visitor_id, "");  // the success page tells the visitor
  EXPECT_EQ(ParseOrder(R"({"data":{"type":"subscriptions","id":"1","attributes":{}}})").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(LemonSqueezyWebhook, OtherEventsAreAcknowledgedWithoutPayments) {
  auto delivery = ParseWebhook(R"({"meta":{"event_name":"subscription_updated"},)"
                               R"("data":{"type":"subscriptions","id":"587324","attributes":{}}})");
  ASSERT_TRUE(delivery.ok());
  EXPECT_EQ(delivery->delivery_id, "subscription_updated:587324");
  EXPECT_TRUE(delivery->payments.empty());
}

TEST(LemonSqueezyWebhook, MalformedEventsAreRefusedByName) {
  auto expect_invalid = [](const std::string& body, std::string_view names) {
    auto delivery = ParseWebhook(body);
    ASSERT_EQ(delivery.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_NE(delivery.status().message().find(names), std::string::npos) << delivery.status().message();
  };
  expect_invalid("{\"meta\":", "JSON");
  expect_invalid(R"({"data":{"id":"1"}})", "meta.event_name");
  expect_invalid(R"({"meta":{"event_name":"order_created"},"data":{"id":null}})", "data.id");
  expect_invalid(R"({"meta":{"event_name":"order_created"},"data":{"id":"1","attributes":"x"}})", "data.attributes");
  expect_invalid(Edited("order_created", [](json::object& a) { a["total"] = "11.99"; }), "total");
  expect_invalid(Edited("order_created", [](json::object& a) { a["currency"] = 840; }), "currency");
  expect_invalid(Edited("order_created", [](json::object& a) { a["created_at"] = "yesterday"; }), "created_at");
  expect_invalid(Edited("order_refunded", [](json::object& a) { a.erase("refunded_amount"); }), "refunded_amount");
}

TEST(LemonSqueezyWebhook, ReceiveChecksTheSignatureBeforeParsing) {
  std::string body = Fixture("order_created");
  std::string signature = core::HmacSha256Hex(kSecret, body);
  HeaderLookup header = [&](std::string_view name) {
    return name == "X-Signature" ? std::string_view(signature) : std::string_view();
  };
  auto delivery = ReceiveWebhook(header, body, kSecret);
  ASSERT_TRUE(delivery.ok()) << delivery.status().message();
  EXPECT_EQ(delivery->payments.at(0).amount_minor, 1199);
  EXPECT_EQ(ReceiveWebhook(header, body + " ", kSecret).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ReceiveWebhook(header, body, "other").status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace datafast::revenue::lemonsqueezy
