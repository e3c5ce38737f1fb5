// SHA-256 and HMAC-SHA256, and base64, through OpenSSL: the one place the
// project turns bytes into digests and their text forms (secrets' lookup
// hashes, webhook signatures, cookieless visitor hashes, sealed secrets).
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace datafast::core {

std::string Sha256Hex(std::string_view data);
std::string HmacSha256Hex(std::string_view key, std::string_view message);
// The 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view message);

// Standard base64 with padding, and back; nullopt unless well-formed.
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace datafast::core
