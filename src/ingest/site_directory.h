// A read-through cache of sites in front of the MetaStore, so the hot path
// does not query the database on every event, and a site created by the CLI
// beside a running server is found within seconds. Unknown ids are cached
// briefly too, so junk ids cannot hammer the database. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"
#include "store/meta_store.h"

namespace datafast::ingest {

class SiteDirectory {
 public:
  SiteDirectory(store::MetaStore& meta, const core::Clock& clock) : meta_(meta), clock_(clock) {}

  // The site, nullptr when no site has that id; shared so a refresh never
  // invalidates a caller's copy.
  Result<std::shared_ptr<const store::Site>> Find(std::string_view site_id);

  // Drops the cached entry, so a site just created, changed or deleted is
  // seen as it is now by this instance (others within the cache lifetime).
  void Forget(std::string_view site_id);

  // True when `host` (lowercase) is the site's domain, a subdomain of it, or
  // one of its allowed hostnames or their subdomains.
  static bool HostBelongsTo(const store::Site& site, std::string_view host);

 private:
  static constexpr int64_t kFoundTtlMicros = 30'000'000;
  static constexpr int64_t kMissingTtlMicros = 5'000'000;
  static constexpr size_t kMaxEntries = 100'000;

  struct Entry {
    std::shared_ptr<const store::Site> site;  // nullptr: known not to exist
    int64_t expires_micros;
  };

  store::MetaStore& meta_;
  const core::Clock& clock_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace datafast::ingest
