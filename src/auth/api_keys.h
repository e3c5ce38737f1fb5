// API keys: per-site keys (df_…) and per-account tokens (dft_…) with scopes.
// The secret is shown once, at creation; stores keep its SHA-256 and a short
// prefix for display. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

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

// A key for the site `site_id` (all of its data) or, with `account_id`
// instead, a token for the account with `scopes`. Exactly one of the two
// ids is set. The name is 1 to 100 characters ("name: …" otherwise).
Result<NewApiKey> CreateApiKey(store::MetaStore& meta, const core::Clock& clock, std::string site_id,
                               std::string account_id, std::string_view name, std::vector<std::string> scopes);

}  // namespace datafast::auth
