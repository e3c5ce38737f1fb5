// Accounts: sign-up, login and sessions, password changes and resets, email
// verification. The HTTP layer (auth/app_endpoints) and the command line
// (datafast user …) both go through it, so the rules live in one place.
//
// Sessions are server-side rows keyed by the SHA-256 of a 256-bit random
// cookie value, with their own CSRF token; they last 30 days and are revoked
// on logout, password change and reset. The first user of an install becomes
// the owner of a new account, which adopts sites made on the command line
// before. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/login_limiter.h"
#include "auth/mailer.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/meta_store.h"

namespace datafast::auth {

inline constexpr std::string_view kSessionCookie = "df_session";
inline constexpr int64_t kSessionLifetimeMicros = 30LL * 24 * 3600 * 1'000'000;

struct AccountOptions {
  bool open_signup = false;  // after the owner, anyone may sign up (a hosted operator's choice)
  std::string default_plan = "self-hosted";
  std::string public_url{};  // base of links in mails, e.g. https://analytics.example.com
};

// A logged-in user, as a request sees it.
struct SignedIn {
  store::User user;
  store::Session session;
};

// What a successful sign-up or login hands back: the cookie value to set
// (shown nowhere else) and the session's CSRF token.
struct NewSession {
  store::User user;
  std::string cookie_value;
  std::string csrf_token;
};

class Accounts {
 public:
  Accounts(store::MetaStore& meta, const core::Clock& clock, Mailer& mailer, AccountOptions options);

  // True while no user exists: the next sign-up becomes the owner.
  Result<bool> NeedsOwner();
  bool open_signup() const { return options_.open_signup; }
  std::string_view email_delivery() const { return mailer_.delivery(); }

  // Creates a user (and, for an owner or an open sign-up, their account) and
  // a session. kInvalidArgument names the field ("email: …", "password: …");
  // kPermissionDenied when sign-up is by invitation only. With a valid
  // invitation token for this email, the user joins the inviting account
  // instead (and their email counts as verified: the link reached it).
  Result<NewSession> SignUp(std::string_view email, std::string_view password, std::string_view invite_token = {});

  // kUnauthenticated for a wrong email or password (the same message for
  // both); kRateLimited, with the seconds to wait in the message's
  // Retry-After, after too many failures for the email or the client.
  Result<NewSession> LogIn(std::string_view email, std::string_view password, std::string_view client_key);

  // The session behind a cookie value, if it is valid and not expired.
  Result<std::optional<SignedIn>> Authenticate(std::string_view cookie_value);
  Status LogOut(std::string_view cookie_value);

  // Checks the current password, sets the new one, revokes the user's other
  // sessions.
  Status ChangePassword(const SignedIn& who, std::string_view current_password, std::string_view new_password);

  // Mails a one-time reset link (valid one hour) if the email has a user;
  // says nothing either way.
  Status RequestPasswordReset(std::string_view email);
  // Sets the password and revokes every session of the user.
  Status ResetPassword(std::string_view token, std::string_view new_password);

  // Mails a verification link (valid a week).
  Status SendEmailVerification(const store::User& user);
  Status VerifyEmail(std::string_view token);

  // Deletes the user after checking the password; accounts they alone own
  // are deleted with them (their sites' ids are returned so the caller can
  // delete their events).
  Result<std::vector<std::string>> DeleteUser(const SignedIn& who, std::string_view password);

  // For the command line: a user without a session (the first is the owner).
  Result<store::User> CreateUser(std::string_view email, std::string_view password);
  Status SetPassword(std::string_view email, std::string_view new_password);

  // Seconds before `email` from `client_key` may try to log in again; 0 if
  // it may now.
  int64_t LoginRetryAfter(std::string_view email, std::string_view client_key);

 private:
  Result<store::User> CreateUserLocked(std::string_view email, std::string_view password, bool own_account);
  Result<NewSession> StartSession(const store::User& user);
  // REQUIRES: signup_mu_ held.
  Result<NewSession> SignUpInvited(std::string_view email, std::string_view password, std::string_view invite_token);
  Status MailToken(const store::User& user, store::TokenPurpose purpose, int64_t lifetime_micros,
                   std::string_view subject, std::string_view path, std::string_view intro);

  store::MetaStore& meta_;
  const core::Clock& clock_;
  Mailer& mailer_;
  const AccountOptions options_;
  LoginLimiter limiter_;
  std::mutex signup_mu_;  // the first-user check and its account creation are one step
};

// Lowercases and trims an email address; kInvalidArgument unless it looks
// like one (something@domain.tld, at most 254 characters).
Result<std::string> NormalizeEmail(std::string_view email);

}  // namespace datafast::auth
