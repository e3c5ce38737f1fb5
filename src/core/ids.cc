#include "core/ids.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace datafast::core {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void FillRandom(uint8_t* out, size_t n) {
  // RAND_bytes fails only when the CSPRNG cannot be seeded; handing out
  // predictable ids instead would be worse than stopping.
  if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
}

// For UUIDs, which are made per event: RAND_bytes costs a getpid system call
// (its fork check) and a lock on every call, so each thread draws a block at
// a time (datafast never forks). Not for secrets, which should not linger in
// a buffer.
void FillRandomBuffered(uint8_t* out, size_t n) {
  thread_local std::array<uint8_t, 4096> pool;
  thread_local size_t used = pool.size();
  if (pool.size() - used < n) {
    FillRandom(pool.data(), pool.size());
    used = 0;
  }
  std::memcpy(out, pool.data() + used, n);
  used += n;
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  FillRandom(reinterpret_cast<uint8_t*>(raw.data()), bytes);
  std::string hex;
  hex.reserve(bytes * 2);
  for (unsigned char b : raw) {
    hex += kHexDigits[b >> 4];
    hex += kHexDigits[b & 15];
  }
  return hex;
}

std::string NewSiteId() { return "dfid_" + RandomHex(8); }

bool IsSiteId(std::string_view s) {
  if (s.size() != 21 || !s.starts_with("dfid_")) return false;
  for (char c : s.substr(5)) {
    if (!IsHex(c) || (c >= 'A' && c <= 'F')) return false;
  }
  return true;
}

std::string NewUuid() {
  std::array<uint8_t, 16> b;
  FillRandomBuffered(b.data(), b.size());
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHexDigits[b[i] >> 4];
    out += kHexDigits[b[i] & 15];
  }
  return out;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHex(s[i])) return false;
  }
  return true;
}

}  // namespace datafast::core
