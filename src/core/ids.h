// Random identifiers: site ids, UUIDs, secrets. All randomness comes from
// OpenSSL's CSPRNG, so ids are unguessable. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace datafast::core {

// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string RandomHex(size_t bytes);

// A site id as the snippet carries it: "dfid_" followed by 16 hex characters.
std::string NewSiteId();
bool IsSiteId(std::string_view s);

// A random (version 4) UUID in canonical lowercase 8-4-4-4-12 form.
std::string NewUuid();
// Accepts any canonical UUID, either case.
bool IsUuid(std::string_view s);

}  // namespace datafast::core
