#include "auth/api_keys.h"

#include <algorithm>

#include "auth/rate_limiter.h"
#include "auth/secrets.h"
#include "core/ids.h"

namespace datafast::auth {

const std::vector<std::string>& AccountTokenScopes() {
  static const std::vector<std::string> kScopes = {"analytics:read", "identify:write", "payments:read",
                                                   "payments:write", "privacy:write",  "sites:read"};
  return kScopes;
}

ApiAuthenticator::ApiAuthenticator(store::MetaStore& meta, const core::Clock& clock, int per_minute)
    : meta_(meta), clock_(clock), limiter_(clock, per_minute, &meta) {}

Result<ApiCaller> ApiAuthenticator::Authenticate(std::string_view authorization, std::string_view website_id,
                                                 std::string_view scope, int64_t& retry_after_seconds) {
  constexpr std::string_view kBearer = "Bearer ";
  Status unauthenticated = Status::Unauthenticated("missing or invalid API key: send Authorization: Bearer df_…");
  if (!authorization.starts_with(kBearer)) return unauthenticated;
  std::string_view secret = authorization.substr(kBearer.size());
  if (!secret.starts_with(kSiteKeyPrefix) && !secret.starts_with(kAccountTokenPrefix)) return unauthenticated;
  auto key = meta_.FindApiKey(HashSecret(secret));
  if (!key.ok()) return key.status();
  if (!*key) return unauthenticated;
  if ((*key)->revoked_at_micros != 0) return Status::Unauthenticated("this API key was revoked");
  retry_after_seconds = limiter_.Take((*key)->id);
  if (retry_after_seconds > 0) return Status::RateLimited("too many requests for this API key; slow down");

  std::string site_id = (*key)->site_id.empty() ? std::string(website_id) : (*key)->site_id;
  if (!(*key)->site_id.empty() && !website_id.empty() && website_id != (*key)->site_id) {
    return Status::NotFound("no site " + std::string(website_id));
  }
  if ((*key)->site_id.empty()) {
    if (website_id.empty()) return Status::InvalidArgument("websiteId: is required with an account token");
    if (std::find((*key)->scopes.begin(), (*key)->scopes.end(), scope) == (*key)->scopes.end()) {
      return Status::PermissionDenied("this token lacks the scope " + std::string(scope));
    }
  }
  auto site = meta_.FindSite(site_id);
  if (!site.ok()) return site.status();
  if (!*site || ((*key)->site_id.empty() && (*site)->account_id != (*key)->account_id)) {
    return Status::NotFound("no site " + site_id);
  }
  int64_t now = clock_.NowMicros();
  bool touch_due;
  {
    std::lock_guard lock(mu_);
    int64_t& last = touched_[(*key)->id];
    touch_due = now - last >= 60'000'000;
    if (touch_due) last = now;
  }
  if (touch_due) DF_RETURN_IF_ERROR(meta_.TouchApiKey((*key)->id, now));
  return ApiCaller{std::move(**key), std::move(**site)};
}

Result<NewApiKey> CreateApiKey(store::MetaStore& meta, const core::Clock& clock, std::string site_id,
                               std::string account_id, std::string_view name, std::vector<std::string> scopes) {
  if (name.empty() || name.size() > 100) return Status::InvalidArgument("name: must have 1 to 100 characters");
  std::string_view prefix = site_id.empty() ? kAccountTokenPrefix : kSiteKeyPrefix;
  NewApiKey out;
  out.secret = NewSecret(prefix);
  out.key = store::ApiKey{"key_" + core::RandomHex(8),
                          HashSecret(out.secret),
                          out.secret.substr(0, prefix.size() + 6),
                          std::move(site_id),
                          std::move(account_id),
                          std::string(name),
                          std::move(scopes),
                          clock.NowMicros(),
                          0,
                          0};
  DF_RETURN_IF_ERROR(meta.CreateApiKey(out.key));
  return out;
}

}  // namespace datafast::auth
