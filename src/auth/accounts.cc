#include "auth/accounts.h"

#include <algorithm>
#include <cctype>

#include "auth/password.h"
#include "auth/secrets.h"
#include "core/ids.h"
#include "core/log.h"

namespace datafast::auth {
namespace {

constexpr int64_t kHourMicros = 3600LL * 1'000'000;
constexpr std::string_view kWrongCredentials = "wrong email or password";

Status FieldError(std::string_view field, const Status& status) {
  return Status(status.code(), std::string(field) + ": " + status.message());
}

}  // namespace

Result<std::string> NormalizeEmail(std::string_view email) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) email.remove_prefix(1);
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) email.remove_suffix(1);
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  size_t at = out.find('@');
  bool ok = out.size() <= 254 && at != std::string::npos && at > 0 && out.find('@', at + 1) == std::string::npos &&
            out.find('.', at) != std::string::npos && out.back() != '.' && out[at + 1] != '.' &&
            std::none_of(out.begin(), out.end(), [](unsigned char c) { return std::isspace(c) || c < 0x20; });
  if (!ok) return Status::InvalidArgument("\"" + std::string(email) + "\" is not an email address");
  return out;
}

Accounts::Accounts(store::MetaStore& meta, const core::Clock& clock, Mailer& mailer, AccountOptions options)
    : meta_(meta), clock_(clock), mailer_(mailer), options_(std::move(options)), limiter_(clock, {}, &meta) {}

Result<bool> Accounts::NeedsOwner() {
  auto users = meta_.CountUsers();
  if (!users.ok()) return users.status();
  return *users == 0;
}

Result<store::User> Accounts::CreateUserLocked(std::string_view email, std::string_view password, bool own_account) {
  auto normalized = NormalizeEmail(email);
  if (!normalized.ok()) return FieldError("email", normalized.status());
  if (Status s = CheckPasswordRules(password); !s.ok()) return FieldError("password", s);
  auto existing = meta_.FindUserByEmail(*normalized);
  if (!existing.ok()) return existing.status();
  if (*existing) return Status::Conflict("email: an account with this email already exists");
  auto owner = NeedsOwner();
  if (!owner.ok()) return owner.status();
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  store::User user{"usr_" + core::RandomHex(12), *normalized, *hash, false, clock_.NowMicros()};
  DF_RETURN_IF_ERROR(meta_.CreateUser(user));
  if (!own_account) return user;
  // A user starts with an account of their own; the owner's also takes
  // the sites made on the command line before anyone signed up.
  store::Account account{"acc_" + core::RandomHex(12), user.email, options_.default_plan, "keep",
                         user.created_at_micros,       ""};
  DF_RETURN_IF_ERROR(meta_.CreateAccount(account, user.id));
  if (*owner) {
    auto adopted = meta_.AdoptUnownedSites(account.id);
    if (!adopted.ok()) return adopted.status();
    core::LogInfo("owner account created", {{"user", user.id}, {"account", account.id}, {"sites", int64_t(*adopted)}});
  }
  return user;
}

Result<NewSession> Accounts::SignUp(std::string_view email, std::string_view password, std::string_view invite_token) {
  std::lock_guard lock(signup_mu_);
  if (!invite_token.empty()) return SignUpInvited(email, password, invite_token);
  auto owner = NeedsOwner();
  if (!owner.ok()) return owner.status();
  if (!*owner && !options_.open_signup) {
    return Status::PermissionDenied("sign-up is by invitation: ask an admin of this DataFast for an invite");
  }
  auto user = CreateUserLocked(email, password, /*own_account=*/true);
  if (!user.ok()) return user.status();
  if (Status s = SendEmailVerification(*user); !s.ok()) {
    core::LogWarn("cannot send the verification mail", {{"error", s.message()}});
  }
  return StartSession(*user);
}

Result<NewSession> Accounts::SignUpInvited(std::string_view email, std::string_view password,
                                           std::string_view invite_token) {
  auto invite = meta_.FindInvite(HashSecret(invite_token));
  if (!invite.ok()) return invite.status();
  if (!*invite || (*invite)->expires_at_micros <= clock_.NowMicros()) {
    return Status::InvalidArgument("this invitation has expired or was already used");
  }
  auto normalized = NormalizeEmail(email);
  if (!normalized.ok()) return FieldError("email", normalized.status());
  if (*normalized != (*invite)->email) {
    return FieldError("email", Status::InvalidArgument("this invitation is for " + (*invite)->email));
  }
  auto user = CreateUserLocked(*normalized, password, /*own_account=*/false);
  if (!user.ok()) return user.status();
  DF_RETURN_IF_ERROR(meta_.SetEmailVerified(user->id));
  user->email_verified = true;
  DF_RETURN_IF_ERROR(meta_.AcceptInvite((*invite)->id, user->id, clock_.NowMicros()));
  return StartSession(*user);
}

Result<store::User> Accounts::CreateUser(std::string_view email, std::string_view password) {
  std::lock_guard lock(signup_mu_);
  return CreateUserLocked(email, password, /*own_account=*/true);
}

Status Accounts::SetPassword(std::string_view email, std::string_view new_password) {
  auto normalized = NormalizeEmail(email);
  if (!normalized.ok()) return normalized.status();
  DF_RETURN_IF_ERROR(CheckPasswordRules(new_password));
  auto user = meta_.FindUserByEmail(*normalized);
  if (!user.ok()) return user.status();
  if (!*user) return Status::NotFound("no user with the email " + *normalized);
  auto hash = HashPassword(new_password);
  if (!hash.ok()) return hash.status();
  DF_RETURN_IF_ERROR(meta_.SetPasswordHash((*user)->id, *hash));
  return meta_.DeleteSessionsOfUser((*user)->id, "");
}

namespace {

// The limiter counts failures per email and, separately, per client.
std::string EmailKey(std::string_view email) {
  auto normalized = NormalizeEmail(email);
  return "email:" + (normalized.ok() ? *normalized : std::string(email));
}
std::string ClientKey(std::string_view client_key) { return "client:" + std::string(client_key); }

}  // namespace

int64_t Accounts::LoginRetryAfter(std::string_view email, std::string_view client_key) {
  return std::max(limiter_.RetryAfterSeconds(EmailKey(email)), limiter_.RetryAfterSeconds(ClientKey(client_key)));
}

Result<NewSession> Accounts::LogIn(std::string_view email, std::string_view password, std::string_view client_key) {
  auto normalized = NormalizeEmail(email);
  std::string email_key = EmailKey(email);
  std::string client = ClientKey(client_key);
  int64_t wait = LoginRetryAfter(email, client_key);
  if (wait > 0) {
    return Status::RateLimited("too many failed logins; try again in " + std::to_string(wait) + " seconds");
  }
  std::optional<store::User> user;
  if (normalized.ok()) {
    auto found = meta_.FindUserByEmail(*normalized);
    if (!found.ok()) return found.status();
    user = std::move(*found);
  }
  // Verify even without a user, against a dummy hash, so the answer takes as
  // long whether or not the email exists.
  static const std::string kDummy = *HashPassword("not a real password, only for timing");
  bool ok = VerifyPassword(user ? user->password_hash : kDummy, password) && user;
  if (!ok) {
    limiter_.RecordFailure(email_key);
    limiter_.RecordFailure(client);
    return Status::Unauthenticated(std::string(kWrongCredentials));
  }
  limiter_.Clear(email_key);
  return StartSession(*user);
}

Result<NewSession> Accounts::StartSession(const store::User& user) {
  NewSession out{user, NewSecret(""), NewSecret("")};
  int64_t now = clock_.NowMicros();
  DF_RETURN_IF_ERROR(
      meta_.CreateSession({HashSecret(out.cookie_value), user.id, out.csrf_token, now, now + kSessionLifetimeMicros}));
  return out;
}

Result<std::optional<SignedIn>> Accounts::Authenticate(std::string_view cookie_value) {
  if (cookie_value.empty()) return std::optional<SignedIn>();
  auto session = meta_.FindSession(HashSecret(cookie_value));
  if (!session.ok()) return session.status();
  if (!*session || (*session)->expires_at_micros <= clock_.NowMicros()) return std::optional<SignedIn>();
  auto user = meta_.FindUser((*session)->user_id);
  if (!user.ok()) return user.status();
  if (!*user) return std::optional<SignedIn>();
  return std::optional<SignedIn>(SignedIn{std::move(**user), std::move(**session)});
}

Status Accounts::LogOut(std::string_view cookie_value) { return meta_.DeleteSession(HashSecret(cookie_value)); }

Status Accounts::ChangePassword(const SignedIn& who, std::string_view current_password, std::string_view new_password) {
  if (!VerifyPassword(who.user.password_hash, current_password)) {
    return FieldError("current_password", Status::InvalidArgument("the current password is wrong"));
  }
  if (Status s = CheckPasswordRules(new_password); !s.ok()) return FieldError("new_password", s);
  auto hash = HashPassword(new_password);
  if (!hash.ok()) return hash.status();
  DF_RETURN_IF_ERROR(meta_.SetPasswordHash(who.user.id, *hash));
  return meta_.DeleteSessionsOfUser(who.user.id, who.session.id_hash);
}

Status Accounts::MailToken(const store::User& user, store::TokenPurpose purpose, int64_t lifetime_micros,
                           std::string_view subject, std::string_view path, std::string_view intro) {
  std::string token = NewSecret("");
  DF_RETURN_IF_ERROR(meta_.CreateAuthToken(HashSecret(token), user.id, purpose, clock_.NowMicros() + lifetime_micros));
  std::string link = options_.public_url + std::string(path) + "?token=" + token;
  return mailer_.Send({user.email, std::string(subject), std::string(intro) + "\n\n" + link + "\n"});
}

Status Accounts::RequestPasswordReset(std::string_view email) {
  auto normalized = NormalizeEmail(email);
  if (!normalized.ok()) return Status::Ok();  // says nothing about which emails exist
  auto user = meta_.FindUserByEmail(*normalized);
  if (!user.ok()) return user.status();
  if (!*user) return Status::Ok();
  return MailToken(**user, store::TokenPurpose::kPasswordReset, kHourMicros, "Reset your DataFast password", "/reset",
                   "Someone asked to reset the password of your DataFast account. The link works once, "
                   "for one hour. If it was not you, ignore this mail.");
}

Status Accounts::ResetPassword(std::string_view token, std::string_view new_password) {
  if (Status s = CheckPasswordRules(new_password); !s.ok()) return FieldError("password", s);
  auto user_id = meta_.ConsumeAuthToken(HashSecret(token), store::TokenPurpose::kPasswordReset, clock_.NowMicros());
  if (!user_id.ok()) return user_id.status();
  if (!*user_id) return Status::InvalidArgument("this link has expired or was already used");
  auto hash = HashPassword(new_password);
  if (!hash.ok()) return hash.status();
  DF_RETURN_IF_ERROR(meta_.SetPasswordHash(**user_id, *hash));
  // Whoever knew the old password is out.
  return meta_.DeleteSessionsOfUser(**user_id, "");
}

Status Accounts::SendEmailVerification(const store::User& user) {
  return MailToken(user, store::TokenPurpose::kEmailVerification, 7 * 24 * kHourMicros, "Confirm your email", "/verify",
                   "Welcome to DataFast. Confirm your email address with this link:");
}

Status Accounts::VerifyEmail(std::string_view token) {
  auto user_id = meta_.ConsumeAuthToken(HashSecret(token), store::TokenPurpose::kEmailVerification, clock_.NowMicros());
  if (!user_id.ok()) return user_id.status();
  if (!*user_id) return Status::InvalidArgument("this link has expired or was already used");
  return meta_.SetEmailVerified(**user_id);
}

Result<std::vector<std::string>> Accounts::DeleteUser(const SignedIn& who, std::string_view password) {
  if (!VerifyPassword(who.user.password_hash, password)) {
    return FieldError("password", Status::InvalidArgument("the password is wrong"));
  }
  auto memberships = meta_.ListMembershipsOfUser(who.user.id);
  if (!memberships.ok()) return memberships.status();
  std::vector<std::string> deleted_sites;
  for (const store::Membership& m : *memberships) {
    if (m.role != store::Role::kOwner) continue;
    auto members = meta_.ListMembersOfAccount(m.account.id);
    if (!members.ok()) return members.status();
    bool other_owner = std::any_of(members->begin(), members->end(), [&](const store::Membership& other) {
      return other.user_id != who.user.id && other.role == store::Role::kOwner;
    });
    if (other_owner) continue;
    auto sites = meta_.ListSitesOfAccount(m.account.id);
    if (!sites.ok()) return sites.status();
    for (const store::Site& site : *sites) deleted_sites.push_back(site.id);
    DF_RETURN_IF_ERROR(meta_.DeleteAccount(m.account.id));
  }
  DF_RETURN_IF_ERROR(meta_.DeleteUser(who.user.id));
  return deleted_sites;
}

}  // namespace datafast::auth
