// Polar's webhooks (polar.sh/docs/integrate/webhooks) as payments. Polar
// signs by Standard Webhooks (standardwebhooks.com): the webhook-id,
// webhook-timestamp and webhook-signature headers, the last a space-separated
// list of "v1,BASE64" HMAC-SHA256s of "{id}.{timestamp}.{body}". The key is
// the endpoint secret's own bytes (Polar's SDK base64-encodes the secret and
// the standardwebhooks library decodes it again), or for a "whsec_" secret
// the base64 after the prefix, as Standard Webhooks reads it. The webhook-id
// stays the same across retries, so it is the delivery id.
//  - order.paid: a purchase (billing_reason purchase or subscription_create;
//    a free trial when a subscription starts with nothing charged) or a
//    renewal (subscription_cycle, subscription_update), for `total_amount`,
//    tax included. The order id is the transaction id, its checkout an alias.
//  - order.refunded: the running total refunded on the order, tax included
//    (`refunded_amount` + `refunded_tax_amount`, as Polar keeps the tax
//    apart); each new total is its own transaction "{order id}:refund:{total}".
// order.created, which may still be unpaid, and every other event are
// acknowledged with no payments. Times are the event's `timestamp`. The
// tracker's ids come from the order's `metadata`, which Polar copies from the
// checkout. Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "revenue/webhook.h"

namespace datafast::revenue::polar {

inline constexpr int64_t kToleranceSeconds = 300;

// kUnauthenticated, naming what is wrong, unless one of the v1 signatures in
// `webhook_signature` signs the delivery with `secret`, and
// `webhook_timestamp` is within kToleranceSeconds of `now_seconds` (so a
// captured delivery cannot be replayed later). Compares in constant time.
Status VerifySignature(std::string_view webhook_id, std::string_view webhook_timestamp,
                       std::string_view webhook_signature, std::string_view body, std::string_view secret,
                       int64_t now_seconds);

// The event in `body`, a delivery whose signature has been checked;
// `webhook_id` is its webhook-id header. kInvalidArgument naming the field
// for malformed JSON or a parsed event without its required fields.
Result<WebhookDelivery> ParseWebhook(std::string_view webhook_id, std::string_view body);

// What the webhook endpoint calls: VerifySignature with the Standard Webhooks
// headers, then ParseWebhook.
Result<WebhookDelivery> ReceiveWebhook(const HeaderLookup& header, std::string_view body, std::string_view secret,
                                       int64_t now_seconds);

}  // namespace datafast::revenue::polar
