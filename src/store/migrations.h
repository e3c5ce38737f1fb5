// Versioned schema migrations, shipped inside the binary as
// src/store/<backend>/migrations/NNNN_name.sql. Each backend applies the
// ones newer than the version it has recorded, each in its own transaction.
#pragma once

#include <string_view>
#include <vector>

namespace datafast::store {

struct Migration {
  int version;            // NNNN from the file name
  std::string_view name;  // file name
  std::string_view sql;
};

// The migrations of `backend` ("duckdb", "sqlite", …), in version order.
std::vector<Migration> MigrationsFor(std::string_view backend);

}  // namespace datafast::store
