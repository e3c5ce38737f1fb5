#include "auth/web.h"

#include "auth/secrets.h"
#include "http/blocking.h"
#include "http/json_body.h"

namespace datafast::auth {
namespace {

namespace beast_http = http::beast_http;

bool ChangesState(beast_http::verb method) {
  return method == beast_http::verb::post || method == beast_http::verb::put || method == beast_http::verb::patch ||
         method == beast_http::verb::delete_;
}

}  // namespace

std::string_view SessionCookieValue(const http::Request& request) {
  std::string_view header = request[beast_http::field::cookie];
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(kSessionCookie) && pair.size() > kSessionCookie.size() && pair[kSessionCookie.size()] == '=') {
      return pair.substr(kSessionCookie.size() + 1);
    }
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return {};
}

Result<SignedIn> RequireSignedIn(Accounts& accounts, const http::Request& request) {
  auto who = accounts.Authenticate(SessionCookieValue(request));
  if (!who.ok()) return who.status();
  if (!*who) return Status::Unauthenticated("sign in first");
  if (ChangesState(request.method()) && !ConstantTimeEquals(request["X-CSRF-Token"], (*who)->session.csrf_token)) {
    return Status::PermissionDenied("missing or invalid CSRF token");
  }
  return std::move(**who);
}

http::Handler SignedInHandler(Accounts& accounts, SignedInFn fn) {
  return http::ResultHandler([&accounts, fn = std::move(fn)](http::RequestContext& ctx) -> Result<http::Response> {
    auto who = RequireSignedIn(accounts, ctx.request);
    if (!who.ok()) return who.status();
    return fn(ctx, *who);
  });
}

http::Handler SignedInHandler(Accounts& accounts, boost::asio::thread_pool& pool, SignedInFn fn) {
  return [&accounts, &pool, fn = std::move(fn)](http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
    auto who = RequireSignedIn(accounts, ctx.request);
    if (!who.ok()) co_return http::FieldErrorResponse(who.status());
    const SignedIn& caller = *who;
    auto response = co_await http::RunBlocking<Result<http::Response>>(
        pool, [&fn, &ctx, &caller]() -> Result<http::Response> { return fn(ctx, caller); });
    if (!response.ok()) co_return http::FieldErrorResponse(response.status());
    co_return std::move(*response);
  };
}

Status CheckSameOrigin(const http::Request& request) {
  std::string_view origin = request[beast_http::field::origin];
  if (origin.empty()) return Status::Ok();  // not a browser's cross-site request
  size_t scheme_end = origin.find("://");
  std::string_view origin_host = scheme_end == std::string_view::npos ? origin : origin.substr(scheme_end + 3);
  if (origin_host != request[beast_http::field::host]) {
    return Status::PermissionDenied("this request must come from this DataFast's own pages");
  }
  return Status::Ok();
}

void SetSessionCookie(http::Response& response, std::string_view value, bool secure) {
  response.insert(beast_http::field::set_cookie,
                  std::string(kSessionCookie) + "=" + std::string(value) +
                      "; Path=/; Max-Age=" + std::to_string(kSessionLifetimeMicros / 1'000'000) +
                      "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
}

void ClearSessionCookie(http::Response& response, bool secure) {
  response.insert(beast_http::field::set_cookie, std::string(kSessionCookie) +
                                                     "=; Path=/; Max-Age=0; HttpOnly; "
                                                     "SameSite=Lax" +
                                                     std::string(secure ? "; Secure" : ""));
}

}  // namespace datafast::auth
