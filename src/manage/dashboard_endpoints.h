// What the dashboard adds around the reports (docs/app-api.md): notes pinned
// to dates, and public read-only share links with an optional password. The
// notes are read through the v1 API (api/analytics_endpoints), like every
// report; this module writes them.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "auth/accounts.h"
#include "auth/login_limiter.h"
#include "core/clock.h"
#include "http/router.h"
#include "store/meta_store.h"

namespace datafast::manage {

struct DashboardEndpointDeps {
  auth::Accounts* accounts;
  store::MetaStore* meta;
  const core::Clock* clock;
  auth::LoginLimiter* unlock_limiter;  // wrong share passwords, per link
  std::string public_url;              // share links are built on it
};

void AddDashboardEndpoints(http::Router& router, DashboardEndpointDeps deps);

// A note as the API shows it, with its author's email.
boost::json::object NoteJson(store::MetaStore& meta, const store::Note& note);

// The site a share link opens, when `proof` is what unlocking its password
// gave (any proof for a link without one): kNotFound for an unknown or
// revoked link, kUnauthenticated for a missing or wrong proof.
Result<store::Site> SiteOfShare(store::MetaStore& meta, std::string_view token, std::string_view proof);

}  // namespace datafast::manage
