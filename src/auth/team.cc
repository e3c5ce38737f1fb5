#include "auth/team.h"

#include <algorithm>

#include "auth/secrets.h"
#include "core/ids.h"

namespace datafast::auth {
namespace {

Result<store::Role> ParseRoleField(std::string_view role) {
  auto parsed = store::ParseRole(role);
  if (!parsed) return Status::InvalidArgument("role: must be owner, admin or viewer");
  return *parsed;
}

}  // namespace

Team::Team(store::MetaStore& meta, const core::Clock& clock, Mailer& mailer, std::string public_url)
    : meta_(meta), clock_(clock), mailer_(mailer), public_url_(std::move(public_url)) {}

Result<store::Membership> FindMembership(store::MetaStore& meta, std::string_view user_id,
                                         std::string_view account_id) {
  auto memberships = meta.ListMembershipsOfUser(user_id);
  if (!memberships.ok()) return memberships.status();
  for (store::Membership& m : *memberships) {
    if (m.account.id == account_id) return std::move(m);
  }
  return Status::NotFound("no account " + std::string(account_id));
}

Status RequireCanChange(store::Role role) {
  if (role == store::Role::kViewer) return Status::PermissionDenied("viewers cannot change anything");
  return Status::Ok();
}

Result<store::Membership> Team::MembershipOf(const SignedIn& who, std::string_view account_id) {
  return FindMembership(meta_, who.user.id, account_id);
}

Result<store::Membership> Team::RequireManager(const SignedIn& by, std::string_view account_id) {
  auto membership = MembershipOf(by, account_id);
  if (!membership.ok()) return membership.status();
  DF_RETURN_IF_ERROR(RequireCanChange(membership->role));
  return membership;
}

Status Team::KeepAnOwner(std::string_view account_id, std::string_view user_id) {
  auto members = meta_.ListMembersOfAccount(account_id);
  if (!members.ok()) return members.status();
  bool other_owner = std::any_of(members->begin(), members->end(), [&](const store::Membership& m) {
    return m.role == store::Role::kOwner && m.user_id != user_id;
  });
  if (!other_owner) return Status::Conflict("an account needs an owner: make someone else owner first");
  return Status::Ok();
}

Result<store::Invite> Team::Invite(const SignedIn& by, std::string_view account_id, std::string_view email,
                                   std::string_view role) {
  auto manager = RequireManager(by, account_id);
  if (!manager.ok()) return manager.status();
  auto normalized = NormalizeEmail(email);
  if (!normalized.ok()) return Status(normalized.status().code(), "email: " + normalized.status().message());
  auto parsed = ParseRoleField(role);
  if (!parsed.ok()) return parsed.status();
  if (*parsed == store::Role::kOwner && manager->role != store::Role::kOwner) {
    return Status::PermissionDenied("only an owner can invite an owner");
  }
  auto members = meta_.ListMembersOfAccount(account_id);
  if (!members.ok()) return members.status();
  if (std::any_of(members->begin(), members->end(), [&](const auto& m) { return m.email == *normalized; })) {
    return Status::Conflict("email: " + *normalized + " is already a member");
  }
  std::string token = NewSecret("");
  int64_t now = clock_.NowMicros();
  store::Invite invite{
      "inv_" + core::RandomHex(8), std::string(account_id), *normalized, *parsed, HashSecret(token), now,
      now + kInviteLifetimeMicros};
  DF_RETURN_IF_ERROR(meta_.CreateInvite(invite));
  DF_RETURN_IF_ERROR(
      mailer_.Send({invite.email, "You are invited to " + manager->account.name + " on DataFast",
                    by.user.email + " invites you to see the analytics of " + manager->account.name +
                        " on DataFast, as " + std::string(store::ToString(*parsed)) +
                        ". The link works for seven days:\n\n" + public_url_ + "/invite/" + token + "\n"}));
  return invite;
}

Status Team::RevokeInvite(const SignedIn& by, std::string_view account_id, std::string_view invite_id) {
  auto manager = RequireManager(by, account_id);
  if (!manager.ok()) return manager.status();
  return meta_.DeleteInvite(account_id, invite_id);
}

Status Team::SetRole(const SignedIn& by, std::string_view account_id, std::string_view user_id, std::string_view role) {
  auto manager = RequireManager(by, account_id);
  if (!manager.ok()) return manager.status();
  auto parsed = ParseRoleField(role);
  if (!parsed.ok()) return parsed.status();
  auto members = meta_.ListMembersOfAccount(account_id);
  if (!members.ok()) return members.status();
  auto target = std::find_if(members->begin(), members->end(), [&](const auto& m) { return m.user_id == user_id; });
  if (target == members->end()) return Status::NotFound("no member " + std::string(user_id));
  if (manager->role != store::Role::kOwner && (*parsed == store::Role::kOwner || target->role == store::Role::kOwner)) {
    return Status::PermissionDenied("only an owner can make or change an owner");
  }
  if (target->role == store::Role::kOwner && *parsed != store::Role::kOwner) {
    DF_RETURN_IF_ERROR(KeepAnOwner(account_id, user_id));
  }
  return meta_.AddMember(account_id, user_id, *parsed, target->joined_at_micros);
}

Status Team::RemoveMember(const SignedIn& by, std::string_view account_id, std::string_view user_id) {
  // Anyone may leave; removing others takes a manager.
  auto self = MembershipOf(by, account_id);
  if (!self.ok()) return self.status();
  bool leaving = by.user.id == user_id;
  if (!leaving) {
    auto manager = RequireManager(by, account_id);
    if (!manager.ok()) return manager.status();
  }
  auto members = meta_.ListMembersOfAccount(account_id);
  if (!members.ok()) return members.status();
  auto target = std::find_if(members->begin(), members->end(), [&](const auto& m) { return m.user_id == user_id; });
  if (target == members->end()) return Status::NotFound("no member " + std::string(user_id));
  if (target->role == store::Role::kOwner) {
    if (!leaving && self->role != store::Role::kOwner) {
      return Status::PermissionDenied("only an owner can remove an owner");
    }
    DF_RETURN_IF_ERROR(KeepAnOwner(account_id, user_id));
  }
  return meta_.RemoveMember(account_id, user_id);
}

Result<InviteDetails> Team::Describe(std::string_view token) {
  auto invite = meta_.FindInvite(HashSecret(token));
  if (!invite.ok()) return invite.status();
  if (!*invite || (*invite)->expires_at_micros <= clock_.NowMicros()) {
    return Status::NotFound("this invitation has expired or was already used");
  }
  auto account = meta_.FindAccount((*invite)->account_id);
  if (!account.ok()) return account.status();
  if (!*account) return Status::NotFound("this invitation has expired or was already used");
  return InviteDetails{std::move(**invite), (*account)->name};
}

Status Team::Accept(const SignedIn& who, std::string_view token) {
  auto details = Describe(token);
  if (!details.ok()) return details.status();
  if (details->invite.email != who.user.email) {
    return Status::PermissionDenied("this invitation is for " + details->invite.email + "; sign in with that email");
  }
  return meta_.AcceptInvite(details->invite.id, who.user.id, clock_.NowMicros());
}

}  // namespace datafast::auth
