// The server's own secret, from which one key per purpose is derived (the
// keyed hash of customers' emails; later, the encryption of provider
// secrets). Configured (`--secret-key`, DATAFAST_SECRET_KEY: 64 hex digits,
// the same on every instance of a deployment) or, with no configuration,
// created at random in DATA_DIR/secret.key on first start, readable by its
// owner alone. Losing it makes stored email hashes unmatchable; keep it with
// the backups.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace datafast::auth {

class ServerKey {
 public:
  static Result<ServerKey> Load(std::string_view configured_hex, const std::string& data_dir);
  // A key for `purpose` alone: HMAC-SHA256(master, purpose) in hex.
  std::string Derive(std::string_view purpose) const;

 private:
  explicit ServerKey(std::string master) : master_(std::move(master)) {}
  std::string master_;  // 32 bytes
};

}  // namespace datafast::auth
