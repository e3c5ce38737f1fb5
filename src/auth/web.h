// How the app's HTTP endpoints learn who is asking: the session cookie, the
// CSRF token that every state-changing request with that cookie must carry
// (X-CSRF-Token), and the Origin check for the requests made before there is
// a session (sign-up, login, password reset).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "auth/accounts.h"
#include "http/types.h"

namespace datafast::auth {

// The df_session cookie's value, or "".
std::string_view SessionCookieValue(const http::Request& request);

// The signed-in user: kUnauthenticated without a valid session; for POST,
// PUT, PATCH and DELETE also kPermissionDenied unless X-CSRF-Token equals the
// session's token (compared in constant time).
Result<SignedIn> RequireSignedIn(Accounts& accounts, const http::Request& request);

// A handler for the signed-in caller: RequireSignedIn first (so CSRF is
// checked on every change), then `fn`; errors become the error envelope.
using SignedInFn = std::function<Result<http::Response>(http::RequestContext&, const SignedIn&)>;
http::Handler SignedInHandler(Accounts& accounts, SignedInFn fn);
// The same, running `fn` on `pool`: for handlers that wait on something slow
// (a call to another service), which the IO threads must not.
http::Handler SignedInHandler(Accounts& accounts, boost::asio::thread_pool& pool, SignedInFn fn);

// kPermissionDenied when the request carries an Origin that is not this
// server (its Host). Browsers send Origin on every cross-site POST.
Status CheckSameOrigin(const http::Request& request);

// Set-Cookie for a new session (HttpOnly, SameSite=Lax, Path=/, 30 days;
// Secure when `secure`), or one that clears it.
void SetSessionCookie(http::Response& response, std::string_view value, bool secure);
void ClearSessionCookie(http::Response& response, bool secure);

}  // namespace datafast::auth
