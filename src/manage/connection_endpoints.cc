#include "manage/connection_endpoints.h"

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

json::object ConnectionJson(const revenue::Connections& connections, const store::Site& site,
                            const revenue::Provider& provider, const std::optional<store::Connection>& c) {
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
                      {"last_delivery", std::move(last_delivery)}};
}

Result<const revenue::Provider*> ProviderNamed(const std::string& id) {
  const revenue::Provider* provider = revenue::FindProvider(id);
  if (!provider)
    return Status::NotFound("no payment provider " + id + "; there are stripe, lemonsqueezy, polar, shopify");
  return provider;
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
                      auto c = deps.meta->FindConnection(access->site.id, provider.id);
                      if (!c.ok()) return c.status();
                      out.push_back(ConnectionJson(*deps.connections, access->site, provider, *c));
                    }
                    return http::JsonResponse(beast_http::status::ok, json::object{{"connections", std::move(out)}});
                  })});

  router.Add(
      {beast_http::verb::put, "/api/app/sites/{}/connections/{}", false, kSmallBody,
       auth::SignedInHandler(
           *deps.accounts, *deps.pool, [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
             auto access = AccessSite(*deps.meta, who, ctx.params[0]);
             if (!access.ok()) return access.status();
             DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
             auto provider = ProviderNamed(ctx.params[1]);
             if (!provider.ok()) return provider.status();
             auto body = http::ParseJsonObject(ctx.request);
             if (!body.ok()) return body.status();
             auto api_key = http::OptionalStringField(*body, "api_key");
             auto secret = http::OptionalStringField(*body, "webhook_secret");
             auto shop = http::OptionalStringField(*body, "shop");
             for (const Status& s : {api_key.status(), secret.status(), shop.status()}) {
               if (!s.ok()) return s;
             }
             auto connected = deps.connections->Connect(access->site, **provider, api_key->value_or(""),
                                                        secret->value_or(""), shop->value_or(""));
             if (!connected.ok()) return connected.status();
             return http::JsonResponse(beast_http::status::ok,
                                       ConnectionJson(*deps.connections, access->site, **provider, *connected));
           })});

  router.Add({beast_http::verb::delete_, "/api/app/sites/{}/connections/{}", false, kSmallBody,
              auth::SignedInHandler(*deps.accounts,
                                    [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
                                      auto access = AccessSite(*deps.meta, who, ctx.params[0]);
                                      if (!access.ok()) return access.status();
                                      DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
                                      auto provider = ProviderNamed(ctx.params[1]);
                                      if (!provider.ok()) return provider.status();
                                      DF_RETURN_IF_ERROR(deps.meta->DeleteConnection(access->site.id, (*provider)->id));
                                      return http::NoContentResponse();
                                    })});
}

}  // namespace datafast::manage
