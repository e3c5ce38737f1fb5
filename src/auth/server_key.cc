#include "auth/server_key.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/digest.h"
#include "core/ids.h"

namespace datafast::auth {
namespace {

constexpr size_t kHexDigits = 64;

bool IsKeyHex(std::string_view s) {
  return s.size() == kHexDigits &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Result<ServerKey> ServerKey::Load(std::string_view configured_hex, const std::string& data_dir) {
  if (!configured_hex.empty()) {
    if (!IsKeyHex(configured_hex)) {
      return Status::InvalidArgument("--secret-key must be 64 lowercase hex digits (32 random bytes)");
    }
    return ServerKey(std::string(configured_hex));
  }
  std::string path = (std::filesystem::path(data_dir) / "secret.key").string();
  std::string stored;
  if (std::ifstream in(path); in) std::getline(in, stored);
  if (!stored.empty()) {
    if (!IsKeyHex(stored)) return Status::InvalidArgument(path + " does not hold 64 lowercase hex digits");
    return ServerKey(stored);
  }
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  std::string fresh = core::RandomHex(kHexDigits / 2);
  // Created exclusively and synced, so two first starts cannot end up with
  // different keys, and a crash cannot leave an empty one.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("cannot create " + path + ": " + std::strerror(errno));
  std::string line = fresh + "\n";
  bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Status::IoError("cannot write " + path);
  return ServerKey(fresh);
}

std::string ServerKey::Derive(std::string_view purpose) const { return core::HmacSha256Hex(master_, purpose); }

}  // namespace datafast::auth
