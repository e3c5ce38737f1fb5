// Stripe's webhook events (docs.stripe.com/api/events) as payments:
//  - checkout.session.completed, and checkout.session.async_payment_succeeded
//    for payment methods that settle later: a purchase once the session is
//    paid, or a free trial for a subscription checkout that charged nothing.
//    Its transaction id is the session's invoice when it has one, so that the
//    subscription's first invoice.paid names the same payment; else its
//    payment intent, else the session id.
//  - invoice.paid: a subscription's first payment (billing_reason
//    subscription_create) or a renewal, a purchase outside any subscription;
//    the invoice id is the transaction id. The monthly price comes from the
//    lines' price.recurring, which API versions from 2025-03-31 no longer
//    send (0 then).
//  - charge.refunded: the running total refunded on a charge; each new total
//    is its own transaction "{charge id}:refund:{total}". It names the
//    payment refunded by the charge's invoice, else its payment intent.
// Every other event type is acknowledged with no payments. The tracker's ids
// come from the session's metadata, or for invoices from the subscription's
// (subscription_details, or parent.subscription_details from API version
// 2025-03-31 on). Times are the event's `created`: when the session was paid,
// the invoice paid, the refund made. Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "revenue/webhook.h"

namespace datafast::revenue::stripe {

// The event in `body`, a delivery whose signature the caller has checked
// (VerifySignature in signature.h). kInvalidArgument naming the field for
// malformed JSON or a parsed event without its required fields.
Result<WebhookDelivery> ParseWebhook(std::string_view body);

// A Checkout Session as GET /v1/checkout/sessions/{id} answers it, for the
// payment a success page reported (`?session_id=`): what
// checkout.session.completed would say of it, at `ts_micros`, under the
// same transaction id, so the webhook and the success page make one payment.
Result<std::vector<PaymentReport>> ParseCheckoutSession(std::string_view body, int64_t ts_micros);

// What the webhook endpoint calls: kUnauthenticated unless the
// Stripe-Signature header signs `body` with `secret` at `now_seconds`, else
// ParseWebhook.
Result<WebhookDelivery> ReceiveWebhook(const HeaderLookup& header, std::string_view body, std::string_view secret,
                                       int64_t now_seconds);

}  // namespace datafast::revenue::stripe
