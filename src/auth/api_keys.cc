#include "auth/api_keys.h"

#include "auth/secrets.h"
#include "core/ids.h"

namespace datafast::auth {

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
