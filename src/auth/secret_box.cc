#include "auth/secret_box.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <optional>

#include "core/digest.h"

namespace datafast::auth {
namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

SecretBox::SecretBox(std::string_view key_hex) {
  for (size_t i = 0; i + 1 < key_hex.size(); i += 2) {
    key_.push_back(static_cast<char>(std::stoi(std::string(key_hex.substr(i, 2)), nullptr, 16)));
  }
}

std::string SecretBox::Seal(std::string_view plaintext, std::string_view context) const {
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  RAND_bytes(Bytes(out), kNonceBytes);
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int n = 0;
  EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(out));
  EVP_EncryptUpdate(ctx.get(), nullptr, &n, Bytes(context), static_cast<int>(context.size()));
  EVP_EncryptUpdate(ctx.get(), Bytes(out) + kNonceBytes, &n, Bytes(plaintext), static_cast<int>(plaintext.size()));
  EVP_EncryptFinal_ex(ctx.get(), Bytes(out) + kNonceBytes + n, &n);
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, Bytes(out) + kNonceBytes + plaintext.size());
  return core::Base64Encode(out);
}

Result<std::string> SecretBox::Open(std::string_view sealed, std::string_view context) const {
  std::optional<std::string> raw = core::Base64Decode(sealed);
  if (!raw) return Status::Unauthenticated("sealed secret is not base64");
  if (raw->size() < static_cast<size_t>(kNonceBytes + kTagBytes)) {
    return Status::Unauthenticated("sealed secret is too short");
  }
  size_t length = raw->size() - kNonceBytes - kTagBytes;
  std::string plaintext(length, '\0');
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int n = 0;
  EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(*raw));
  EVP_DecryptUpdate(ctx.get(), nullptr, &n, Bytes(context), static_cast<int>(context.size()));
  EVP_DecryptUpdate(ctx.get(), Bytes(plaintext), &n, Bytes(*raw) + kNonceBytes, static_cast<int>(length));
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, Bytes(*raw) + kNonceBytes + length);
  if (EVP_DecryptFinal_ex(ctx.get(), Bytes(plaintext) + n, &n) != 1) {
    return Status::Unauthenticated("sealed secret does not open with this server key");
  }
  return plaintext;
}

}  // namespace datafast::auth
