#include "revenue/polar/webhook.h"
#include "core/digest.h"
#include "revenue/testing/webhook_fixtures.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

namespace datafast::revenue::polar {
namespace {

namespace json = boost::json;

constexpr std::string_view kVisitorId = testing::kFixtureVisitorId;
constexpr std::string_view kSessionId = testing::kFixtureSessionId;

constexpr std::string_view kBody = R"({"type":"order.paid","data":{"id":"1"}})";
constexpr std::string_view kId = "msg_2f9c1e7a4b6d8e0f";
constexpr std::string_view kTimestamp = "1750435721";
constexpr int64_t kNow = 1750435721;
constexpr std::string_view kSecret = "polar_whs_K8s2mPq4RtV6wXy9Zb1Cd3Ef5Gh7";
// HMAC-SHA256 of "{kId}.{kTimestamp}.{kBody}" keyed with kSecret's bytes,
// computed independently with Python's hmac module, in base64 and in hex.
constexpr std::string_view kSignature = "v1,IeM+EdQJIONsrCfdwhhVN0BwSSdb/20N2PNAx6CG4oM=";
constexpr std::string_view kHexSignature = "v1,21e33e11d40920e36cac27ddc2185537407049275bff6d0dd8f340c7a086e283";

std::string Fixture(std::string_view name) { return testing::WebhookFixture("polar", name); }

// The fixture with `edit` applied to its order (`data`).
std::string Edited(std::string_view name, const std::function<void(json::object& order)>& edit) {
  json::value event = json::parse(Fixture(name));
  edit(event.as_object()["data"].as_object());
  return json::serialize(event);
}

PaymentReport OnlyPayment(const Result<WebhookDelivery>& delivery) {
  EXPECT_TRUE(delivery.ok()) << delivery.status().message();
  EXPECT_EQ(delivery->payments.size(), 1u);
  return delivery->payments.empty() ? PaymentReport{} : delivery->payments.front();
}

TEST(PolarSignature, TheSecretsOwnBytesAreTheKey) {
  EXPECT_TRUE(VerifySignature(kId, kTimestamp, kSignature, kBody, kSecret, kNow).ok());
  // Any v1 entry of the list may match; other versions are not ours to read.
  std::string list = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + std::string(kSignature);
  EXPECT_TRUE(VerifySignature(kId, kTimestamp, list, kBody, kSecret, kNow).ok());
  std::string v2 = "v2," + std::string(kSignature.substr(3));
  EXPECT_EQ(VerifySignature(kId, kTimestamp, v2, kBody, kSecret, kNow).code(), StatusCode::kUnauthenticated);
}

TEST(PolarSignature, AWhsecSecretIsTheBase64OfTheKey) {
  constexpr std::string_view kStandardSecret = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY";  // bytes 1..24
  EXPECT_TRUE(
      VerifySignature(kId, kTimestamp, "v1,lLa0bSD0L//n04+nSqof30AWdajmDFmxR8JFBw81FmM=", kBody, kStandardSecret, kNow)
          .ok());
  // The same secret's text as the key is not how Standard Webhooks signs.
  EXPECT_FALSE(
      VerifySignature(kId, kTimestamp, "v1,iGTQy/pNNG1yKhvduD6bhb1s7JLlzyjlrYb16+8rbO0=", kBody, kStandardSecret, kNow)
          .ok());
  EXPECT_EQ(VerifySignature(kId, kTimestamp, kSignature, kBody, "whsec_not*base64", kNow).code(),
            StatusCode::kUnauthenticated);
}

TEST(PolarSignature, RefusesTamperingWrongSecretsStaleTimestampsHexAndJunk) {
  auto verify = [](std::string_view id, std::string_view timestamp, std::string_view signature, std::string_view body,
                   std::string_view secret,
                   int64_t now) { return VerifySignature(id, timestamp, signature, body, secret, now).code(); };
  constexpr StatusCode kRefused = StatusCode::kUnauthenticated;
  EXPECT_EQ(verify(kId, kTimestamp, kSignature, std::string(kBody) + " ", kSecret, kNow), kRefused);
  EXPECT_EQ(verify("msg_other", kTimestamp, kSignature, kBody, kSecret, kNow), kRefused);
  EXPECT_EQ(verify(kId, kTimestamp, kSignature, kBody, "polar_whs_other", kNow), kRefused);
  EXPECT_EQ(verify(kId, kTimestamp, kSignature, kBody, "", kNow), kRefused);
  EXPECT_EQ(verify(kId, kTimestamp, kHexSignature, kBody, kSecret, kNow), kRefused);
  EXPECT_EQ(verify(kId, kTimestamp, kSignature, kBody, kSecret, kNow + 301), kRefused);
  EXPECT_EQ(verify(kId, kTimestamp, kSignature, kBody, kSecret, kNow - 301), kRefused);
  EXPECT_TRUE(VerifySignature(kId, kTimestamp, kSignature, kBody, kSecret, kNow + 300).ok());
  EXPECT_TRUE(VerifySignature(kId, kTimestamp, kSignature, kBody, kSecret, kNow - 300).ok());
  EXPECT_EQ(verify(kId, "1750435721.0", kSignature, kBody, kSecret, kNow), kRefused);
  EXPECT_EQ(verify(kId, "", kSignature, kBody, kSecret, kNow), kRefused);
  EXPECT_EQ(verify("", kTimestamp, kSignature, kBody, kSecret, kNow), kRefused);
  EXPECT_EQ(verify(kId, kTimestamp, "", kBody, kSecret, kNow), kRefused);
  EXPECT_EQ(verify(kId, kTimestamp, kSignature.substr(3), kBody, kSecret, kNow), kRefused);
}

TEST(PolarWebhook, PaidOrderIsAPurchaseOfItsTotalWithTax) {
  auto delivery = ParseWebhook("msg_2xK9fLQ7bT1cV3nR5pW8yZ0aD4", Fixture("order.paid"));
  PaymentReport p = OnlyPayment(delivery);
  EXPECT_EQ(delivery->delivery_id, "msg_2xK9fLQ7bT1cV3nR5pW8yZ0aD4");
  EXPECT_EQ(delivery->event_type, "order.paid");
  EXPECT_EQ(p.provider, "polar");
  EXPECT_EQ(p.transaction_id, "b6f0c2a4-8d1e-4f3a-9c5b-7e2d1a0f9b83");
  EXPECT_EQ(p.aliases, std::vector<std::string>{"e2c4a6f8-1b3d-4f5a-8c7e-9d0b1a2c3e4f"});
  EXPECT_EQ(p.kind, PaymentKind::kPurchase);
  EXPECT_EQ(p.amount_minor, 5880);
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.ts_micros, 1750435721'512304);  // the event's timestamp
  EXPECT_EQ(p.visitor_id, kVisitorId);
  EXPECT_EQ(p.session_id, kSessionId);
  EXPECT_EQ(p.customer_id, "5d3a9e71-2c4b-4f8d-a6e0-1b9c8d7f6a52");
  EXPECT_EQ(p.email, "priya.natarajan@example.com");
  EXPECT_EQ(p.customer_name, "Priya Natarajan");
  EXPECT_EQ(p.subscription_id, "");
  EXPECT_EQ(p.monthly_amount_minor, 0);
}

TEST(PolarWebhook, SubscriptionOrdersAreRenewalsOrTrialsByBillingReason) {
  PaymentReport renewal = OnlyPayment(ParseWebhook("msg_1", Fixture("order.paid_subscription_cycle")));
  EXPECT_EQ(renewal.kind, PaymentKind::kRenewal);
  EXPECT_EQ(renewal.amount_minor, 1500);
  EXPECT_EQ(renewal.currency, "EUR");
  EXPECT_EQ(renewal.subscription_id, "7e6d5c4b-3a2f-4e1d-8c0b-9a8f7e6d5c4b");
  EXPECT_EQ(renewal.monthly_amount_minor, 1500);
  EXPECT_EQ(renewal.email, "mateo.garcia@example.com");
  EXPECT_EQ(renewal.ts_micros, 1753027742'114578);
  EXPECT_TRUE(renewal.aliases.empty());

  auto with = [](std::string reason, int64_t total) {
    return OnlyPayment(ParseWebhook("msg_2", Edited("order.paid_subscription_cycle", [&](json::object& order) {
                                      order["billing_reason"] = reason;
                                      order["total_amount"] = total;
                                    })));
  };
  EXPECT_EQ(with("subscription_update", 700).kind, PaymentKind::kRenewal);
  EXPECT_EQ(with("subscription_create", 1500).kind, PaymentKind::kPurchase);
  EXPECT_EQ(with("subscription_create", 0).kind, PaymentKind::kFreeTrial);

  PaymentReport yearly = OnlyPayment(ParseWebhook("msg_3", Edited("order.paid_subscription_cycle", [](auto& order) {
                                                    json::object& subscription = order["subscription"].as_object();
                                                    subscription["amount"] = 18000;
                                                    subscription["recurring_interval"] = "year";
                                                  })));
  EXPECT_EQ(yearly.monthly_amount_minor, 1500);
}

TEST(PolarWebhook, OrdersFromBeforeTotalAmountAddTheTaxToTheNetAmount) {
  PaymentReport p = OnlyPayment(ParseWebhook("msg_4", Edited("order.paid", [](json::object& order) {
                                               order.erase("total_amount");
                                               order["amount"] = 4900;
                                             })));
  EXPECT_EQ(p.amount_minor, 5880);
}

TEST(PolarWebhook, RefundReportsTheRunningTotalWithItsTax) {
  auto delivery = ParseWebhook("msg_5", Fixture("order.refunded"));
  PaymentReport p = OnlyPayment(delivery);
  EXPECT_EQ(delivery->event_type, "order.refunded");
  EXPECT_EQ(p.kind, PaymentKind::kRefund);
  EXPECT_TRUE(p.refund_total);
  EXPECT_EQ(p.amount_minor, 2400);
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.refunded_transaction_id, "b6f0c2a4-8d1e-4f3a-9c5b-7e2d1a0f9b83");
  EXPECT_EQ(p.transaction_id, "b6f0c2a4-8d1e-4f3a-9c5b-7e2d1a0f9b83:refund:2400");
  EXPECT_EQ(p.ts_micros, 1751018533'887120);
  EXPECT_EQ(p.visitor_id, kVisitorId);
}

TEST(PolarWebhook, CreatedOrdersAndOtherEventsAreAcknowledgedWithoutPayments) {
  auto created = ParseWebhook("msg_6", Fixture("order.created"));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->delivery_id, "msg_6");
  EXPECT_EQ(created->event_type, "order.created");
  EXPECT_TRUE(created->payments.empty());
  auto other = ParseWebhook("msg_7", R"({"type":"subscription.active","timestamp":"2025-06-20T16:08:41Z","data":{}})");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->payments.empty());
}

TEST(PolarWebhook, MalformedEventsAreRefusedByName) {
  auto expect_invalid = [](std::string_view id, const std::string& body, std::string_view names) {
    auto delivery = ParseWebhook(id, body);
    ASSERT_EQ(delivery.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_NE(delivery.status().message().find(names), std::string::npos) << delivery.status().message();
  };
  expect_invalid("", Fixture("order.paid"), "webhook-id");
  expect_invalid("msg_1", "nope", "JSON");
  expect_invalid("msg_1", R"({"data":{}})", "type");
  expect_invalid("msg_1", R"({"type":"order.paid","timestamp":"2025-06-20T16:08:41Z","data":[1]})", "data");
  expect_invalid("msg_1", Edited("order.paid", [](json::object& order) { order["total_amount"] = 58.8; }),
                 "total_amount");
  expect_invalid("msg_1", Edited("order.paid", [](json::object& order) { order["currency"] = nullptr; }), "currency");
  expect_invalid("msg_1", Edited("order.paid", [](json::object& order) { order.erase("id"); }), "data.id");
  expect_invalid("msg_1", Edited("order.refunded", [](json::object& order) { order["refunded_amount"] = "20"; }),
                 "refunded_amount");
}

TEST(PolarWebhook, ReceiveChecksTheStandardWebhooksHeadersBeforeParsing) {
  std::string body = Fixture("order.paid");
  std::map<std::string, std::string> headers = {
      {"webhook-id", std::string(kId)},
      {"webhook-timestamp", std::string(kTimestamp)},
      {"webhook-signature", "v1," + core::Base64Encode(core::HmacSha256(
                                        kSecret, std::string(kId) + "." + std::string(kTimestamp) + "." + body))}};
  HeaderLookup header = [&](std::string_view name) -> std::string_view {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  };
  auto delivery = ReceiveWebhook(header, body, kSecret, kNow + 5);
  ASSERT_TRUE(delivery.ok()) << delivery.status().message();
  EXPECT_EQ(delivery->delivery_id, kId);
  EXPECT_EQ(delivery->payments.at(0).amount_minor, 5880);
  EXPECT_EQ(ReceiveWebhook(header, body, kSecret, kNow + 400).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ReceiveWebhook(header, body + " ", kSecret, kNow).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace datafast::revenue::polar
