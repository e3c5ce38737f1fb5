// Lemon Squeezy's webhooks (docs.lemonsqueezy.com/help/webhooks) as
// payments. A delivery is a JSON:API resource with `meta.event_name` and the
// checkout's custom data in `meta.custom_data`; it is signed in X-Signature
// with the lowercase hex HMAC-SHA256 of the raw body. It carries no delivery
// id, so the event name and the object's id stand for one.
//  - order_created: a purchase once the order is paid (a free trial when its
//    total is 0, as the payments API infers); the order id is the
//    transaction id and its UUID `identifier` an alias.
//  - subscription_payment_success: a subscription invoice. Lemon Squeezy
//    always sends order_created with a new subscription, for the same money
//    as the subscription's "initial" invoice, and neither payload names the
//    other (the invoice knows its subscription, only the subscription knows
//    its order). The initial invoice is therefore acknowledged with no
//    payment, and the order counts once; later invoices are renewals with
//    transaction id "subscription-invoice:{id}".
//  - order_refunded: the running total refunded on an order
//    (`refunded_amount`); each new total is its own transaction
//    "{order id}:refund:{total}" and delivery "order_refunded:{id}:{total}".
// Every other event is acknowledged with no payments. Thread-safe.
#pragma once

#include <string_view>

#include "core/status.h"
#include "revenue/webhook.h"

namespace datafast::revenue::lemonsqueezy {

// kUnauthenticated unless `signature` (the X-Signature header) is the
// lowercase hex HMAC-SHA256 of `body` keyed with the webhook's `secret`.
// Compares in constant time.
Status VerifySignature(std::string_view signature, std::string_view body, std::string_view secret);

// The event in `body`, a delivery whose signature has been checked.
// kInvalidArgument naming the field for malformed JSON or a parsed event
// without its required fields.
Result<WebhookDelivery> ParseWebhook(std::string_view body);

// An order as GET /v1/orders/{id} answers it, for the payment a success page
// reported (`?order_id=`): what order_created would say of it, under the same
// transaction id.
Result<std::vector<PaymentReport>> ParseOrder(std::string_view body);

// What the webhook endpoint calls: VerifySignature with the X-Signature
// header, then ParseWebhook.
Result<WebhookDelivery> ReceiveWebhook(const HeaderLookup& header, std::string_view body, std::string_view secret);

}  // namespace datafast::revenue::lemonsqueezy
