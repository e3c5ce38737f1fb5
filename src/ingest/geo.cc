#include "ingest/geo.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>

namespace datafast::ingest {
namespace {

// A textual address parsed into the sockaddr libmaxminddb takes, so lookups
// skip the getaddrinfo() call that MMDB_lookup_string would make.
struct Address {
  sockaddr_storage storage{};
  bool ipv6 = false;
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

// Addresses no geo database places: unspecified, loopback, private,
// carrier-grade NAT, link-local, benchmarking, multicast and reserved.
bool IsNonPublicV4(const uint8_t* b) {
  return b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224 || (b[0] == 100 && (b[1] & 0xC0) == 64) ||
         (b[0] == 169 && b[1] == 254) || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) ||
         (b[0] == 198 && (b[1] & 0xFE) == 18);
}

// Unspecified, loopback, unique-local (fc00::/7), link-local (fe80::/10) and
// multicast (ff00::/8).
bool IsNonPublicV6(const uint8_t* b) {
  static constexpr uint8_t kZero[15] = {};
  if (std::memcmp(b, kZero, 15) == 0 && b[15] <= 1) return true;
  return (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) || b[0] == 0xFF;
}

// Parses `ip`, unwrapping IPv4-mapped IPv6 ("::ffff:1.2.3.4") to IPv4, which
// is what the IPv4 database indexes. Nullopt for malformed or non-public
// addresses.
std::optional<Address> ParsePublic(std::string_view ip) {
  // INET6_ADDRSTRLEN covers the longest textual form; anything longer is junk.
  if (ip.empty() || ip.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char text[INET6_ADDRSTRLEN];
  std::memcpy(text, ip.data(), ip.size());
  text[ip.size()] = '\0';

  in_addr v4;
  in6_addr v6;
  if (inet_pton(AF_INET6, text, &v6) == 1) {
    static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::memcmp(v6.s6_addr, kMappedPrefix, 12) == 0) {
      std::memcpy(&v4, v6.s6_addr + 12, 4);
    } else {
      if (IsNonPublicV6(v6.s6_addr)) return std::nullopt;
      Address address;
      address.ipv6 = true;
      auto* sin6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
      sin6->sin6_family = AF_INET6;
      sin6->sin6_addr = v6;
      return address;
    }
  } else if (inet_pton(AF_INET, text, &v4) != 1) {
    return std::nullopt;
  }
  if (IsNonPublicV4(reinterpret_cast<const uint8_t*>(&v4.s_addr))) return std::nullopt;
  Address address;
  auto* sin = reinterpret_cast<sockaddr_in*>(&address.storage);
  sin->sin_family = AF_INET;
  sin->sin_addr = v4;
  return address;
}

// A top-level string field of the record, or "" when absent or not a string.
std::string StringField(MMDB_entry_s* entry, const char* key) {
  MMDB_entry_data_s data;
  if (MMDB_get_value(entry, &data, key, nullptr) != MMDB_SUCCESS || !data.has_data ||
      data.type != MMDB_DATA_TYPE_UTF8_STRING) {
    return "";
  }
  return std::string(data.utf8_string, data.data_size);
}

struct MmdbCloser {
  void operator()(MMDB_s* db) const {
    MMDB_close(db);
    delete db;
  }
};
using Database = std::unique_ptr<MMDB_s, MmdbCloser>;

class MmdbLocator final : public GeoLocator {
 public:
  Status Open(const std::vector<std::string>& paths) {
    for (const std::string& path : paths) {
      auto db = std::make_unique<MMDB_s>();
      if (int rc = MMDB_open(path.c_str(), MMDB_MODE_MMAP, db.get()); rc != MMDB_SUCCESS) {
        return Status::IoError("open geo database " + path + ": " + MMDB_strerror(rc));
      }
      databases_.emplace_back(db.release());
    }
    return Status::Ok();
  }

  // Reads the flat ip-location-db schema: country_code, state1, city.
  Location Lookup(std::string_view ip) const override {
    std::optional<Address> address = ParsePublic(ip);
    if (!address) return {};
    for (const Database& db : databases_) {
      // An IPv4-only database cannot answer for an IPv6 address (libmaxminddb
      // reports it as an error); an IPv6 one may hold IPv4 too, so it is asked.
      if (address->ipv6 && db->metadata.ip_version == 4) continue;
      int error = MMDB_SUCCESS;
      MMDB_lookup_result_s result = MMDB_lookup_sockaddr(db.get(), address->get(), &error);
      if (error != MMDB_SUCCESS || !result.found_entry) continue;
      Location location;
      location.country = StringField(&result.entry, "country_code");
      std::transform(location.country.begin(), location.country.end(), location.country.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      location.region = StringField(&result.entry, "state1");
      location.city = StringField(&result.entry, "city");
      return location;
    }
    return {};
  }

 private:
  std::vector<Database> databases_;
};

}  // namespace

Result<std::unique_ptr<GeoLocator>> GeoLocator::Open(const std::vector<std::string>& mmdb_paths) {
  auto locator = std::make_unique<MmdbLocator>();
  DF_RETURN_IF_ERROR(locator->Open(mmdb_paths));
  return std::unique_ptr<GeoLocator>(std::move(locator));
}

}  // namespace datafast::ingest
