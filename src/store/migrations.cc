#include "store/migrations.h"

#include <charconv>
#include <string>

#include "core/embedded.h"

namespace datafast::store {

std::vector<Migration> MigrationsFor(std::string_view backend) {
  std::string prefix = "sql/" + std::string(backend) + "/";
  std::vector<Migration> out;
  // AllEmbedded() is sorted by path, and NNNN is zero-padded, so this is
  // version order.
  for (const auto& file : core::AllEmbedded()) {
    if (!file.path.starts_with(prefix)) continue;
    std::string_view name = file.path.substr(prefix.size());
    int version = 0;
    std::from_chars(name.data(), name.data() + name.size(), version);
    out.push_back({version, name, file.raw});
  }
  return out;
}

}  // namespace datafast::store
