#include "revenue/stripe/webhook.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "revenue/stripe/signature.h"
#include "revenue/testing/webhook_fixtures.h"

namespace datafast::revenue::stripe {
namespace {

namespace json = boost::json;

constexpr std::string_view kVisitorId = testing::kFixtureVisitorId;
constexpr std::string_view kSessionId = testing::kFixtureSessionId;

std::string Fixture(std::string_view name) { return testing::WebhookFixture("stripe", name); }

// The fixture with `edit` applied to its event object.
std::string Edited(std::string_view name, const std::function<void(json::object& event)>& edit) {
  json::value event = json::parse(Fixture(name));
  edit(event.as_object());
  return json::serialize(event);
}

json::object& Object(json::object& event) { return event["data"].as_object()["object"].as_object(); }

PaymentReport OnlyPayment(const Result<WebhookDelivery>& delivery) {
  EXPECT_TRUE(delivery.ok()) << delivery.status().message();
  EXPECT_EQ(delivery->payments.size(), 1u);
  return delivery->payments.empty() ? PaymentReport{} : delivery->payments.front();
}

TEST(StripeWebhook, OneOffCheckoutIsAPurchaseKnownByItsPaymentIntent) {
  auto delivery = ParseWebhook(Fixture("checkout.session.completed"));
  PaymentReport p = OnlyPayment(delivery);
  EXPECT_EQ(delivery->delivery_id, "evt_1PqRsT2eZvKYlo2C8bXyZa01");
  EXPECT_EQ(delivery->event_type, "checkout.session.completed");
  EXPECT_EQ(p.provider, "stripe");
  EXPECT_EQ(p.transaction_id, "pi_3PqRsQ2eZvKYlo2C1aBcDeFg");
  EXPECT_EQ(p.aliases, std::vector<std::string>{"cs_live_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ0123456789abcdEFGH"});
  EXPECT_EQ(p.kind, PaymentKind::kPurchase);
  EXPECT_EQ(p.amount_minor, 4900);
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.ts_micros, 1718900125'000000);  // the event's created: when the session completed
  EXPECT_EQ(p.visitor_id, kVisitorId);
  EXPECT_EQ(p.session_id, kSessionId);
  EXPECT_EQ(p.customer_id, "cus_QhT7xYzAbCdEfG");
  EXPECT_EQ(p.email, "marie.dupont@example.com");
  EXPECT_EQ(p.customer_name, "Marie Dupont");
  EXPECT_EQ(p.subscription_id, "");
  EXPECT_FALSE(p.refund_total);
}

TEST(StripeWebhook, SubscriptionCheckoutAndItsFirstInvoiceNameTheSamePayment) {
  PaymentReport checkout = OnlyPayment(ParseWebhook(Fixture("checkout.session.completed_subscription")));
  PaymentReport invoice = OnlyPayment(ParseWebhook(Fixture("invoice.paid_basil")));
  EXPECT_EQ(checkout.transaction_id, "in_1PqS0Y2eZvKYlo2CKpL3mN4o");
  EXPECT_EQ(invoice.transaction_id, checkout.transaction_id);
  EXPECT_EQ(checkout.aliases,
            std::vector<std::string>{"cs_live_b1C2d3E4f5G6h7I8j9K0lMnOpQrStUvWxYz0123456789abcdEFGI"});
  for (const PaymentReport& p : {checkout, invoice}) {
    EXPECT_EQ(p.kind, PaymentKind::kPurchase);
    EXPECT_EQ(p.amount_minor, 2900);
    EXPECT_EQ(p.currency, "EUR");
    EXPECT_EQ(p.subscription_id, "sub_1PqS0Y2eZvKYlo2CqRsTuVwX");
    EXPECT_EQ(p.customer_id, "cus_QhU1aBcDeFgHiJ");
    EXPECT_EQ(p.email, "lena.schmidt@example.com");
    EXPECT_EQ(p.customer_name, "Lena Schmidt");
    EXPECT_EQ(p.visitor_id, kVisitorId);
    EXPECT_EQ(p.session_id, kSessionId);
  }
  // API 2025-03-31 moved the subscription under `parent` and dropped the
  // price, and with it the interval, from invoice lines.
  EXPECT_EQ(invoice.monthly_amount_minor, 0);
  EXPECT_TRUE(invoice.aliases.empty());
}

TEST(StripeWebhook, SubscriptionCheckoutWithNothingChargedIsAFreeTrial) {
  PaymentReport p = OnlyPayment(ParseWebhook(Fixture("checkout.session.completed_trial")));
  EXPECT_EQ(p.kind, PaymentKind::kFreeTrial);
  EXPECT_EQ(p.amount_minor, 0);
  EXPECT_EQ(p.transaction_id, "in_1PqS9Z2eZvKYlo2CaB5cD6eF");
  EXPECT_EQ(p.subscription_id, "sub_1PqS9Z2eZvKYlo2CgH7iJ8kL");
}

TEST(StripeWebhook, SessionsNotYetPaidOrThatOnlySaveACardReportNothing) {
  auto unpaid = ParseWebhook(
      Edited("checkout.session.completed", [](json::object& event) { Object(event)["payment_status"] = "unpaid"; }));
  ASSERT_TRUE(unpaid.ok());
  EXPECT_EQ(unpaid->delivery_id, "evt_1PqRsT2eZvKYlo2C8bXyZa01");
  EXPECT_TRUE(unpaid->payments.empty());

  auto setup = ParseWebhook(Edited("checkout.session.completed", [](json::object& event) {
    Object(event)["mode"] = "setup";
    Object(event)["payment_status"] = "no_payment_required";
  }));
  ASSERT_TRUE(setup.ok());
  EXPECT_TRUE(setup->payments.empty());

  // The same session, paid later by a delayed method, is the same payment.
  PaymentReport late = OnlyPayment(ParseWebhook(Edited("checkout.session.completed", [](json::object& event) {
    event["type"] = "checkout.session.async_payment_succeeded";
  })));
  EXPECT_EQ(late.transaction_id, "pi_3PqRsQ2eZvKYlo2C1aBcDeFg");
  EXPECT_EQ(late.amount_minor, 4900);
}

TEST(StripeWebhook, InvoicePaidForACycleIsARenewalWithItsMonthlyPrice) {
  auto delivery = ParseWebhook(Fixture("invoice.paid"));
  PaymentReport p = OnlyPayment(delivery);
  EXPECT_EQ(delivery->delivery_id, "evt_1QaBcD2eZvKYlo2CmN5oPq04");
  EXPECT_EQ(delivery->event_type, "invoice.paid");
  EXPECT_EQ(p.transaction_id, "in_1QaBc92eZvKYlo2CsT6uVw7X");
  EXPECT_EQ(p.kind, PaymentKind::kRenewal);
  EXPECT_EQ(p.amount_minor, 29000);
  EXPECT_EQ(p.currency, "EUR");
  EXPECT_EQ(p.monthly_amount_minor, 2417);  // €290 a year
  EXPECT_EQ(p.subscription_id, "sub_1PqS0Y2eZvKYlo2CqRsTuVwX");
  EXPECT_EQ(p.aliases, (std::vector<std::string>{"pi_3QaBcA2eZvKYlo2C1bCdEfGh", "ch_3QaBcA2eZvKYlo2C0yZ1aB2c"}));
  EXPECT_EQ(p.visitor_id, kVisitorId);
  EXPECT_EQ(p.session_id, kSessionId);
  EXPECT_EQ(p.ts_micros, 1750439700'000000);
  EXPECT_EQ(p.email, "lena.schmidt@example.com");
}

TEST(StripeWebhook, InvoiceKindFollowsTheSubscriptionAndBillingReason) {
  auto with = [](std::string reason, int64_t paid, bool in_subscription) {
    return OnlyPayment(ParseWebhook(Edited("invoice.paid", [&](json::object& event) {
      json::object& invoice = Object(event);
      invoice["billing_reason"] = reason;
      invoice["amount_paid"] = paid;
      if (!in_subscription) {
        invoice["subscription"] = nullptr;
        invoice.erase("subscription_details");
      }
    })));
  };
  EXPECT_EQ(with("subscription_create", 29000, true).kind, PaymentKind::kPurchase);
  EXPECT_EQ(with("subscription_create", 0, true).kind, PaymentKind::kFreeTrial);
  EXPECT_EQ(with("subscription_update", 1200, true).kind, PaymentKind::kRenewal);
  EXPECT_EQ(with("manual", 5000, false).kind, PaymentKind::kPurchase);

  PaymentReport monthly = OnlyPayment(ParseWebhook(Edited("invoice.paid", [](json::object& event) {
    json::object& line = Object(event)["lines"].as_object()["data"].as_array()[0].as_object();
    line["amount"] = 2900;
    line["price"].as_object()["recurring"].as_object()["interval"] = "month";
  })));
  EXPECT_EQ(monthly.monthly_amount_minor, 2900);
  PaymentReport proration = OnlyPayment(ParseWebhook(Edited("invoice.paid", [](json::object& event) {
    Object(event)["lines"].as_object()["data"].as_array()[0].as_object()["proration"] = true;
  })));
  EXPECT_EQ(proration.monthly_amount_minor, 0);
}

TEST(StripeWebhook, ChargeRefundedReportsTheRunningTotalAgainstThePayment) {
  auto delivery = ParseWebhook(Fixture("charge.refunded"));
  PaymentReport p = OnlyPayment(delivery);
  EXPECT_EQ(delivery->delivery_id, "evt_3PqRsQ2eZvKYlo2C1rEfUnD6");
  EXPECT_EQ(p.kind, PaymentKind::kRefund);
  EXPECT_TRUE(p.refund_total);
  EXPECT_EQ(p.amount_minor, 1500);
  EXPECT_EQ(p.currency, "USD");
  EXPECT_EQ(p.transaction_id, "ch_3PqRsQ2eZvKYlo2C1hIjKlMn:refund:1500");
  // The one-off checkout's transaction id.
  EXPECT_EQ(p.refunded_transaction_id, "pi_3PqRsQ2eZvKYlo2C1aBcDeFg");
  EXPECT_EQ(p.ts_micros, 1719332100'000000);  // the refund, not the charge
  EXPECT_EQ(p.customer_id, "cus_QhT7xYzAbCdEfG");
  EXPECT_EQ(p.email, "marie.dupont@example.com");

  PaymentReport of_invoice = OnlyPayment(ParseWebhook(Edited("charge.refunded", [](json::object& event) {
    Object(event)["invoice"] = "in_1QaBc92eZvKYlo2CsT6uVw7X";
    Object(event)["amount_refunded"] = 4900;
  })));
  EXPECT_EQ(of_invoice.refunded_transaction_id, "in_1QaBc92eZvKYlo2CsT6uVw7X");
  EXPECT_EQ(of_invoice.transaction_id, "ch_3PqRsQ2eZvKYlo2C1hIjKlMn:refund:4900");

  PaymentReport bare = OnlyPayment(
      ParseWebhook(Edited("charge.refunded", [](json::object& event) { Object(event)["payment_intent"] = nullptr; })));
  EXPECT_EQ(bare.refunded_transaction_id, "ch_3PqRsQ2eZvKYlo2C1hIjKlMn");
}

TEST(StripeWebhook, OtherEventTypesAreAcknowledgedWithoutPayments) {
  auto delivery =
      ParseWebhook(R"({"id":"evt_1","object":"event","created":1718900125,"type":"customer.subscription.updated",)"
                   R"("data":{"object":{"id":"sub_1","object":"subscription"}}})");
  ASSERT_TRUE(delivery.ok());
  EXPECT_EQ(delivery->delivery_id, "evt_1");
  EXPECT_EQ(delivery->event_type, "customer.subscription.updated");
  EXPECT_TRUE(delivery->payments.empty());
}

TEST(StripeWebhook, MalformedEventsAreRefusedByName) {
  auto expect_invalid = [](const std::string& body, std::string_view names) {
    auto delivery = ParseWebhook(body);
    ASSERT_EQ(delivery.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_NE(delivery.status().message().find(names), std::string::npos) << delivery.status().message();
  };
  expect_invalid("not json", "JSON");
  expect_invalid("[]", "object");
  expect_invalid(R"({"type":"invoice.paid"})", "id");
  expect_invalid(R"({"id":"evt_1","type":"invoice.paid","created":1,"data":{"object":[]}})", "data.object");
  expect_invalid(
      Edited("checkout.session.completed", [](json::object& event) { Object(event)["amount_total"] = "4900"; }),
      "amount_total");
  expect_invalid(Edited("checkout.session.completed", [](json::object& event) { Object(event).erase("currency"); }),
                 "currency");
  expect_invalid(Edited("invoice.paid", [](json::object& event) { Object(event)["amount_paid"] = -5; }), "amount_paid");
  expect_invalid(Edited("charge.refunded", [](json::object& event) { Object(event)["id"] = 12; }), "data.object.id");
  expect_invalid(Edited("invoice.paid",
                        [](json::object& event) {
                          event["created"] = "1750439700";
                          Object(event)["created"] = -1;
                        }),
                 "created");
}

TEST(StripeWebhook, ReceiveChecksTheSignatureBeforeParsing) {
  std::string body = Fixture("charge.refunded");
  constexpr std::string_view kSecret = "whsec_test_secret";
  std::map<std::string, std::string> headers = {{"Stripe-Signature", SignatureHeader(body, kSecret, 1719332101)}};
  HeaderLookup header = [&](std::string_view name) -> std::string_view {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  };
  auto delivery = ReceiveWebhook(header, body, kSecret, 1719332110);
  ASSERT_TRUE(delivery.ok()) << delivery.status().message();
  EXPECT_EQ(delivery->payments.at(0).amount_minor, 1500);
  EXPECT_EQ(ReceiveWebhook(header, body + " ", kSecret, 1719332110).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ReceiveWebhook(header, body, "whsec_other", 1719332110).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ReceiveWebhook(header, body, "", 1719332110).status().code(), StatusCode::kUnauthenticated);
  headers.clear();
  EXPECT_EQ(ReceiveWebhook(header, body, kSecret, 1719332110).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace datafast::revenue::stripe
