// Password hashing with Argon2id at OWASP's recommended cost (19 MiB of
// memory, 2 passes, 1 lane). The stored string is the PHC encoding, which
// records its own parameters, so the cost can be raised later without
// invalidating existing hashes. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace datafast::auth {

inline constexpr size_t kMinPasswordLength = 10;
inline constexpr size_t kMaxPasswordLength = 256;

// Refuses passwords shorter than kMinPasswordLength or longer than
// kMaxPasswordLength (hashing cost is per byte), naming the rule.
Status CheckPasswordRules(std::string_view password);

// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, with a fresh random salt.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `encoded` (constant-time comparison inside
// libargon2). False for a malformed encoding.
bool VerifyPassword(std::string_view encoded, std::string_view password);

}  // namespace datafast::auth
