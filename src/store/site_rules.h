// What a valid site looks like, checked the same way by the CLI, the
// accounts API and every store backend's callers.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace datafast::store {

// "https://www.Example.com/shop" → "example.com". Refuses anything that is
// not a host name (spaces, IP literals with ports, empty labels…).
Result<std::string> NormalizeDomain(std::string_view input);

// An IANA time zone name known to the system's zone database, e.g.
// "Europe/Paris" or "UTC".
Status CheckTimezone(std::string_view name);

// An ISO 4217 code: three uppercase letters.
Status CheckCurrency(std::string_view code);

}  // namespace datafast::store
