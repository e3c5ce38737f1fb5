// The app API's site endpoints (docs/app-api.md, "Sites" and "Keys"): list,
// add, change and delete websites; the setup screen's install status; CSV
// export and erasing one visitor; site keys (df_…) and account tokens
// (dft_…). Every endpoint answers 404 for a site or account the caller is not
// a member of (never revealing that it exists) and 403 when a viewer tries to
// change something.
#pragma once

#include "auth/accounts.h"
#include "http/router.h"
#include "ingest/event_writer.h"
#include "ingest/site_directory.h"
#include "manage/plans.h"
#include "store/event_store.h"
#include "store/meta_store.h"

namespace datafast::manage {

// The pathname of the setup screen's "send a test visit" pageviews.
inline constexpr std::string_view kTestVisitPath = "/__datafast/test-visit";

struct SiteEndpointDeps {
  auth::Accounts* accounts;
  store::MetaStore* meta;
  store::EventStore* events;
  ingest::EventWriter* writer;  // flushed before deletions and exports
  ingest::SiteDirectory* sites;
  const core::Clock* clock;
  const Plans* plans;  // site limits
};

void AddSiteEndpoints(http::Router& router, SiteEndpointDeps deps);

struct SiteAccess {
  store::Site site;
  store::Role role;
};

// The site and the caller's role in its account; kNotFound for a site that
// does not exist or belongs to an account the caller is not in (the two are
// not told apart).
Result<SiteAccess> AccessSite(store::MetaStore& meta, const auth::SignedIn& who, std::string_view site_id);

// Deletes the events of `site_ids` (after flushing what is being written).
Status DeleteSitesEvents(const SiteEndpointDeps& deps, const std::vector<std::string>& site_ids);

// Deletes every event of one visitor of a site, including those acknowledged
// a moment ago and still on their way into the store; returns how many.
Result<uint64_t> EraseVisitor(ingest::EventWriter& writer, store::EventStore& events, std::string_view site_id,
                              std::string_view visitor_id);

}  // namespace datafast::manage
