#include "ingest/site_directory.h"

namespace datafast::ingest {
namespace {

bool IsSameOrSubdomain(std::string_view host, std::string_view domain) {
  if (domain.empty()) return false;
  if (host == domain) return true;
  return host.size() > domain.size() && host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.';
}

}  // namespace

bool SiteDirectory::HostBelongsTo(const store::Site& site, std::string_view host) {
  if (IsSameOrSubdomain(host, site.domain)) return true;
  for (const std::string& allowed : site.allowed_hostnames) {
    if (IsSameOrSubdomain(host, allowed)) return true;
  }
  return false;
}

Result<std::shared_ptr<const store::Site>> SiteDirectory::Find(std::string_view site_id) {
  int64_t now = clock_.NowMicros();
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(std::string(site_id));
    if (it != entries_.end() && it->second.expires_micros > now) return it->second.site;
  }
  auto found = meta_.FindSite(site_id);
  if (!found.ok()) return found.status();
  std::shared_ptr<const store::Site> site;
  if (found->has_value()) site = std::make_shared<const store::Site>(std::move(**found));
  std::lock_guard lock(mu_);
  // Bounded: when full, start over rather than grow; the database answers
  // the misses.
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[std::string(site_id)] = Entry{site, now + (site ? kFoundTtlMicros : kMissingTtlMicros)};
  return site;
}

void SiteDirectory::Forget(std::string_view site_id) {
  std::lock_guard lock(mu_);
  entries_.erase(std::string(site_id));
}

}  // namespace datafast::ingest
