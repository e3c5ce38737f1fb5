// Stripe Billing for hosted operators (PRD FR-10): an owner upgrades through
// Stripe Checkout and changes or cancels through the Customer Portal; Stripe
// tells us what happened by signed webhooks, which set the account's plan.
// Off unless a Stripe secret key is configured. Thread-safe.
//
// Events handled: checkout.session.completed (the account, from the
// session's client_reference_id, becomes the Stripe customer and gets the
// plan in its metadata), customer.subscription.updated (the plan of the
// subscription's price, or the default plan once it is no longer active or
// trialing or past due), customer.subscription.deleted (the default plan).
// Each event id is applied once.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "manage/plans.h"
#include "revenue/stripe/client.h"
#include "store/meta_store.h"

namespace datafast::manage {

struct BillingOptions {
  std::string api_url = "https://api.stripe.com";
  std::string secret_key;      // sk_…; empty: billing is off
  std::string webhook_secret;  // whsec_… of the webhook endpoint
  std::string public_url;      // where Checkout and the Portal send the owner back
};

class Billing {
 public:
  Billing(store::MetaStore& meta, const Plans& plans, const core::Clock& clock, BillingOptions options);

  bool enabled() const { return !options_.secret_key.empty(); }

  // A Checkout page for `plan_id`; "plan: …" when it is not sold on Stripe.
  Result<std::string> CheckoutUrl(const store::Account& account, std::string_view customer_email,
                                  std::string_view plan_id);
  // The Customer Portal; kInvalidArgument before the account's first checkout.
  Result<std::string> PortalUrl(const store::Account& account);

  // Verifies the Stripe-Signature of `body` and applies the event. Answers
  // what happened ("applied", "duplicate", "ignored"); kUnauthenticated for
  // a bad signature, kInvalidArgument for a body that is not an event.
  Result<std::string> HandleWebhook(std::string_view signature_header, std::string_view body);

 private:
  Status ApplySubscription(const boost::json::object& subscription, bool deleted);

  store::MetaStore& meta_;
  const Plans& plans_;
  const core::Clock& clock_;
  const BillingOptions options_;
  revenue::stripe::Client client_;
};

}  // namespace datafast::manage
