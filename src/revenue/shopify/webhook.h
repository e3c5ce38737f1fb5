// Shopify's webhooks (shopify.dev/docs/apps/build/webhooks) as payments. The
// topic arrives in X-Shopify-Topic, the body is the resource itself, signed in
// X-Shopify-Hmac-Sha256 with the base64 HMAC-SHA256 of the raw body under the
// app's client secret. X-Shopify-Event-Id names the event across retries
// (X-Shopify-Webhook-Id where it is absent) and is the delivery id.
//  - orders/paid: a purchase of the order's `total_price` in its `currency`
//    (the shop's); the order id is the transaction id, its GraphQL id an
//    alias. The tracker's ids come from the order's note attributes
//    (cart attributes) datafast_visitor_id and datafast_session_id, or the
//    same names with a leading underscore, which hides them at checkout.
//  - refunds/create: the successful refund transactions of one refund,
//    summed; the refund id is the transaction id and the order id names the
//    payment refunded.
// Every other topic is acknowledged with no payments. Thread-safe.
#pragma once

#include <string_view>

#include "core/status.h"
#include "revenue/webhook.h"

namespace datafast::revenue::shopify {

// kUnauthenticated unless `hmac` (the X-Shopify-Hmac-Sha256 header) is the
// base64 HMAC-SHA256 of `body` keyed with the app's `secret`. Compares in
// constant time.
Status VerifySignature(std::string_view hmac, std::string_view body, std::string_view secret);

// The resource in `body` for `topic`, a delivery whose signature has been
// checked; `delivery_id` is its X-Shopify-Event-Id. kInvalidArgument naming
// the field for malformed JSON or a parsed topic without its required fields.
Result<WebhookDelivery> ParseWebhook(std::string_view topic, std::string_view delivery_id, std::string_view body);

// What the webhook endpoint calls: VerifySignature with
// X-Shopify-Hmac-Sha256, then ParseWebhook with the topic and event id
// headers.
Result<WebhookDelivery> ReceiveWebhook(const HeaderLookup& header, std::string_view body, std::string_view secret);

}  // namespace datafast::revenue::shopify
