#include "auth/app_endpoints.h"

#include <boost/json/array.hpp>

#include "auth/secrets.h"
#include "auth/web.h"
#include "core/clock.h"
#include "http/json_body.h"

namespace datafast::auth {
namespace {

namespace asio = boost::asio;
namespace beast_http = http::beast_http;
namespace json = boost::json;
using http::Response;

Result<json::array> AccountsJson(store::MetaStore& meta, const store::User& user) {
  auto memberships = meta.ListMembershipsOfUser(user.id);
  if (!memberships.ok()) return memberships.status();
  json::array out;
  for (const store::Membership& m : *memberships) {
    out.push_back(json::object{
        {"id", m.account.id}, {"name", m.account.name}, {"role", store::ToString(m.role)}, {"plan", m.account.plan}});
  }
  return out;
}

// {user, accounts, csrf_token}: what the app needs after login and on load.
Result<json::object> SignedInJson(store::MetaStore& meta, const store::User& user, std::string_view csrf_token) {
  auto accounts = AccountsJson(meta, user);
  if (!accounts.ok()) return accounts.status();
  return json::object{{"user", UserJson(user)}, {"accounts", std::move(*accounts)}, {"csrf_token", csrf_token}};
}

}  // namespace

json::object UserJson(const store::User& user) {
  return json::object{{"id", user.id},
                      {"email", user.email},
                      {"email_verified", user.email_verified},
                      {"created_at", core::FormatIsoTime(user.created_at_micros)}};
}

void AddAccountEndpoints(http::Router& router, Accounts& accounts, store::MetaStore& meta,
                         AccountEndpointOptions options) {
  constexpr size_t kSmallBody = 16 * 1024;
  auto add = [&](beast_http::verb method, std::string path, auto fn) {
    router.Add({method, std::move(path), false, kSmallBody, http::ResultHandler(std::move(fn))});
  };

  add(beast_http::verb::get, "/api/app/state", [&accounts, options](http::RequestContext&) -> Result<Response> {
    auto needs_owner = accounts.NeedsOwner();
    if (!needs_owner.ok()) return needs_owner.status();
    return http::JsonResponse(beast_http::status::ok,
                              json::object{{"needs_owner", *needs_owner},
                                           {"signup", accounts.open_signup() ? "open" : "invite_only"},
                                           {"email_delivery", accounts.email_delivery()},
                                           {"billing", options.billing}});
  });

  // Sign-up and login answer with the session cookie and the CSRF token.
  auto start_session = [&meta, options](const NewSession& session, beast_http::status status) -> Result<Response> {
    auto body = SignedInJson(meta, session.user, session.csrf_token);
    if (!body.ok()) return body.status();
    Response res = http::JsonResponse(status, *body);
    SetSessionCookie(res, session.cookie_value, options.secure_cookies);
    return res;
  };

  add(beast_http::verb::post, "/api/app/signup",
      [&accounts, start_session](http::RequestContext& ctx) -> Result<Response> {
        DF_RETURN_IF_ERROR(CheckSameOrigin(ctx.request));
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        auto email = http::RequiredStringField(*body, "email");
        if (!email.ok()) return email.status();
        auto password = http::RequiredStringField(*body, "password");
        if (!password.ok()) return password.status();
        auto invite = http::OptionalStringField(*body, "invite_token");
        if (!invite.ok()) return invite.status();
        auto session = accounts.SignUp(*email, *password, invite->value_or(""));
        if (!session.ok()) return session.status();
        return start_session(*session, beast_http::status::created);
      });

  add(beast_http::verb::post, "/api/app/login",
      [&accounts, start_session](http::RequestContext& ctx) -> Result<Response> {
        DF_RETURN_IF_ERROR(CheckSameOrigin(ctx.request));
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        auto email = http::RequiredStringField(*body, "email");
        if (!email.ok()) return email.status();
        auto password = http::RequiredStringField(*body, "password");
        if (!password.ok()) return password.status();
        // The limiter keys clients by a hash of their address: never the address itself.
        std::string client = HashSecret(ctx.client_ip);
        auto session = accounts.LogIn(*email, *password, client);
        if (session.status().code() == StatusCode::kRateLimited) {
          Response res = http::ErrorResponse(session.status());
          res.set(beast_http::field::retry_after,
                  std::to_string(std::max(accounts.LoginRetryAfter(*email, client), int64_t{1})));
          return res;
        }
        if (!session.ok()) return session.status();
        return start_session(*session, beast_http::status::ok);
      });

  add(beast_http::verb::post, "/api/app/logout", [&accounts, options](http::RequestContext& ctx) -> Result<Response> {
    auto who = RequireSignedIn(accounts, ctx.request);
    if (!who.ok()) return who.status();
    DF_RETURN_IF_ERROR(accounts.LogOut(SessionCookieValue(ctx.request)));
    Response res = http::NoContentResponse();
    ClearSessionCookie(res, options.secure_cookies);
    return res;
  });

  add(beast_http::verb::get, "/api/app/me", [&accounts, &meta](http::RequestContext& ctx) -> Result<Response> {
    auto who = RequireSignedIn(accounts, ctx.request);
    if (!who.ok()) return who.status();
    auto body = SignedInJson(meta, who->user, who->session.csrf_token);
    if (!body.ok()) return body.status();
    return http::JsonResponse(beast_http::status::ok, *body);
  });

  add(beast_http::verb::delete_, "/api/app/me", [&accounts, options](http::RequestContext& ctx) -> Result<Response> {
    auto who = RequireSignedIn(accounts, ctx.request);
    if (!who.ok()) return who.status();
    auto body = http::ParseJsonObject(ctx.request);
    if (!body.ok()) return body.status();
    auto password = http::RequiredStringField(*body, "password");
    if (!password.ok()) return password.status();
    auto deleted_sites = accounts.DeleteUser(*who, *password);
    if (!deleted_sites.ok()) return deleted_sites.status();
    if (options.delete_site_events) DF_RETURN_IF_ERROR(options.delete_site_events(*deleted_sites));
    Response res = http::NoContentResponse();
    ClearSessionCookie(res, options.secure_cookies);
    return res;
  });

  add(beast_http::verb::post, "/api/app/password", [&accounts](http::RequestContext& ctx) -> Result<Response> {
    auto who = RequireSignedIn(accounts, ctx.request);
    if (!who.ok()) return who.status();
    auto body = http::ParseJsonObject(ctx.request);
    if (!body.ok()) return body.status();
    auto current = http::RequiredStringField(*body, "current_password");
    if (!current.ok()) return current.status();
    auto next = http::RequiredStringField(*body, "new_password");
    if (!next.ok()) return next.status();
    DF_RETURN_IF_ERROR(accounts.ChangePassword(*who, *current, *next));
    return http::NoContentResponse();
  });

  add(beast_http::verb::post, "/api/app/password-reset/request",
      [&accounts](http::RequestContext& ctx) -> Result<Response> {
        DF_RETURN_IF_ERROR(CheckSameOrigin(ctx.request));
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        auto email = http::RequiredStringField(*body, "email");
        if (!email.ok()) return email.status();
        DF_RETURN_IF_ERROR(accounts.RequestPasswordReset(*email));
        return http::JsonResponse(beast_http::status::accepted, json::object{{"status", "sent if the account exists"}});
      });

  add(beast_http::verb::post, "/api/app/password-reset/confirm",
      [&accounts](http::RequestContext& ctx) -> Result<Response> {
        DF_RETURN_IF_ERROR(CheckSameOrigin(ctx.request));
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        auto token = http::RequiredStringField(*body, "token");
        if (!token.ok()) return token.status();
        auto password = http::RequiredStringField(*body, "password");
        if (!password.ok()) return password.status();
        DF_RETURN_IF_ERROR(accounts.ResetPassword(*token, *password));
        return http::NoContentResponse();
      });

  add(beast_http::verb::post, "/api/app/email/verify", [&accounts](http::RequestContext& ctx) -> Result<Response> {
    DF_RETURN_IF_ERROR(CheckSameOrigin(ctx.request));
    auto body = http::ParseJsonObject(ctx.request);
    if (!body.ok()) return body.status();
    auto token = http::RequiredStringField(*body, "token");
    if (!token.ok()) return token.status();
    DF_RETURN_IF_ERROR(accounts.VerifyEmail(*token));
    return http::NoContentResponse();
  });

  add(beast_http::verb::post, "/api/app/email/resend", [&accounts](http::RequestContext& ctx) -> Result<Response> {
    auto who = RequireSignedIn(accounts, ctx.request);
    if (!who.ok()) return who.status();
    DF_RETURN_IF_ERROR(accounts.SendEmailVerification(who->user));
    return http::JsonResponse(beast_http::status::accepted, json::object{{"status", "sent"}});
  });
}

}  // namespace datafast::auth
