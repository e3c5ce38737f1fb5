#include "revenue/shopify/webhook.h"
#include "core/digest.h"
#include "revenue/testing/webhook_fixtures.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

namespace datafast::revenue::shopify {
namespace {

namespace json = boost::json;

constexpr std::string_view kVisitorId = testing::kFixtureVisitorId;
constexpr std::string_view kSessionId = testing::kFixtureSessionId;
constexpr std::string_view kSecret = "shpss_0123456789abcdef";

std::string Fixture(std::string_view name) { return testing::WebhookFixture("shopify", name); }

std::string Edited(std::string_view name, const std::function<void(json::object& resource)>& edit) {
  json::value resource = json::parse(Fixture(name));
  edit(resource.as_object());
  return json::serialize(resource);
}

PaymentReport OnlyPayment(const Result<WebhookDelivery>& delivery) {
  EXPECT_TRUE(delivery.ok()) << delivery.status().message();
  EXPECT_EQ(delivery->payments.size(), 1u);
  return delivery->payments.empty() ? PaymentReport{} : delivery->payments.front();
}

TEST(ShopifySignature, AcceptsTheBase64HmacOfTheBodyOnly) {
  constexpr std::string_view kBody = R"({"type":"order.paid","data":{"id":"1"}})";
  // Computed independently with Python's hmac and base64 modules.
  EXPECT_TRUE(VerifySignature("xYLh3TCS/VYP+IfCuxR/rxmENXDiycuYruGs6+PONEI=", kBody, kSecret).ok());
  // The same digest in hex is not what Shopify sends.
  EXPECT_EQ(VerifySignature("c582e1dd3092fd560ff887c2bb147faf19843570e2c9cb98aee1acebe3ce3442", kBody, kSecret).code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifySignature("xYLh3TCS/VYP+IfCuxR/rxmENXDiycuYruGs6+PONEI=", std::string(kBody) + " ", kSecret).code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifySignature("xYLh3TCS/VYP+IfCuxR/rxmENXDiycuYruGs6+PONEI=", kBody, "shpss_other").code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifySignature("", kBody, kSecret).code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifySignature(core::Base64Encode(core::HmacSha256("", kBody)), kBody, "").code(),
            StatusCode::kUnauthenticated);
}

TEST(ShopifyWebhook, PaidOrderIsAPurchaseWithTheCartsAttributes) {
  auto delivery = ParseWebhook("orders/paid", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", Fixture("orders_paid"));
  PaymentReport p = OnlyPayment(delivery);
  EXPECT_EQ(delivery->delivery_id, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
  EXPECT_EQ(delivery->event_type, "orders/paid");
  EXPECT_EQ(p.provider, "shopify");
  EXPECT_EQ(p.transaction_id, "5940139491234");
  EXPECT_EQ(p.aliases, std::vector<std::string>{"gid://shopify/Order/5940139491234"});
  EXPECT_EQ(p.kind, PaymentKind::kPurchase);
  EXPECT_EQ(p.amount_minor, 25498);
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.ts_micros, 1731252600'000000);  // processed_at 2024-11-10T10:30:00-05:00
  EXPECT_EQ(p.visitor_id, kVisitorId);        // from "_datafast_visitor_id"
  EXPECT_EQ(p.session_id, kSessionId);
  EXPECT_EQ(p.customer_id, "7214530994338");
  EXPECT_EQ(p.email, "sam.rivera@example.com");
  EXPECT_EQ(p.customer_name, "Sam Rivera");
  EXPECT_FALSE(p.refund_total);
}

TEST(ShopifyWebhook, OrdersReadTheirCurrencysMinorUnitAndPlainAttributeNames) {
  PaymentReport yen = OnlyPayment(ParseWebhook(
      "orders/paid", "e1", Edited("orders_paid", [](json::object& order) {
        order["currency"] = "JPY";
        order["total_price"] = "15800";
        order.erase("processed_at");
        order["note_attributes"] = json::array{json::object{{"name", "datafast_visitor_id"}, {"value", "v-1"}}};
      })));
  EXPECT_EQ(yen.amount_minor, 15800);
  EXPECT_EQ(yen.currency, "JPY");
  EXPECT_EQ(yen.ts_micros, 1731252588'000000);  // created_at, without processed_at
  EXPECT_EQ(yen.visitor_id, "v-1");
  EXPECT_EQ(yen.session_id, "");
}

TEST(ShopifyWebhook, RefundSumsItsSuccessfulRefundTransactions) {
  auto delivery = ParseWebhook("refunds/create", "7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b", Fixture("refunds_create"));
  PaymentReport p = OnlyPayment(delivery);
  EXPECT_EQ(delivery->event_type, "refunds/create");
  EXPECT_EQ(p.kind, PaymentKind::kRefund);
  EXPECT_FALSE(p.refund_total);
  EXPECT_EQ(p.amount_minor, 12749);  // the failed attempt is not counted
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.transaction_id, "929361464");
  EXPECT_EQ(p.refunded_transaction_id, "5940139491234");
  EXPECT_EQ(p.ts_micros, 1731593561'000000);

  PaymentReport two = OnlyPayment(ParseWebhook("refunds/create", "e2", Edited("refunds_create", [](auto& refund) {
                                                 json::array& transactions = refund["transactions"].as_array();
                                                 transactions[0].as_object()["status"] = "success";
                                                 transactions[0].as_object()["amount"] = "10.01";
                                               })));
  EXPECT_EQ(two.amount_minor, 13750);
}

TEST(ShopifyWebhook, RefundsThatReturnNoMoneyAndOtherTopicsReportNothing) {
  auto restock =
      ParseWebhook("refunds/create", "e3",
                   Edited("refunds_create", [](json::object& refund) { refund["transactions"] = json::array(); }));
  ASSERT_TRUE(restock.ok()) << restock.status().message();
  EXPECT_TRUE(restock->payments.empty());
  auto other = ParseWebhook("orders/updated", "e4", Fixture("orders_paid"));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->delivery_id, "e4");
  EXPECT_TRUE(other->payments.empty());
}

TEST(ShopifyWebhook, MalformedResourcesAreRefusedByName) {
  auto expect_invalid = [](std::string_view topic, std::string_view id, const std::string& body,
                           std::string_view names) {
    auto delivery = ParseWebhook(topic, id, body);
    ASSERT_EQ(delivery.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_NE(delivery.status().message().find(names), std::string::npos) << delivery.status().message();
  };
  expect_invalid("", "e1", Fixture("orders_paid"), "X-Shopify-Topic");
  expect_invalid("orders/paid", "", Fixture("orders_paid"), "X-Shopify-Event-Id");
  expect_invalid("orders/paid", "e1", "{]", "JSON");
  expect_invalid("orders/paid", "e1", Edited("orders_paid", [](json::object& o) { o["total_price"] = "19.999"; }),
                 "total_price");
  expect_invalid("orders/paid", "e1", Edited("orders_paid", [](json::object& o) { o["total_price"] = true; }),
                 "total_price");
  expect_invalid("orders/paid", "e1", Edited("orders_paid", [](json::object& o) { o.erase("id"); }), "id");
  expect_invalid("orders/paid", "e1", Edited("orders_paid", [](json::object& o) { o["currency"] = "dollars"; }),
                 "currency");
  expect_invalid("refunds/create", "e1", Edited("refunds_create", [](json::object& r) { r.erase("order_id"); }),
                 "order_id");
  expect_invalid("refunds/create", "e1",
                 Edited("refunds_create",
                        [](json::object& r) { r["transactions"].as_array()[1].as_object()["amount"] = "-127.49"; }),
                 "amount");
  expect_invalid("refunds/create", "e1",
                 Edited("refunds_create",
                        [](json::object& r) {
                          json::object& failed = r["transactions"].as_array()[0].as_object();
                          failed["status"] = "success";
                          failed["currency"] = "CAD";
                        }),
                 "currency");
}

TEST(ShopifyWebhook, ReceiveTakesTheEventIdOrElseTheWebhookId) {
  std::string body = Fixture("orders_paid");
  std::map<std::string, std::string> headers = {
      {"X-Shopify-Hmac-Sha256", core::Base64Encode(core::HmacSha256(kSecret, body))},
      {"X-Shopify-Topic", "orders/paid"},
      {"X-Shopify-Webhook-Id", "webhook-7f3a"},
      {"X-Shopify-Event-Id", "event-98c1"}};
  HeaderLookup header = [&](std::string_view name) -> std::string_view {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  };
  auto delivery = ReceiveWebhook(header, body, kSecret);
  ASSERT_TRUE(delivery.ok()) << delivery.status().message();
  EXPECT_EQ(delivery->delivery_id, "event-98c1");
  EXPECT_EQ(delivery->payments.at(0).amount_minor, 25498);
  headers.erase("X-Shopify-Event-Id");
  EXPECT_EQ(ReceiveWebhook(header, body, kSecret)->delivery_id, "webhook-7f3a");
  headers.erase("X-Shopify-Webhook-Id");
  EXPECT_EQ(ReceiveWebhook(header, body, kSecret).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ReceiveWebhook(header, body + " ", kSecret).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace datafast::revenue::shopify
