#include "revenue/polar/webhook.h"

#include <charconv>
#include <cstdlib>

#include "auth/secrets.h"
#include "core/digest.h"
#include "core/time_zone.h"
#include "revenue/money.h"

namespace datafast::revenue::polar {
namespace {

namespace json = boost::json;
using webhook_json::AmountAt;
using webhook_json::IdAt;
using webhook_json::IntAt;
using webhook_json::ObjectAt;
using webhook_json::StringAt;

constexpr std::string_view kStandardSecretPrefix = "whsec_";

Status Missing(std::string_view field, std::string_view type) {
  return Status::InvalidArgument("data." + std::string(field) + " is missing or not " + std::string(type));
}

// The order's fields that both events report: ids, currency, customer,
// metadata, time; the amount is the caller's.
Result<PaymentReport> NewReport(const json::object& order, int64_t ts_micros) {
  std::string id = IdAt(order, "id");
  if (id.empty()) return Missing("id", "a string");
  std::string_view currency = StringAt(order, "currency");
  if (!CurrencyExponent(currency).ok()) return Missing("currency", "a currency code");
  PaymentReport report;
  report.provider = "polar";
  report.transaction_id = std::move(id);
  report.currency = NormalizeCurrency(currency);
  report.ts_micros = ts_micros;
  report.subscription_id = IdAt(order, "subscription_id");
  report.customer_id = IdAt(order, "customer_id");
  if (const json::object* customer = ObjectAt(order, "customer")) {
    if (report.customer_id.empty()) report.customer_id = IdAt(*customer, "id");
    report.email = StringAt(*customer, "email");
    report.customer_name = StringAt(*customer, "name");
  }
  webhook_json::ReadTrackerIds(ObjectAt(order, "metadata"), report);
  return report;
}

Result<PaymentReport> OrderPaid(const json::object& order, int64_t ts_micros) {
  auto report = NewReport(order, ts_micros);
  if (!report.ok()) return report;
  std::optional<int64_t> amount = AmountAt(order, "total_amount");
  // Payloads from before total_amount have the net `amount` and the tax.
  std::optional<int64_t> net = AmountAt(order, "amount");
  if (!amount && net) amount = *net + AmountAt(order, "tax_amount").value_or(0);
  if (!amount) return Missing("total_amount", "an amount in cents");
  report->amount_minor = *amount;
  std::string_view reason = StringAt(order, "billing_reason");
  if (reason == "subscription_cycle" || reason == "subscription_update") {
    report->kind = PaymentKind::kRenewal;
  } else if (reason == "subscription_create" && *amount == 0) {
    report->kind = PaymentKind::kFreeTrial;
  }
  if (const json::object* subscription = ObjectAt(order, "subscription")) {
    report->monthly_amount_minor =
        MonthlyAmount(AmountAt(*subscription, "amount").value_or(0), StringAt(*subscription, "recurring_interval"),
                      IntAt(*subscription, "recurring_interval_count").value_or(1));
  }
  std::string checkout_id = IdAt(order, "checkout_id");
  if (!checkout_id.empty()) report->aliases.push_back(std::move(checkout_id));
  return report;
}

Result<PaymentReport> OrderRefunded(const json::object& order, int64_t ts_micros) {
  auto report = NewReport(order, ts_micros);
  if (!report.ok()) return report;
  std::optional<int64_t> refunded = AmountAt(order, "refunded_amount");
  if (!refunded) return Missing("refunded_amount", "an amount in cents");
  report->amount_minor = *refunded + AmountAt(order, "refunded_tax_amount").value_or(0);
  report->kind = PaymentKind::kRefund;
  report->refund_total = true;
  report->refunded_transaction_id = report->transaction_id;
  // Each new total is a new movement of money.
  report->transaction_id += ":refund:" + std::to_string(report->amount_minor);
  return report;
}

}  // namespace

Status VerifySignature(std::string_view webhook_id, std::string_view webhook_timestamp,
                       std::string_view webhook_signature, std::string_view body, std::string_view secret,
                       int64_t now_seconds) {
  // With no secret anyone could sign.
  if (secret.empty()) return Status::Unauthenticated("no Polar webhook secret is configured");
  if (webhook_id.empty() || webhook_timestamp.empty() || webhook_signature.empty()) {
    return Status::Unauthenticated("webhook-id, webhook-timestamp or webhook-signature is missing");
  }
  int64_t timestamp = 0;
  auto [end, ec] =
      std::from_chars(webhook_timestamp.data(), webhook_timestamp.data() + webhook_timestamp.size(), timestamp);
  if (ec != std::errc() || end != webhook_timestamp.data() + webhook_timestamp.size()) {
    return Status::Unauthenticated("webhook-timestamp is not a number");
  }
  if (std::llabs(now_seconds - timestamp) > kToleranceSeconds) {
    return Status::Unauthenticated("webhook-timestamp is outside the tolerance");
  }
  std::string key(secret);
  if (secret.starts_with(kStandardSecretPrefix)) {
    std::optional<std::string> decoded = core::Base64Decode(secret.substr(kStandardSecretPrefix.size()));
    if (!decoded) return Status::Unauthenticated("the whsec_ webhook secret is not base64");
    key = std::move(*decoded);
  }
  std::string expected = core::Base64Encode(
      core::HmacSha256(key, std::string(webhook_id) + "." + std::string(webhook_timestamp) + "." + std::string(body)));
  bool match = false;
  while (!webhook_signature.empty()) {
    size_t space = webhook_signature.find(' ');
    std::string_view entry = webhook_signature.substr(0, space);
    webhook_signature = space == std::string_view::npos ? std::string_view() : webhook_signature.substr(space + 1);
    if (entry.starts_with("v1,")) match |= auth::ConstantTimeEquals(entry.substr(3), expected);
  }
  if (!match) return Status::Unauthenticated("no webhook-signature v1 signs the body");
  return Status::Ok();
}

Result<WebhookDelivery> ParseWebhook(std::string_view webhook_id, std::string_view body) {
  if (webhook_id.empty()) return Status::InvalidArgument("the webhook-id header is missing");
  auto event = webhook_json::ParseObject(body);
  if (!event.ok()) return event.status();
  WebhookDelivery delivery;
  delivery.delivery_id = webhook_id;
  delivery.event_type = StringAt(*event, "type");
  if (delivery.event_type.empty()) return Status::InvalidArgument("type is missing or not a string");
  bool paid = delivery.event_type == "order.paid";
  if (!paid && delivery.event_type != "order.refunded") return delivery;

  const json::object* order = ObjectAt(*event, "data");
  if (!order) return Status::InvalidArgument("data is missing or not an object");
  std::optional<int64_t> ts_micros = core::ParseIsoTime(StringAt(*event, "timestamp"));
  if (!ts_micros) ts_micros = core::ParseIsoTime(StringAt(*order, "created_at"));
  if (!ts_micros) return Status::InvalidArgument("timestamp is missing or not an ISO 8601 time");
  auto report = paid ? OrderPaid(*order, *ts_micros) : OrderRefunded(*order, *ts_micros);
  if (!report.ok()) return report.status();
  delivery.payments.push_back(std::move(*report));
  return delivery;
}

Result<WebhookDelivery> ReceiveWebhook(const HeaderLookup& header, std::string_view body, std::string_view secret,
                                       int64_t now_seconds) {
  std::string_view webhook_id = header("webhook-id");
  DF_RETURN_IF_ERROR(
      VerifySignature(webhook_id, header("webhook-timestamp"), header("webhook-signature"), body, secret, now_seconds));
  return ParseWebhook(webhook_id, body);
}

}  // namespace datafast::revenue::polar
