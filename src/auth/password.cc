#include "auth/password.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <array>

namespace datafast::auth {
namespace {

constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19456;
constexpr uint32_t kLanes = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

}  // namespace

Status CheckPasswordRules(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return Status::InvalidArgument("the password must have at least " + std::to_string(kMinPasswordLength) +
                                   " characters");
  }
  if (password.size() > kMaxPasswordLength) {
    return Status::InvalidArgument("the password must have at most " + std::to_string(kMaxPasswordLength) +
                                   " characters");
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  std::array<unsigned char, kSaltBytes> salt;
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) return Status::Internal("no randomness for a salt");
  std::string encoded(argon2_encodedlen(kTimeCost, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id), '\0');
  int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kLanes, password.data(), password.size(), salt.data(),
                                 salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return Status::Internal(std::string("argon2id: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  std::string terminated(encoded);  // libargon2 wants a C string
  return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace datafast::auth
