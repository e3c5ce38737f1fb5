// SHA-256 and HMAC-SHA256 as lowercase hex, through OpenSSL: the one place
// the project turns bytes into digests (secrets' lookup hashes, webhook
// signatures, cookieless visitor hashes). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace datafast::core {

std::string Sha256Hex(std::string_view data);
std::string HmacSha256Hex(std::string_view key, std::string_view message);

}  // namespace datafast::core
