// The app API's X (Twitter) settings of a site (docs/app-api.md, "X
// accounts and posts"): the accounts it posts from and the posts it
// registered, with what the X API said of each. Reading needs any role in
// the site's account; changing needs owner or admin.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include "auth/accounts.h"
#include "http/router.h"
#include "revenue/x_posts.h"
#include "store/meta_store.h"

namespace datafast::manage {

struct XEndpointDeps {
  auth::Accounts* accounts;
  store::MetaStore* meta;
  revenue::XPosts* x;
  boost::asio::thread_pool* pool;  // registering a post may call the X API
};

void AddXEndpoints(http::Router& router, XEndpointDeps deps);

}  // namespace datafast::manage
