#include "revenue/lemonsqueezy/webhook.h"

#include "auth/secrets.h"
#include "core/digest.h"
#include "core/time_zone.h"
#include "revenue/money.h"

namespace datafast::revenue::lemonsqueezy {
namespace {

namespace json = boost::json;
using webhook_json::AmountAt;
using webhook_json::IdAt;
using webhook_json::ObjectAt;
using webhook_json::StringAt;

Status Missing(std::string_view field, std::string_view type) {
  return Status::InvalidArgument("data.attributes." + std::string(field) + " is missing or not " + std::string(type));
}

// What every report from an order or a subscription invoice carries: the
// amount in `amount_field`, the currency, the customer, the custom data and
// the time in `time_field` (ISO 8601).
Result<PaymentReport> NewReport(const json::object& attributes, std::string_view amount_field,
                                std::string_view time_field, const json::object* custom_data) {
  std::optional<int64_t> amount = AmountAt(attributes, amount_field);
  if (!amount) return Missing(amount_field, "an amount in cents");
  std::string_view currency = StringAt(attributes, "currency");
  if (!CurrencyExponent(currency).ok()) return Missing("currency", "a currency code");
  std::optional<int64_t> ts_micros = core::ParseIsoTime(StringAt(attributes, time_field));
  if (!ts_micros) return Missing(time_field, "an ISO 8601 time");
  PaymentReport report;
  report.provider = "lemonsqueezy";
  report.amount_minor = *amount;
  report.currency = NormalizeCurrency(currency);
  report.ts_micros = *ts_micros;
  report.customer_id = IdAt(attributes, "customer_id");
  report.email = StringAt(attributes, "user_email");
  report.customer_name = StringAt(attributes, "user_name");
  webhook_json::ReadTrackerIds(custom_data, report);
  return report;
}

Result<std::vector<PaymentReport>> OrderCreated(const std::string& order_id, const json::object& attributes,
                                                const json::object* custom_data) {
  if (StringAt(attributes, "status") != "paid") return std::vector<PaymentReport>{};
  auto report = NewReport(attributes, "total", "created_at", custom_data);
  if (!report.ok()) return report.status();
  report->transaction_id = order_id;
  if (report->amount_minor == 0) report->kind = PaymentKind::kFreeTrial;
  std::string identifier(StringAt(attributes, "identifier"));
  if (!identifier.empty()) report->aliases.push_back(std::move(identifier));
  return std::vector<PaymentReport>{std::move(*report)};
}

Result<std::vector<PaymentReport>> SubscriptionPaymentSuccess(const std::string& invoice_id,
                                                              const json::object& attributes,
                                                              const json::object* custom_data) {
  if (StringAt(attributes, "billing_reason") == "initial") return std::vector<PaymentReport>{};
  auto report = NewReport(attributes, "total", "created_at", custom_data);
  if (!report.ok()) return report.status();
  // Subscription invoices and orders are numbered apart; the prefix keeps
  // their ids from meeting.
  report->transaction_id = "subscription-invoice:" + invoice_id;
  report->kind = PaymentKind::kRenewal;
  report->subscription_id = IdAt(attributes, "subscription_id");
  return std::vector<PaymentReport>{std::move(*report)};
}

Result<std::vector<PaymentReport>> OrderRefunded(const std::string& order_id, const json::object& attributes,
                                                 const json::object* custom_data) {
  std::string_view time_field = StringAt(attributes, "refunded_at").empty() ? "updated_at" : "refunded_at";
  auto report = NewReport(attributes, "refunded_amount", time_field, custom_data);
  if (!report.ok()) return report.status();
  report->kind = PaymentKind::kRefund;
  report->refund_total = true;
  report->refunded_transaction_id = order_id;
  report->transaction_id = order_id + ":refund:" + std::to_string(report->amount_minor);
  return std::vector<PaymentReport>{std::move(*report)};
}

}  // namespace

Status VerifySignature(std::string_view signature, std::string_view body, std::string_view secret) {
  // With no secret anyone could sign.
  if (secret.empty()) return Status::Unauthenticated("no Lemon Squeezy signing secret is configured");
  if (!auth::ConstantTimeEquals(signature, core::HmacSha256Hex(secret, body))) {
    return Status::Unauthenticated("X-Signature does not sign the body");
  }
  return Status::Ok();
}

Result<WebhookDelivery> ParseWebhook(std::string_view body) {
  auto root = webhook_json::ParseObject(body);
  if (!root.ok()) return root.status();
  const json::object* meta = ObjectAt(*root, "meta");
  std::string_view event_name = meta ? StringAt(*meta, "event_name") : std::string_view();
  if (event_name.empty()) return Status::InvalidArgument("meta.event_name is missing or not a string");
  const json::object* data = ObjectAt(*root, "data");
  std::string id = data ? IdAt(*data, "id") : "";
  if (id.empty()) return Status::InvalidArgument("data.id is missing or not a string");
  WebhookDelivery delivery;
  delivery.event_type = event_name;
  delivery.delivery_id = delivery.event_type + ":" + id;
  bool parsed =
      event_name == "order_created" || event_name == "subscription_payment_success" || event_name == "order_refunded";
  if (!parsed) return delivery;

  const json::object* attributes = ObjectAt(*data, "attributes");
  if (!attributes) return Status::InvalidArgument("data.attributes is missing or not an object");
  const json::object* custom_data = ObjectAt(*meta, "custom_data");
  auto payments = event_name == "order_created"    ? OrderCreated(id, *attributes, custom_data)
                  : event_name == "order_refunded" ? OrderRefunded(id, *attributes, custom_data)
                                                   : SubscriptionPaymentSuccess(id, *attributes, custom_data);
  if (!payments.ok()) return payments.status();
  // A second partial refund of the same order is a new delivery of money.
  if (event_name == "order_refunded") delivery.delivery_id += ":" + std::to_string(payments->front().amount_minor);
  delivery.payments = std::move(*payments);
  return delivery;
}

Result<std::vector<PaymentReport>> ParseOrder(std::string_view body) {
  auto root = webhook_json::ParseObject(body);
  if (!root.ok()) return root.status();
  const json::object* data = ObjectAt(*root, "data");
  const json::object* attributes = data ? ObjectAt(*data, "attributes") : nullptr;
  if (!attributes || StringAt(*data, "type") != "orders") return Status::InvalidArgument("the answer is not an order");
  return OrderCreated(IdAt(*data, "id"), *attributes, nullptr);
}

Result<WebhookDelivery> ReceiveWebhook(const HeaderLookup& header, std::string_view body, std::string_view secret) {
  DF_RETURN_IF_ERROR(VerifySignature(header("X-Signature"), body, secret));
  return ParseWebhook(body);
}

}  // namespace datafast::revenue::lemonsqueezy
