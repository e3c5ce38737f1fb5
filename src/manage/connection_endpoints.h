// The app API's payment provider connections (docs/app-api.md, "Payment
// provider connections"): each provider's state for a site, connecting with
// a checked API key, importing past payments, disconnecting. Reading needs any role in the site's
// account; changing needs owner or admin.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include "auth/accounts.h"
#include "http/router.h"
#include "revenue/backfill.h"
#include "revenue/connections.h"
#include "store/meta_store.h"

namespace datafast::manage {

struct ConnectionEndpointDeps {
  auth::Accounts* accounts;
  store::MetaStore* meta;
  revenue::Connections* connections;
  revenue::Backfills* backfills;
  boost::asio::thread_pool* pool;  // connecting and importing call the provider
};

void AddConnectionEndpoints(http::Router& router, ConnectionEndpointDeps deps);

}  // namespace datafast::manage
