// Secrets kept at rest encrypted (the API keys and webhook secrets of payment
// providers): AES-256-GCM under a key derived from the server key, with a
// random nonce per secret and the owning row's identity as associated data,
// so a sealed value copied to another row does not open there. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace datafast::auth {

class SecretBox {
 public:
  // `key_hex`: 64 hex digits (ServerKey::Derive).
  explicit SecretBox(std::string_view key_hex);

  // base64 of nonce, ciphertext and tag.
  std::string Seal(std::string_view plaintext, std::string_view context) const;
  // kUnauthenticated when `sealed` was not sealed by this key for `context`.
  Result<std::string> Open(std::string_view sealed, std::string_view context) const;

 private:
  std::string key_;  // 32 bytes
};

}  // namespace datafast::auth
