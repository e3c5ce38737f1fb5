// Random secrets (session cookies, API keys, one-time email tokens) and how
// they are stored: only a SHA-256 hash ever reaches a store, so a leaked
// database reveals no usable secret. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace datafast::auth {

// `prefix` followed by 32 random bytes in base64url without padding
// (256 bits), e.g. "df_" + 43 characters.
std::string NewSecret(std::string_view prefix);

// SHA-256 of `secret`, lowercase hex: the form secrets are stored and looked
// up in.
std::string HashSecret(std::string_view secret);

// Compares in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace datafast::auth
