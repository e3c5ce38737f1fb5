// MetaStore: sites (and, as the product grows, accounts, keys and payments).
// The embedded backend is SQLite in WAL mode (store/sqlite); the scale-out
// backend is PostgreSQL (store/postgres). Thread-safe: every method may be
// called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datafast::store {

struct Site {
  std::string id;                              // dfid_…
  std::string domain;                          // root domain, lowercase, no scheme or path
  std::string timezone;                        // IANA name, e.g. "Europe/Paris"
  std::string currency;                        // ISO 4217, e.g. "EUR"
  std::vector<std::string> allowed_hostnames;  // extra hosts besides domain and its subdomains
  int64_t created_at_micros = 0;
  bool operator==(const Site&) const = default;
};

class MetaStore {
 public:
  virtual ~MetaStore() = default;

  // Fails with kConflict when a site with that id already exists.
  virtual Status CreateSite(const Site& site) = 0;
  virtual Result<std::optional<Site>> FindSite(std::string_view site_id) = 0;
  virtual Result<std::vector<Site>> ListSites() = 0;

  // The cookieless visitor hash salt of UTC day `day` (days since the epoch):
  // created at random on first use, identical for every caller afterwards.
  virtual Result<std::string> SaltForDay(int64_t day) = 0;
  // Forgets every salt of a day before `day`; once gone, visitor hashes of
  // those days can never be recomputed.
  virtual Status DeleteSaltsBefore(int64_t day) = 0;
};

}  // namespace datafast::store
