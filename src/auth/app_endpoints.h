// The app API's account endpoints (docs/app-api.md, "Auth"): state, sign-up,
// login, logout, me, password change and reset, email verification, and
// deleting one's own user.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "auth/accounts.h"
#include "http/router.h"
#include "store/meta_store.h"

namespace datafast::auth {

struct AccountEndpointOptions {
  bool secure_cookies = false;  // behind TLS
  bool billing = false;         // Stripe Billing is configured
  // Deletes the events of sites whose account went away with a user.
  std::function<Status(const std::vector<std::string>& site_ids)> delete_site_events;
};

void AddAccountEndpoints(http::Router& router, Accounts& accounts, store::MetaStore& meta,
                         AccountEndpointOptions options);

// {"id","email","email_verified","created_at"}
boost::json::object UserJson(const store::User& user);

}  // namespace datafast::auth
