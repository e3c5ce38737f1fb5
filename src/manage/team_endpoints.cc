#include "manage/team_endpoints.h"

#include <boost/json/array.hpp>

#include "auth/web.h"
#include "core/clock.h"
#include "http/json_body.h"

namespace datafast::manage {
namespace {

namespace beast_http = http::beast_http;
namespace json = boost::json;
using http::RequestContext;
using http::Response;

json::object InviteJson(const store::Invite& invite) {
  return json::object{{"id", invite.id},
                      {"email", invite.email},
                      {"role", store::ToString(invite.role)},
                      {"expires_at", core::FormatIsoTime(invite.expires_at_micros)}};
}

}  // namespace

void AddTeamEndpoints(http::Router& router, auth::Accounts& accounts, auth::Team& team, store::MetaStore& meta,
                      UsageMonitor& usage) {
  constexpr size_t kSmallBody = 16 * 1024;
  using verb = beast_http::verb;
  // Handlers that need the signed-in caller (and, when they change
  // something, the CSRF token).
  auto add = [&](verb method, std::string path, auth::SignedInFn fn) {
    router.Add({method, std::move(path), false, kSmallBody, auth::SignedInHandler(accounts, std::move(fn))});
  };

  add(verb::get, "/api/app/accounts/{}/members",
      [&team, &meta](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto membership = team.MembershipOf(who, ctx.params[0]);
        if (!membership.ok()) return membership.status();
        auto members = meta.ListMembersOfAccount(membership->account.id);
        if (!members.ok()) return members.status();
        json::array member_list;
        for (const store::Membership& m : *members) {
          member_list.push_back(json::object{{"user_id", m.user_id},
                                             {"email", m.email},
                                             {"role", store::ToString(m.role)},
                                             {"joined_at", core::FormatIsoTime(m.joined_at_micros)}});
        }
        json::array invite_list;
        // Pending invitations are for those who manage the team.
        if (membership->role != store::Role::kViewer) {
          auto invites = meta.ListInvites(membership->account.id);
          if (!invites.ok()) return invites.status();
          for (const store::Invite& invite : *invites) invite_list.push_back(InviteJson(invite));
        }
        return http::JsonResponse(beast_http::status::ok, json::object{{"members", std::move(member_list)},
                                                                       {"invites", std::move(invite_list)}});
      });

  add(verb::post, "/api/app/accounts/{}/invites",
      [&team](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        auto email = http::RequiredStringField(*body, "email");
        if (!email.ok()) return email.status();
        auto role = http::RequiredStringField(*body, "role");
        if (!role.ok()) return role.status();
        auto invite = team.Invite(who, ctx.params[0], *email, *role);
        if (!invite.ok()) return invite.status();
        return http::JsonResponse(beast_http::status::created, json::object{{"invite", InviteJson(*invite)}});
      });

  add(verb::delete_, "/api/app/accounts/{}/invites/{}",
      [&team](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        DF_RETURN_IF_ERROR(team.RevokeInvite(who, ctx.params[0], ctx.params[1]));
        return http::NoContentResponse();
      });

  add(verb::patch, "/api/app/accounts/{}/members/{}",
      [&team](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        auto role = http::RequiredStringField(*body, "role");
        if (!role.ok()) return role.status();
        DF_RETURN_IF_ERROR(team.SetRole(who, ctx.params[0], ctx.params[1], *role));
        return http::NoContentResponse();
      });

  add(verb::delete_, "/api/app/accounts/{}/members/{}",
      [&team](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        DF_RETURN_IF_ERROR(team.RemoveMember(who, ctx.params[0], ctx.params[1]));
        return http::NoContentResponse();
      });

  add(verb::patch, "/api/app/accounts/{}",
      [&team, &meta](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto membership = team.MembershipOf(who, ctx.params[0]);
        if (!membership.ok()) return membership.status();
        DF_RETURN_IF_ERROR(auth::RequireCanChange(membership->role));
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        store::Account account = membership->account;
        auto name = http::OptionalStringField(*body, "name");
        if (!name.ok()) return name.status();
        if (*name) {
          if ((*name)->empty() || (*name)->size() > 100) {
            return Status::InvalidArgument("name: must have 1 to 100 characters");
          }
          account.name = **name;
        }
        auto over_limit = http::OptionalStringField(*body, "over_limit");
        if (!over_limit.ok()) return over_limit.status();
        if (*over_limit) {
          if (**over_limit != "keep" && **over_limit != "pause") {
            return Status::InvalidArgument("over_limit: must be keep or pause");
          }
          account.over_limit = **over_limit;
        }
        DF_RETURN_IF_ERROR(meta.UpdateAccount(account));
        return http::JsonResponse(beast_http::status::ok, json::object{{"id", account.id},
                                                                       {"name", account.name},
                                                                       {"role", store::ToString(membership->role)},
                                                                       {"plan", account.plan},
                                                                       {"over_limit", account.over_limit}});
      });

  add(verb::get, "/api/app/accounts/{}/usage",
      [&team, &usage](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto membership = team.MembershipOf(who, ctx.params[0]);
        if (!membership.ok()) return membership.status();
        auto u = usage.UsageOf(membership->account);
        if (!u.ok()) return u.status();
        auto limit = [](const std::optional<int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); };
        json::array available;
        for (const Plan& p : usage.plans().all()) {
          available.push_back(json::object{{"id", p.id},
                                           {"name", p.name},
                                           {"events_per_month", limit(p.events_per_month)},
                                           {"sites", limit(p.sites)},
                                           {"purchasable", !p.stripe_price.empty()}});
        }
        return http::JsonResponse(
            beast_http::status::ok,
            json::object{{"plan", json::object{{"id", u->plan.id},
                                               {"name", u->plan.name},
                                               {"events_per_month", limit(u->plan.events_per_month)},
                                               {"sites", limit(u->plan.sites)}}},
                         {"period", json::object{{"start", core::FormatIsoTime(u->period_start_micros)},
                                                 {"end", core::FormatIsoTime(u->period_end_micros)}}},
                         {"events", u->events},
                         {"percent", u->percent ? json::value(*u->percent) : json::value(nullptr)},
                         {"warning", u->warning ? json::value(u->warning) : json::value(nullptr)},
                         {"over_limit", membership->account.over_limit},
                         {"paused", u->paused},
                         {"available_plans", std::move(available)}});
      });

  // What an invitation link is for: readable without signing in, so the
  // page can offer to sign up or log in as the invited address.
  router.Add({verb::get, "/api/app/invites/{}", false, 0,
              http::ResultHandler([&team](RequestContext& ctx) -> Result<Response> {
                auto details = team.Describe(ctx.params[0]);
                if (!details.ok()) return details.status();
                return http::JsonResponse(beast_http::status::ok,
                                          json::object{{"account_name", details->account_name},
                                                       {"email", details->invite.email},
                                                       {"role", store::ToString(details->invite.role)}});
              })});

  add(verb::post, "/api/app/invites/{}/accept",
      [&team](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        DF_RETURN_IF_ERROR(team.Accept(who, ctx.params[0]));
        return http::NoContentResponse();
      });
}

void AddBillingEndpoints(http::Router& router, auth::Accounts& accounts, auth::Team& team, Billing& billing) {
  using verb = beast_http::verb;
  using UrlFor = std::function<Result<std::string>(const store::Account&, const auth::SignedIn&, const json::object&)>;
  auto owner_route = [&](std::string path, UrlFor url_for) {
    router.Add({verb::post, std::move(path), false, 16 * 1024,
                auth::SignedInHandler(
                    accounts, [&team, url_for](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
                      auto membership = team.MembershipOf(who, ctx.params[0]);
                      if (!membership.ok()) return membership.status();
                      if (membership->role != store::Role::kOwner) {
                        return Status::PermissionDenied("only an owner can change the plan");
                      }
                      auto body = http::ParseJsonObject(ctx.request);
                      if (!body.ok()) return body.status();
                      auto url = url_for(membership->account, who, *body);
                      if (!url.ok()) return url.status();
                      return http::JsonResponse(beast_http::status::ok, json::object{{"url", *url}});
                    })});
  };
  owner_route("/api/app/accounts/{}/billing/checkout",
              [&billing](const store::Account& account, const auth::SignedIn& who,
                         const json::object& body) -> Result<std::string> {
                auto plan = http::RequiredStringField(body, "plan");
                if (!plan.ok()) return plan.status();
                return billing.CheckoutUrl(account, who.user.email, *plan);
              });
  owner_route("/api/app/accounts/{}/billing/portal",
              [&billing](const store::Account& account, const auth::SignedIn&,
                         const json::object&) -> Result<std::string> { return billing.PortalUrl(account); });

  // Stripe signs the raw body; a bad signature is a 400 (Stripe's advice),
  // so the delivery shows as failed in its dashboard.
  router.Add({verb::post, "/api/billing/stripe/webhook", false, 512 * 1024,
              http::ResultHandler([&billing](RequestContext& ctx) -> Result<Response> {
                auto outcome = billing.HandleWebhook(ctx.request["Stripe-Signature"], ctx.request.body());
                if (outcome.status().code() == StatusCode::kUnauthenticated) {
                  return Status::InvalidArgument(outcome.status().message());
                }
                if (!outcome.ok()) return outcome.status();
                return http::JsonResponse(beast_http::status::ok, json::object{{"received", *outcome}});
              })});
}

}  // namespace datafast::manage
