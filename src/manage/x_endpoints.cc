#include "manage/x_endpoints.h"

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

json::object AccountJson(const store::XAccount& a) {
  return json::object{{"handle", a.handle}, {"added_at", core::FormatIsoTime(a.added_at_micros)}};
}

// The site a change names, once the caller may change it.
Result<store::Site> ChangeableSite(const XEndpointDeps& deps, const RequestContext& ctx, const auth::SignedIn& who) {
  auto access = AccessSite(*deps.meta, who, ctx.params[0]);
  if (!access.ok()) return access.status();
  DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
  return std::move(access->site);
}

// The one text field a body must have.
Result<std::string> RequiredText(const RequestContext& ctx, std::string_view name) {
  auto body = http::ParseJsonObject(ctx.request);
  if (!body.ok()) return body.status();
  return http::RequiredStringField(*body, name);
}

}  // namespace

void AddXEndpoints(http::Router& router, XEndpointDeps deps) {
  constexpr size_t kSmallBody = 4 * 1024;
  router.Add({beast_http::verb::get, "/api/app/sites/{}/x", false, kSmallBody,
              auth::SignedInHandler(
                  *deps.accounts, [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
                    auto access = AccessSite(*deps.meta, who, ctx.params[0]);
                    if (!access.ok()) return access.status();
                    auto accounts = deps.meta->ListXAccounts(access->site.id);
                    if (!accounts.ok()) return accounts.status();
                    auto posts = deps.meta->ListXPosts(access->site.id);
                    if (!posts.ok()) return posts.status();
                    json::array accounts_json, posts_json;
                    for (const store::XAccount& a : *accounts) accounts_json.push_back(AccountJson(a));
                    for (const store::XPost& p : *posts) posts_json.push_back(revenue::XPostJson(p));
                    return http::JsonResponse(beast_http::status::ok,
                                              json::object{{"api_configured", deps.x->api_configured()},
                                                           {"accounts", std::move(accounts_json)},
                                                           {"posts", std::move(posts_json)}});
                  })});

  router.Add({beast_http::verb::post, "/api/app/sites/{}/x/accounts", false, kSmallBody,
              auth::SignedInHandler(*deps.accounts,
                                    [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
                                      auto site = ChangeableSite(deps, ctx, who);
                                      if (!site.ok()) return site.status();
                                      auto handle = RequiredText(ctx, "handle");
                                      if (!handle.ok()) return handle.status();
                                      auto account = deps.x->AddAccount(*site, *handle);
                                      if (!account.ok()) return account.status();
                                      return http::JsonResponse(beast_http::status::created, AccountJson(*account));
                                    })});

  router.Add({beast_http::verb::delete_, "/api/app/sites/{}/x/accounts/{}", false, kSmallBody,
              auth::SignedInHandler(*deps.accounts,
                                    [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
                                      auto site = ChangeableSite(deps, ctx, who);
                                      if (!site.ok()) return site.status();
                                      DF_RETURN_IF_ERROR(deps.meta->DeleteXAccount(site->id, ctx.params[1]));
                                      return http::NoContentResponse();
                                    })});

  router.Add({beast_http::verb::post, "/api/app/sites/{}/x/posts", false, kSmallBody,
              auth::SignedInHandler(*deps.accounts, *deps.pool,
                                    [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
                                      auto site = ChangeableSite(deps, ctx, who);
                                      if (!site.ok()) return site.status();
                                      auto url = RequiredText(ctx, "url");
                                      if (!url.ok()) return url.status();
                                      auto post = deps.x->AddPost(*site, *url);
                                      if (!post.ok()) return post.status();
                                      return http::JsonResponse(beast_http::status::created, revenue::XPostJson(*post));
                                    })});

  router.Add({beast_http::verb::delete_, "/api/app/sites/{}/x/posts/{}", false, kSmallBody,
              auth::SignedInHandler(*deps.accounts,
                                    [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
                                      auto site = ChangeableSite(deps, ctx, who);
                                      if (!site.ok()) return site.status();
                                      DF_RETURN_IF_ERROR(deps.meta->DeleteXPost(site->id, ctx.params[1]));
                                      return http::NoContentResponse();
                                    })});
}

}  // namespace datafast::manage
