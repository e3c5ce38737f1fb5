// The app API's team endpoints (docs/app-api.md, "Team"): members and their
// roles, invitations, accepting one, and the account's own settings.
#pragma once

#include "auth/accounts.h"
#include "auth/team.h"
#include "http/router.h"
#include "store/meta_store.h"

namespace datafast::manage {

void AddTeamEndpoints(http::Router& router, auth::Accounts& accounts, auth::Team& team, store::MetaStore& meta);

}  // namespace datafast::manage
