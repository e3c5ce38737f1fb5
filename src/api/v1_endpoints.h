// The public REST API, /api/v1 (../shared/API-COMPAT.md, docs/api.md): Bearer
// keys, a rate limit per key, and the {"status":"success","data":…}
// envelope. Endpoints of this module: the website a key serves, and erasing
// one visitor's data. (The analytics and payments endpoints join it in their
// own modules, through AddV1Route.)
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <string_view>

#include "auth/api_keys.h"
#include "core/clock.h"
#include "http/router.h"
#include "ingest/event_writer.h"
#include "store/event_store.h"
#include "store/meta_store.h"

namespace datafast::api {

struct V1Deps {
  store::MetaStore* meta;
  store::EventStore* events;
  ingest::EventWriter* writer;
  auth::ApiAuthenticator* authenticator;
  const core::Clock* clock;
  // Where handlers run: they wait on the stores, which the IO threads must
  // not.
  boost::asio::thread_pool* pool;
};

// How a v1 route answers: in the {"status":"success","data":…} envelope, or
// with its object bare (the payments API, as API-COMPAT.md has it).
enum class V1Body { kEnveloped, kPlain };

// A v1 route: authenticates the key for the request's website (websiteId
// query parameter) and `scope`, rate-limits it, runs `fn` on the pool, and
// answers its value as `body` says.
using V1Fn = std::function<Result<boost::json::value>(http::RequestContext&, const auth::ApiCaller&)>;
void AddV1Route(http::Router& router, const V1Deps& deps, http::beast_http::verb method, std::string path,
                std::string_view scope, V1Fn fn, V1Body body = V1Body::kEnveloped);

void AddV1Endpoints(http::Router& router, const V1Deps& deps);

}  // namespace datafast::api
