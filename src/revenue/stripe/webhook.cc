#include "revenue/stripe/webhook.h"

#include "revenue/money.h"
#include "revenue/stripe/signature.h"

namespace datafast::revenue::stripe {
namespace {

namespace json = boost::json;
using webhook_json::AmountAt;
using webhook_json::ArrayAt;
using webhook_json::IntAt;
using webhook_json::ObjectAt;
using webhook_json::StringAt;

constexpr int64_t kLastSecond = 253402300799;  // 9999-12-31T23:59:59Z

Status Missing(std::string_view field, std::string_view type) {
  return Status::InvalidArgument("data.object." + std::string(field) + " is missing or not " + std::string(type));
}

// A reference Stripe sends as an id, or as the object itself when expanded.
std::string ExpandableId(const json::object& object, std::string_view key) {
  if (const json::object* expanded = ObjectAt(object, key)) return std::string(StringAt(*expanded, "id"));
  return std::string(StringAt(object, key));
}

void AddAlias(PaymentReport& report, std::string alias) {
  if (alias.empty() || alias == report.transaction_id) return;
  for (const std::string& known : report.aliases) {
    if (known == alias) return;
  }
  report.aliases.push_back(std::move(alias));
}

// The fields every report from `object` needs: its amount and currency.
Result<PaymentReport> NewReport(const json::object& object, std::string_view amount_field, int64_t ts_micros) {
  std::optional<int64_t> amount = AmountAt(object, amount_field);
  if (!amount) return Missing(amount_field, "an amount in minor units");
  std::string_view currency = StringAt(object, "currency");
  if (!CurrencyExponent(currency).ok()) return Missing("currency", "a currency code");
  PaymentReport report;
  report.provider = "stripe";
  report.amount_minor = *amount;
  report.currency = NormalizeCurrency(currency);
  report.ts_micros = ts_micros;
  report.customer_id = ExpandableId(object, "customer");
  return report;
}

Result<std::vector<PaymentReport>> CheckoutSessionPaid(const json::object& session, int64_t ts_micros) {
  std::string_view payment_status = StringAt(session, "payment_status");
  std::string_view mode = StringAt(session, "mode");
  // "unpaid" waits for checkout.session.async_payment_succeeded; a setup
  // session only saves a payment method.
  if ((payment_status != "paid" && payment_status != "no_payment_required") || mode == "setup") {
    return std::vector<PaymentReport>{};
  }
  std::string_view id = StringAt(session, "id");
  if (id.empty()) return Missing("id", "a string");
  auto report = NewReport(session, "amount_total", ts_micros);
  if (!report.ok()) return report.status();
  std::string invoice = ExpandableId(session, "invoice");
  std::string payment_intent = ExpandableId(session, "payment_intent");
  report->transaction_id = !invoice.empty() ? invoice : !payment_intent.empty() ? payment_intent : std::string(id);
  AddAlias(*report, std::string(id));
  AddAlias(*report, payment_intent);
  AddAlias(*report, invoice);
  report->subscription_id = ExpandableId(session, "subscription");
  if (mode == "subscription" && report->amount_minor == 0) report->kind = PaymentKind::kFreeTrial;
  if (const json::object* details = ObjectAt(session, "customer_details")) {
    report->email = StringAt(*details, "email");
    report->customer_name = StringAt(*details, "name");
  }
  if (report->email.empty()) report->email = StringAt(session, "customer_email");
  webhook_json::ReadTrackerIds(ObjectAt(session, "metadata"), *report);
  return std::vector<PaymentReport>{std::move(*report)};
}

// The subscription's part of an invoice: before API version 2025-03-31 at
// the top, from then on under `parent`.
const json::object* SubscriptionDetails(const json::object& invoice) {
  if (const json::object* details = ObjectAt(invoice, "subscription_details")) return details;
  const json::object* parent = ObjectAt(invoice, "parent");
  return parent ? ObjectAt(*parent, "subscription_details") : nullptr;
}

// The plan's price per month from the invoice's recurring, non-proration
// lines. API versions from 2025-03-31 drop `price` from lines: 0 then.
int64_t MonthlyAmountOfLines(const json::object& invoice) {
  const json::object* lines = ObjectAt(invoice, "lines");
  const json::array* data = lines ? ArrayAt(*lines, "data") : nullptr;
  if (!data) return 0;
  int64_t monthly = 0;
  for (const json::value& item : *data) {
    const json::object* line = item.if_object();
    if (!line) continue;
    const json::value* proration = line->if_contains("proration");
    if (proration && proration->is_bool() && proration->get_bool()) continue;
    const json::object* price = ObjectAt(*line, "price");
    const json::object* recurring = price ? ObjectAt(*price, "recurring") : nullptr;
    if (!recurring) continue;
    monthly += MonthlyAmount(AmountAt(*line, "amount").value_or(0), StringAt(*recurring, "interval"),
                             IntAt(*recurring, "interval_count").value_or(1));
  }
  return monthly;
}

Result<std::vector<PaymentReport>> InvoicePaid(const json::object& invoice, int64_t ts_micros) {
  std::string_view id = StringAt(invoice, "id");
  if (id.empty()) return Missing("id", "a string");
  auto report = NewReport(invoice, "amount_paid", ts_micros);
  if (!report.ok()) return report.status();
  report->transaction_id = id;
  const json::object* details = SubscriptionDetails(invoice);
  report->subscription_id = ExpandableId(invoice, "subscription");
  if (report->subscription_id.empty() && details) report->subscription_id = ExpandableId(*details, "subscription");
  // An invoice outside any subscription is a one-off purchase; a
  // subscription's invoices after its first are renewals.
  if (!report->subscription_id.empty() && StringAt(invoice, "billing_reason") != "subscription_create") {
    report->kind = PaymentKind::kRenewal;
  } else if (!report->subscription_id.empty() && report->amount_minor == 0) {
    report->kind = PaymentKind::kFreeTrial;
  }
  report->monthly_amount_minor = MonthlyAmountOfLines(invoice);
  AddAlias(*report, ExpandableId(invoice, "payment_intent"));
  AddAlias(*report, ExpandableId(invoice, "charge"));
  report->email = StringAt(invoice, "customer_email");
  report->customer_name = StringAt(invoice, "customer_name");
  webhook_json::ReadTrackerIds(details ? ObjectAt(*details, "metadata") : nullptr, *report);
  return std::vector<PaymentReport>{std::move(*report)};
}

Result<std::vector<PaymentReport>> ChargeRefunded(const json::object& charge, int64_t ts_micros) {
  std::string_view id = StringAt(charge, "id");
  if (id.empty()) return Missing("id", "a string");
  auto report = NewReport(charge, "amount_refunded", ts_micros);
  if (!report.ok()) return report.status();
  report->kind = PaymentKind::kRefund;
  report->refund_total = true;
  // Each new total is a new movement of money, and a retry of the same total
  // is recognised as one.
  report->transaction_id = std::string(id) + ":refund:" + std::to_string(report->amount_minor);
  // The invoice first: it is the transaction id of both reports of a
  // subscription payment (checkout and invoice.paid); then what a one-off
  // checkout is known by.
  std::string invoice = ExpandableId(charge, "invoice");
  std::string payment_intent = ExpandableId(charge, "payment_intent");
  report->refunded_transaction_id = !invoice.empty()          ? invoice
                                    : !payment_intent.empty() ? payment_intent
                                                              : std::string(id);
  if (const json::object* billing = ObjectAt(charge, "billing_details")) {
    report->email = StringAt(*billing, "email");
    report->customer_name = StringAt(*billing, "name");
  }
  if (report->email.empty()) report->email = StringAt(charge, "receipt_email");
  webhook_json::ReadTrackerIds(ObjectAt(charge, "metadata"), *report);
  return std::vector<PaymentReport>{std::move(*report)};
}

}  // namespace

Result<WebhookDelivery> ParseWebhook(std::string_view body) {
  auto event = webhook_json::ParseObject(body);
  if (!event.ok()) return event.status();
  WebhookDelivery delivery;
  delivery.delivery_id = StringAt(*event, "id");
  delivery.event_type = StringAt(*event, "type");
  if (delivery.delivery_id.empty()) return Status::InvalidArgument("id is missing or not a string");
  if (delivery.event_type.empty()) return Status::InvalidArgument("type is missing or not a string");
  const std::string& type = delivery.event_type;
  bool session_paid = type == "checkout.session.completed" || type == "checkout.session.async_payment_succeeded";
  if (!session_paid && type != "invoice.paid" && type != "charge.refunded") return delivery;

  const json::object* data = ObjectAt(*event, "data");
  const json::object* object = data ? ObjectAt(*data, "object") : nullptr;
  if (!object) return Status::InvalidArgument("data.object is missing or not an object");
  std::optional<int64_t> created = IntAt(*event, "created");
  if (!created) created = IntAt(*object, "created");
  if (!created || *created < 0 || *created > kLastSecond) {
    return Status::InvalidArgument("created is missing or not a time in seconds");
  }
  int64_t ts_micros = *created * 1'000'000;

  auto payments = session_paid             ? CheckoutSessionPaid(*object, ts_micros)
                  : type == "invoice.paid" ? InvoicePaid(*object, ts_micros)
                                           : ChargeRefunded(*object, ts_micros);
  if (!payments.ok()) return payments.status();
  delivery.payments = std::move(*payments);
  return delivery;
}

Result<std::vector<PaymentReport>> ParseCheckoutSession(std::string_view body, int64_t ts_micros) {
  auto session = webhook_json::ParseObject(body);
  if (!session.ok()) return session.status();
  if (StringAt(*session, "object") != "checkout.session") {
    return Status::InvalidArgument("the answer is not a Checkout Session");
  }
  return CheckoutSessionPaid(*session, ts_micros);
}

Result<WebhookDelivery> ReceiveWebhook(const HeaderLookup& header, std::string_view body, std::string_view secret,
                                       int64_t now_seconds) {
  // With no secret anyone could sign.
  if (secret.empty()) return Status::Unauthenticated("no Stripe webhook signing secret is configured");
  DF_RETURN_IF_ERROR(VerifySignature(header("Stripe-Signature"), body, secret, now_seconds));
  return ParseWebhook(body);
}

}  // namespace datafast::revenue::stripe
