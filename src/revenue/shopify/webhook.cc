#include "revenue/shopify/webhook.h"

#include "auth/secrets.h"
#include "core/digest.h"
#include "core/time_zone.h"
#include "revenue/money.h"

namespace datafast::revenue::shopify {
namespace {

namespace json = boost::json;
using webhook_json::ArrayAt;
using webhook_json::IdAt;
using webhook_json::ObjectAt;
using webhook_json::StringAt;

Status Missing(std::string_view field, std::string_view type) {
  return Status::InvalidArgument(std::string(field) + " is missing or not " + std::string(type));
}

// Shopify sends money as decimal text ("19.99"); a JSON number is read too.
Result<int64_t> MinorUnitsAt(const json::object& object, std::string_view key, std::string_view currency) {
  const json::value* value = object.if_contains(key);
  if (!value || !(value->is_string() || value->is_number())) return Missing(key, "a decimal amount");
  Result<int64_t> minor = value->is_string() ? MajorToMinor(std::string_view(value->get_string()), currency)
                                             : MajorToMinor(value->to_number<double>(), currency);
  if (!minor.ok()) return minor.status().WithContext(key);
  return minor;
}

// When the order or refund was processed, which may differ from when it was
// created (an import, a pending payment).
std::optional<int64_t> ProcessedMicros(const json::object& object) {
  std::optional<int64_t> micros = core::ParseIsoTime(StringAt(object, "processed_at"));
  return micros ? micros : core::ParseIsoTime(StringAt(object, "created_at"));
}

void ReadNoteAttributes(const json::object& order, PaymentReport& report) {
  const json::array* attributes = ArrayAt(order, "note_attributes");
  if (!attributes) return;
  for (const json::value& item : *attributes) {
    const json::object* attribute = item.if_object();
    if (!attribute) continue;
    std::string_view name = StringAt(*attribute, "name");
    if (name.starts_with('_')) name.remove_prefix(1);
    if (name == "datafast_visitor_id") report.visitor_id = StringAt(*attribute, "value");
    if (name == "datafast_session_id") report.session_id = StringAt(*attribute, "value");
  }
}

Result<std::vector<PaymentReport>> OrderPaid(const json::object& order) {
  PaymentReport report;
  report.provider = "shopify";
  report.transaction_id = IdAt(order, "id");
  if (report.transaction_id.empty()) return Missing("id", "an id");
  std::string_view currency = StringAt(order, "currency");
  if (!CurrencyExponent(currency).ok()) return Missing("currency", "a currency code");
  report.currency = NormalizeCurrency(currency);
  auto amount = MinorUnitsAt(order, "total_price", report.currency);
  if (!amount.ok()) return amount.status();
  report.amount_minor = *amount;
  std::optional<int64_t> ts_micros = ProcessedMicros(order);
  if (!ts_micros) return Missing("processed_at", "an ISO 8601 time");
  report.ts_micros = *ts_micros;
  std::string graphql_id(StringAt(order, "admin_graphql_api_id"));
  if (!graphql_id.empty()) report.aliases.push_back(std::move(graphql_id));
  report.email = StringAt(order, "email");
  if (const json::object* customer = ObjectAt(order, "customer")) {
    report.customer_id = IdAt(*customer, "id");
    if (report.email.empty()) report.email = StringAt(*customer, "email");
    std::string first(StringAt(*customer, "first_name")), last(StringAt(*customer, "last_name"));
    report.customer_name = first.empty() || last.empty() ? first + last : first + " " + last;
  }
  ReadNoteAttributes(order, report);
  return std::vector<PaymentReport>{std::move(report)};
}

Result<std::vector<PaymentReport>> RefundCreated(const json::object& refund) {
  PaymentReport report;
  report.provider = "shopify";
  report.kind = PaymentKind::kRefund;
  report.transaction_id = IdAt(refund, "id");
  if (report.transaction_id.empty()) return Missing("id", "an id");
  report.refunded_transaction_id = IdAt(refund, "order_id");
  if (report.refunded_transaction_id.empty()) return Missing("order_id", "an id");
  std::optional<int64_t> ts_micros = ProcessedMicros(refund);
  if (!ts_micros) return Missing("processed_at", "an ISO 8601 time");
  report.ts_micros = *ts_micros;
  // Only money that went back counts: a refund may only restock items, and
  // a failed or pending refund transaction returned nothing.
  const json::array* transactions = ArrayAt(refund, "transactions");
  if (!transactions) return std::vector<PaymentReport>{};
  for (const json::value& item : *transactions) {
    const json::object* transaction = item.if_object();
    if (!transaction || StringAt(*transaction, "kind") != "refund" || StringAt(*transaction, "status") != "success") {
      continue;
    }
    std::string_view currency = StringAt(*transaction, "currency");
    if (!CurrencyExponent(currency).ok()) return Missing("transactions[].currency", "a currency code");
    if (!report.currency.empty() && report.currency != NormalizeCurrency(currency)) {
      return Status::InvalidArgument("the refund's transactions are in more than one currency");
    }
    report.currency = NormalizeCurrency(currency);
    auto amount = MinorUnitsAt(*transaction, "amount", report.currency);
    if (!amount.ok()) return amount.status().WithContext("transactions[]");
    report.amount_minor += *amount;
    if (report.amount_minor > (int64_t{1} << 53)) return Status::InvalidArgument("the refund's amounts are too large");
  }
  if (report.currency.empty()) return std::vector<PaymentReport>{};
  return std::vector<PaymentReport>{std::move(report)};
}

}  // namespace

Status VerifySignature(std::string_view hmac, std::string_view body, std::string_view secret) {
  // With no secret anyone could sign.
  if (secret.empty()) return Status::Unauthenticated("no Shopify app secret is configured");
  if (!auth::ConstantTimeEquals(hmac, core::Base64Encode(core::HmacSha256(secret, body)))) {
    return Status::Unauthenticated("X-Shopify-Hmac-Sha256 does not sign the body");
  }
  return Status::Ok();
}

Result<WebhookDelivery> ParseWebhook(std::string_view topic, std::string_view delivery_id, std::string_view body) {
  if (topic.empty()) return Status::InvalidArgument("the X-Shopify-Topic header is missing");
  if (delivery_id.empty()) return Status::InvalidArgument("the X-Shopify-Event-Id header is missing");
  auto resource = webhook_json::ParseObject(body);
  if (!resource.ok()) return resource.status();
  WebhookDelivery delivery;
  delivery.delivery_id = delivery_id;
  delivery.event_type = topic;
  if (topic != "orders/paid" && topic != "refunds/create") return delivery;
  auto payments = topic == "orders/paid" ? OrderPaid(*resource) : RefundCreated(*resource);
  if (!payments.ok()) return payments.status();
  delivery.payments = std::move(*payments);
  return delivery;
}

Result<WebhookDelivery> ReceiveWebhook(const HeaderLookup& header, std::string_view body, std::string_view secret) {
  DF_RETURN_IF_ERROR(VerifySignature(header("X-Shopify-Hmac-Sha256"), body, secret));
  std::string_view event_id = header("X-Shopify-Event-Id");
  return ParseWebhook(header("X-Shopify-Topic"), event_id.empty() ? header("X-Shopify-Webhook-Id") : event_id, body);
}

}  // namespace datafast::revenue::shopify
