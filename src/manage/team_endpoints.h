// The app API's account endpoints (docs/app-api.md, "Team, usage, billing"):
// members and their roles, invitations, accepting one, the account's own
// settings and its usage.
#pragma once

#include "auth/accounts.h"
#include "auth/team.h"
#include "http/router.h"
#include "manage/usage.h"
#include "store/meta_store.h"

namespace datafast::manage {

// Also GET /api/app/accounts/{id}/usage, from `usage`.
void AddTeamEndpoints(http::Router& router, auth::Accounts& accounts, auth::Team& team, store::MetaStore& meta,
                      UsageMonitor& usage);

}  // namespace datafast::manage
