// Teams: inviting people into an account with a role, changing roles and
// removing members. Owners and admins manage the team; an admin cannot make
// or touch an owner; no account is ever left without an owner; viewers
// change nothing. Invitations are emailed links valid for seven days, for
// the invited address only. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "auth/accounts.h"
#include "auth/mailer.h"
#include "core/clock.h"
#include "store/meta_store.h"

namespace datafast::auth {

inline constexpr int64_t kInviteLifetimeMicros = 7LL * 24 * 3600 * 1'000'000;

// The membership of `user_id` in `account_id`; kNotFound when there is none
// (never telling whether the account exists).
Result<store::Membership> FindMembership(store::MetaStore& meta, std::string_view user_id, std::string_view account_id);
// kPermissionDenied for a viewer: they see everything and change nothing.
Status RequireCanChange(store::Role role);

struct InviteDetails {
  store::Invite invite;
  std::string account_name;
};

class Team {
 public:
  Team(store::MetaStore& meta, const core::Clock& clock, Mailer& mailer, std::string public_url);

  // The caller's membership of `account_id`; kNotFound when they have none.
  Result<store::Membership> MembershipOf(const SignedIn& who, std::string_view account_id);

  // Mails an invitation; "email: …" and "role: …" name bad input.
  Result<store::Invite> Invite(const SignedIn& by, std::string_view account_id, std::string_view email,
                               std::string_view role);
  Status RevokeInvite(const SignedIn& by, std::string_view account_id, std::string_view invite_id);
  Status SetRole(const SignedIn& by, std::string_view account_id, std::string_view user_id, std::string_view role);
  Status RemoveMember(const SignedIn& by, std::string_view account_id, std::string_view user_id);

  // What an invitation link is for (without signing in); kNotFound when the
  // link is unknown, used or expired.
  Result<InviteDetails> Describe(std::string_view token);
  // Joins the invited account; the signed-in email must be the invited one.
  Status Accept(const SignedIn& who, std::string_view token);

 private:
  // The caller's membership when they may manage the team, else the refusal.
  Result<store::Membership> RequireManager(const SignedIn& by, std::string_view account_id);
  // kFailedPrecondition-like refusal when `user_id` is the last owner.
  Status KeepAnOwner(std::string_view account_id, std::string_view user_id);

  store::MetaStore& meta_;
  const core::Clock& clock_;
  Mailer& mailer_;
  const std::string public_url_;
};

}  // namespace datafast::auth
