// The public REST API, /api/v1 (../shared/API-COMPAT.md, docs/api.md): Bearer
// keys, a rate limit per key, and the {"status":"success","data":…}
// envelope. Endpoints of this module: the website a key serves, and erasing
// one visitor's data. (The analytics and payments endpoints join it in their
// own modules, through AddV1Route.)
#pragma once

#include <functional>
#include <string_view>

#include "auth/api_keys.h"
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
};

// A v1 route: authenticates the key for the request's website (websiteId
// query parameter) and `scope`, rate-limits it, runs `fn`, and wraps its
// value in the success envelope.
using V1Fn = std::function<Result<boost::json::value>(http::RequestContext&, const auth::ApiCaller&)>;
void AddV1Route(http::Router& router, const V1Deps& deps, http::beast_http::verb method, std::string path,
                std::string_view scope, V1Fn fn);

void AddV1Endpoints(http::Router& router, const V1Deps& deps);

}  // namespace datafast::api
