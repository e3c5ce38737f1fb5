#include "manage/connection_endpoints.h"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "auth/team.h"
#include "auth/web.h"
#include "core/clock.h"
#include "http/json_body.h"
#include "manage/site_endpoints.h"

namespace datafast::manage {
namespace {

namespace beast_http = http::beast_http;
namespace json = boost::json;
using http::RequestContext;
using http::Response;

std::string TimeOrEmpty(int64_t micros) { return micros == 0 ? "" : core::FormatIsoTime(micros); }

json::value BackfillJson(const std::optional<store::Backfill>& b) {
  if (!b) return nullptr;
  return json::object{{"state", b->state},
                      {"since", core::FormatIsoTime(b->since_micros)},
                      {"pages", b->pages},
                      {"payments", b->payments},
                      {"error", b->error},
                      {"started_at", core::FormatIsoTime(b->started_at_micros)},
                      {"updated_at", core::FormatIsoTime(b->updated_at_micros)}};
}

json::object ConnectionJson(const revenue::Connections& connections, const store::Site& site,
                            const revenue::Provider& provider, const std::optional<store::Connection>& c,
                            const std::optional<store::Backfill>& backfill) {
  json::array events;
  for (std::string_view e : provider.events) events.push_back(json::string(e));
  json::value last_delivery = nullptr;
  if (c && c->last_delivery_at_micros != 0) {
    last_delivery = json::object{{"at", core::FormatIsoTime(c->last_delivery_at_micros)},
                                 {"event_type", c->last_delivery_event},
                                 {"ok", c->last_delivery_ok},
                                 {"result", c->last_delivery_result}};
  }
  return json::object{{"provider", provider.id},
                      {"name", provider.name},
                      {"connected", c.has_value()},
                      {"webhook_url", connections.WebhookUrl(site.id, provider)},
                      {"events", std::move(events)},
                      {"docs_url", provider.key_docs_url},
                      {"api_key_hint", c ? "…" + c->api_key_hint : ""},
                      {"shop", c ? c->shop : ""},
                      {"connected_at", c ? TimeOrEmpty(c->connected_at_micros) : ""},
                      {"last_delivery", std::move(last_delivery)},
                      {"backfill", BackfillJson(backfill)}};
}

Result<const revenue::Provider*> ProviderNamed(const std::string& id) {
  const revenue::Provider* provider = revenue::FindProvider(id);
  if (!provider)
    return Status::NotFound("no payment provider " + id + "; there are stripe, lemonsqueezy, polar, shopify");
  return provider;
}

// The site and provider a change names, once the caller may change the site.
struct Target {
  store::Site site;
  const revenue::Provider* provider;
};
Result<Target> ChangeTarget(const ConnectionEndpointDeps& deps, const RequestContext& ctx, const auth::SignedIn& who) {
  auto access = AccessSite(*deps.meta, who, ctx.params[0]);
  if (!access.ok()) return access.status();
  DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
  auto provider = ProviderNamed(ctx.params[1]);
  if (!provider.ok()) return provider.status();
  return Target{std::move(access->site), *provider};
}

// The connection as the app shows it, read from the store.
Result<json::object> ReadConnection(const ConnectionEndpointDeps& deps, const store::Site& site,
                                    const revenue::Provider& provider) {
  auto c = deps.meta->FindConnection(site.id, provider.id);
  if (!c.ok()) return c.status();
  auto backfill = deps.meta->FindBackfill(site.id, provider.id);
  if (!backfill.ok()) return backfill.status();
  return ConnectionJson(*deps.connections, site, provider, *c, *backfill);
}

}  // namespace

void AddConnectionEndpoints(http::Router& router, ConnectionEndpointDeps deps) {
  constexpr size_t kSmallBody = 16 * 1024;
  router.Add({beast_http::verb::get, "/api/app/sites/{}/connections", false, kSmallBody,
              auth::SignedInHandler(
                  *deps.accounts, [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
                    auto access = AccessSite(*deps.meta, who, ctx.params[0]);
                    if (!access.ok()) return access.status();
                    json::array out;
                    for (const revenue::Provider& provider : revenue::Providers()) {
                      auto c = ReadConnection(deps, access->site, provider);
                      if (!c.ok()) return c.status();
                      out.push_back(std::move(*c));
                    }
                    return http::JsonResponse(beast_http::status::ok, json::object{{"connections", std::move(out)}});
                  })});

  router.Add({beast_http::verb::put, "/api/app/sites/{}/connections/{}", false, kSmallBody,
              auth::SignedInHandler(*deps.accounts, *deps.pool,
                                    [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
                                      auto target = ChangeTarget(deps, ctx, who);
                                      if (!target.ok()) return target.status();
                                      auto body = http::ParseJsonObject(ctx.request);
                                      if (!body.ok()) return body.status();
                                      auto api_key = http::OptionalStringField(*body, "api_key");
                                      auto secret = http::OptionalStringField(*body, "webhook_secret");
                                      auto shop = http::OptionalStringField(*body, "shop");
                                      for (const Status& s : {api_key.status(), secret.status(), shop.status()}) {
                                        if (!s.ok()) return s;
                                      }
                                      auto connected = deps.connections->Connect(
                                          target->site, *target->provider, api_key->value_or(""), secret->value_or(""),
                                          shop->value_or(""));
                                      if (!connected.ok()) return connected.status();
                                      auto c = ReadConnection(deps, target->site, *target->provider);
                                      if (!c.ok()) return c.status();
                                      return http::JsonResponse(beast_http::status::ok, *c);
                                    })});

  // Starts importing past payments in the background; the connection's
  // `backfill` shows the progress.
  router.Add(
      {beast_http::verb::post, "/api/app/sites/{}/connections/{}/backfill", false, kSmallBody,
       auth::SignedInHandler(
           *deps.accounts, [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
             auto target = ChangeTarget(deps, ctx, who);
             if (!target.ok()) return target.status();
             auto body = http::ParseJsonObject(ctx.request);
             if (!body.ok()) return body.status();
             const json::value* days = body->if_contains("days");
             if (!days || !days->is_int64() || days->get_int64() < 1 || days->get_int64() > 3650) {
               return Status::InvalidArgument("days: must be a whole number from 1 to 3650");
             }
             auto started = deps.backfills->Start(target->site, *target->provider, static_cast<int>(days->get_int64()));
             if (!started.ok()) return started.status();
             boost::asio::post(*deps.pool, [deps, site = target->site, provider = target->provider, b = *started] {
               // The outcome, failures included, is kept in the backfill row.
               (void)deps.backfills->Continue(site, *provider, b, [](const store::Backfill&) {});
             });
             auto c = ReadConnection(deps, target->site, *target->provider);
             if (!c.ok()) return c.status();
             return http::JsonResponse(beast_http::status::accepted, *c);
           })});

  router.Add({beast_http::verb::delete_, "/api/app/sites/{}/connections/{}", false, kSmallBody,
              auth::SignedInHandler(
                  *deps.accounts, [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
                    auto target = ChangeTarget(deps, ctx, who);
                    if (!target.ok()) return target.status();
                    DF_RETURN_IF_ERROR(deps.meta->DeleteConnection(target->site.id, target->provider->id));
                    return http::NoContentResponse();
                  })});
}

}  // namespace datafast::manage
