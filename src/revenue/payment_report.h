// What a payment provider (or a site, through the payments API) tells us
// about one money movement, before attribution: the common shape every
// provider's webhook parser and list-API backfill produce, and the one input
// of revenue::PaymentRecorder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace datafast::revenue {

enum class PaymentKind {
  kPurchase,   // a one-off payment, or the first payment of a subscription
  kRenewal,    // a later payment of a subscription
  kFreeTrial,  // a subscription starting with nothing paid yet
  kRefund,     // money returned; `refunded_transaction_id` names the payment
};
std::string_view ToString(PaymentKind kind);  // purchase, renewal, free_trial, refund
std::optional<PaymentKind> ParsePaymentKind(std::string_view s);

struct PaymentReport {
  std::string provider;        // stripe, lemonsqueezy, polar, shopify, api
  std::string transaction_id;  // the provider's id of this money movement; unique per provider and site
  PaymentKind kind = PaymentKind::kPurchase;
  int64_t amount_minor = 0;  // in the currency's minor unit (cents); positive, a refund too
  std::string currency;      // ISO 4217, upper case
  int64_t ts_micros = 0;     // when it was paid (or refunded), UTC

  // Refunds: the transaction_id (or an alias) of the payment refunded. When
  // the provider reports only the running total refunded on that payment
  // (Stripe's charge.refunded, Lemon Squeezy's and Polar's refunded_amount),
  // `amount_minor` is that total and `refund_total` is set: the recorder
  // books the difference from what it has booked before.
  std::string refunded_transaction_id;
  bool refund_total = false;
  // Subscriptions: the provider's subscription id, and its price per month
  // in minor units (a yearly plan's price / 12) for MRR; 0 when one-off.
  std::string subscription_id;
  int64_t monthly_amount_minor = 0;

  // Who paid, as the provider knows them. Any may be empty.
  std::string customer_id;
  std::string email;  // hashed with the server's key before it is stored
  std::string customer_name;

  // What the site passed at checkout (metadata, custom data, note
  // attributes): the tracker's cookie values.
  std::string visitor_id;
  std::string session_id;

  // Other ids of the same payment that a later event may name it by (a
  // Stripe payment intent or charge, a Shopify order id beside its
  // transaction), so that a refund finds the payment it returns.
  std::vector<std::string> aliases;
};

}  // namespace datafast::revenue
