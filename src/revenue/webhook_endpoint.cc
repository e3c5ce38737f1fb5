#include "revenue/webhook_endpoint.h"

#include "http/blocking.h"
#include "revenue/lemonsqueezy/webhook.h"
#include "revenue/polar/webhook.h"
#include "revenue/shopify/webhook.h"
#include "revenue/stripe/webhook.h"

namespace datafast::revenue {
namespace {

namespace beast_http = http::beast_http;
namespace json = boost::json;

constexpr size_t kMaxBodyBytes = 1 << 20;  // far above any provider's deliveries

Result<WebhookDelivery> Receive(const Provider& provider, const HeaderLookup& header, std::string_view body,
                                std::string_view secret, int64_t now_seconds) {
  if (provider.id == "stripe") return stripe::ReceiveWebhook(header, body, secret, now_seconds);
  if (provider.id == "lemonsqueezy") return lemonsqueezy::ReceiveWebhook(header, body, secret);
  if (provider.id == "polar") return polar::ReceiveWebhook(header, body, secret, now_seconds);
  return shopify::ReceiveWebhook(header, body, secret);
}

std::string Plural(size_t n, std::string_view one) {
  return std::to_string(n) + " " + std::string(one) + (n == 1 ? "" : "s");
}

// What one delivery does, on the pool.
http::Response Deliver(const WebhookEndpointDeps& deps, http::RequestContext& ctx) {
  const Provider* provider = FindProvider(ctx.params[0]);
  if (!provider) return http::ErrorResponse(Status::NotFound("no payment provider " + ctx.params[0]));
  auto site = deps.meta->FindSite(ctx.params[1]);
  if (!site.ok()) return http::ErrorResponse(Status::Unavailable(site.status().message()));
  if (!site->has_value()) return http::ErrorResponse(Status::NotFound("no website " + ctx.params[1]));
  auto connection = deps.connections->Open((*site)->id, *provider);
  if (!connection.ok()) return http::ErrorResponse(Status::Unavailable(connection.status().message()));
  if (!connection->has_value()) {
    return http::ErrorResponse(
        Status::NotFound("this website has no " + std::string(provider->name) + " connection; connect it first"));
  }
  int64_t now = deps.clock->NowMicros();
  auto note = [&](std::string_view event, bool ok, std::string_view result) {
    // The settings screen's last delivery: losing this note loses nothing.
    (void)deps.meta->RecordConnectionDelivery((*site)->id, provider->id, now, event, ok, result);
  };

  HeaderLookup header = [&ctx](std::string_view name) { return ctx.request[name]; };
  auto delivery = Receive(*provider, header, ctx.request.body(), (*connection)->webhook_secret, now / 1'000'000);
  if (!delivery.ok()) {
    note("", false, "refused: " + delivery.status().message());
    // A bad signature is the sender's fault like any bad input: 400.
    return http::ErrorResponse(Status::InvalidArgument(delivery.status().message()));
  }
  std::string delivery_key = (*site)->id + ":" + delivery->delivery_id;
  auto seen = deps.meta->HasWebhookDelivery(provider->id, delivery_key);
  if (!seen.ok()) return http::ErrorResponse(Status::Unavailable(seen.status().message()));
  if (*seen) {
    return http::JsonResponse(beast_http::status::ok, json::object{{"received", true}, {"duplicate", true}});
  }

  size_t recorded = 0, repeated = 0;
  for (const PaymentReport& report : delivery->payments) {
    auto outcome = deps.recorder->Record(**site, report);
    if (!outcome.ok()) {
      bool theirs = outcome.status().code() == StatusCode::kInvalidArgument;
      note(delivery->event_type, false,
           (theirs ? "refused: " : "failed, the provider will retry: ") + outcome.status().message());
      return http::ErrorResponse(theirs ? outcome.status() : Status::Unavailable(outcome.status().message()));
    }
    (outcome->duplicate ? repeated : recorded)++;
  }
  if (Status s = deps.meta->RecordWebhookDelivery(provider->id, delivery_key, now); !s.ok()) {
    return http::ErrorResponse(Status::Unavailable(s.message()));
  }
  std::string result = delivery->payments.empty() ? "ignored: not a payment event"
                       : repeated == 0
                           ? Plural(recorded, "payment") + " recorded"
                           : Plural(recorded, "payment") + " recorded, " + std::to_string(repeated) + " already known";
  note(delivery->event_type, true, result);
  return http::JsonResponse(beast_http::status::ok,
                            json::object{{"received", true}, {"payments", recorded}, {"duplicates", repeated}});
}

}  // namespace

void AddWebhookEndpoint(http::Router& router, WebhookEndpointDeps deps) {
  router.Add({beast_http::verb::post, "/webhooks/{}/{}", false, kMaxBodyBytes,
              [deps](http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
                co_return co_await http::RunBlocking<http::Response>(*deps.pool,
                                                                     [&deps, &ctx] { return Deliver(deps, ctx); });
              }});
}

}  // namespace datafast::revenue
