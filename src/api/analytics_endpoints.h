// GET /api/v1/analytics/*: the reports of api/analytics and the notes, for
// three kinds of reader, each limited to the sites it may see:
// - an API key (Authorization: Bearer df_…/dft_… with analytics:read);
// - the dashboard: the session cookie and ?websiteId= of a site in one of
//   the user's accounts;
// - a public share link: X-Share-Token (and X-Share-Proof for a link with a
//   password), which reads its own site only.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include "auth/accounts.h"
#include "auth/api_keys.h"
#include "auth/rate_limiter.h"
#include "core/clock.h"
#include "http/router.h"
#include "store/event_store.h"
#include "store/meta_store.h"

namespace datafast::api {

struct AnalyticsDeps {
  store::MetaStore* meta;
  store::EventStore* events;
  auth::ApiAuthenticator* authenticator;
  auth::Accounts* accounts;
  auth::RateLimiter* reader_limiter;  // per signed-in user and per share link
  const core::Clock* clock;
  boost::asio::thread_pool* report_pool;  // reports run here, off the IO threads
};

void AddAnalyticsEndpoints(http::Router& router, const AnalyticsDeps& deps);

}  // namespace datafast::api
