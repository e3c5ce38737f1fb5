#include "api/v1_endpoints.h"

#include "core/clock.h"
#include "http/blocking.h"
#include "http/static_files.h"
#include "manage/site_endpoints.h"

namespace datafast::api {
namespace beast_http = http::beast_http;
namespace json = boost::json;

void AddV1Route(http::Router& router, const V1Deps& deps, beast_http::verb method, std::string path,
                std::string_view scope, V1Fn fn, V1Body body) {
  router.Add({method, std::move(path), false, 64 * 1024,
              [deps, scope = std::string(scope), fn = std::move(fn),
               body](http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
                int64_t retry_after = 0;
                auto caller = deps.authenticator->Authenticate(
                    ctx.request[beast_http::field::authorization],
                    http::ParamValue(http::ParseQueryParams(ctx.request.target()), "websiteId"), scope, retry_after);
                if (!caller.ok()) {
                  http::Response res = http::ErrorResponse(caller.status());
                  if (retry_after > 0) res.set(beast_http::field::retry_after, std::to_string(retry_after));
                  co_return res;
                }
                const auth::ApiCaller& who = *caller;
                auto data = co_await http::RunBlocking<Result<json::value>>(
                    *deps.pool, [&fn, &ctx, &who]() -> Result<json::value> { return fn(ctx, who); });
                if (!data.ok()) co_return http::ErrorResponse(data.status());
                if (body == V1Body::kPlain) co_return http::JsonResponse(beast_http::status::ok, *data);
                co_return http::JsonResponse(beast_http::status::ok,
                                             json::object{{"status", "success"}, {"data", std::move(*data)}});
              }});
}

void AddV1Endpoints(http::Router& router, const V1Deps& deps) {
  // The OpenAPI 3 description of this API (src/api/openapi.json); public,
  // like any API's documentation, and cacheable for an hour.
  router.Add(
      {beast_http::verb::get, "/api/v1/openapi.json", false, 0, http::EmbeddedFileHandler("api/openapi.json", 3600)});

  AddV1Route(router, deps, beast_http::verb::get, "/api/v1/website", "sites:read",
             [](http::RequestContext&, const auth::ApiCaller& caller) -> Result<json::value> {
               const store::Site& site = caller.site;
               return json::value(json::object{{"id", site.id},
                                               {"domain", site.domain},
                                               {"timezone", site.timezone},
                                               {"currency", site.currency},
                                               {"created_at", core::FormatIsoTime(site.created_at_micros)}});
             });

  // Erasure on request (GDPR article 17): every event of the visitor on this
  // website, including those still on their way into the store.
  AddV1Route(router, deps, beast_http::verb::delete_, "/api/v1/visitors/{}", "privacy:write",
             [deps](http::RequestContext& ctx, const auth::ApiCaller& caller) -> Result<json::value> {
               auto deleted = manage::EraseVisitor(*deps.writer, *deps.events, caller.site.id, ctx.params[0]);
               if (!deleted.ok()) return deleted.status();
               return json::value(json::object{{"visitor_id", ctx.params[0]}, {"deleted_events", *deleted}});
             });
}

}  // namespace datafast::api
