// The app API's account endpoints (docs/app-api.md, "Team, usage, billing"):
// members and their roles, invitations, accepting one, the account's own
// settings and its usage.
#pragma once

#include "auth/accounts.h"
#include "auth/team.h"
#include "http/router.h"
#include "manage/billing.h"
#include "manage/usage.h"
#include "store/meta_store.h"

namespace datafast::manage {

// Also GET /api/app/accounts/{id}/usage, from `usage`.
void AddTeamEndpoints(http::Router& router, auth::Accounts& accounts, auth::Team& team, store::MetaStore& meta,
                      UsageMonitor& usage);

// Checkout and the Customer Portal for owners (only when billing is on), and
// Stripe's webhook at POST /api/billing/stripe/webhook.
void AddBillingEndpoints(http::Router& router, auth::Accounts& accounts, auth::Team& team, Billing& billing);

}  // namespace datafast::manage
