// API keys: per-site keys (df_…) and per-account tokens (dft_…) with scopes.
// The secret is shown once, at creation; stores keep its SHA-256 and a short
// prefix for display. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <mutex>
#include <unordered_map>

#include "auth/rate_limiter.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/meta_store.h"

namespace datafast::auth {

inline constexpr std::string_view kSiteKeyPrefix = "df_";
inline constexpr std::string_view kAccountTokenPrefix = "dft_";

struct NewApiKey {
  store::ApiKey key;
  std::string secret;  // the whole key: show it once, never store it
};

// Who an /api/v1 request is: its key, and the website it concerns.
struct ApiCaller {
  store::ApiKey key;
  store::Site site;
};

// Authenticates "Authorization: Bearer KEY" for the website a request
// concerns. A site key (df_) concerns its own site: a `website_id` naming
// another is kNotFound. An account token (dft_) needs `website_id`, a site of
// its account, and `scope`. Refusals: kUnauthenticated (no, unknown or
// revoked key), kPermissionDenied (scope), kNotFound (site), kRateLimited
// (over `per_minute`; the wait goes to `retry_after_seconds`). A key's
// last-used time is written at most once a minute, so reads stay reads.
// Thread-safe.
class ApiAuthenticator {
 public:
  ApiAuthenticator(store::MetaStore& meta, const core::Clock& clock, int per_minute);

  Result<ApiCaller> Authenticate(std::string_view authorization, std::string_view website_id, std::string_view scope,
                                 int64_t& retry_after_seconds);

 private:
  store::MetaStore& meta_;
  const core::Clock& clock_;
  RateLimiter limiter_;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> touched_;  // key id → when last_used_at was last written
};

// The scopes an account token may carry.
const std::vector<std::string>& AccountTokenScopes();

// A key for the site `site_id` (all of its data) or, with `account_id`
// instead, a token for the account with `scopes`. Exactly one of the two
// ids is set. The name is 1 to 100 characters ("name: …" otherwise).
Result<NewApiKey> CreateApiKey(store::MetaStore& meta, const core::Clock& clock, std::string site_id,
                               std::string account_id, std::string_view name, std::vector<std::string> scopes);

}  // namespace datafast::auth
