// A ClickHouse database of its own for each test, on the server the test
// command started (scripts/test-servers.sh exports DATAFAST_TEST_CLICKHOUSE,
// HOST:PORT of its HTTP interface). Without that server the tests fail:
// they are never skipped.
#pragma once

#include <cstdlib>
#include <functional>
#include <string>

#include "core/status.h"
#include "store/testing/temp_dir.h"

namespace datafast::store::testing {

// The clickhouse:// URL of the database that belongs to `dir` (the store
// creates it on first open; the same for every call with the same dir).
inline Result<std::string> ClickHouseDatabaseFor(const TempDir& dir) {
  const char* server = std::getenv("DATAFAST_TEST_CLICKHOUSE");
  if (!server || !*server) {
    return Status::Unavailable(
        "DATAFAST_TEST_CLICKHOUSE is not set: run the tests with scripts/test.sh, which starts ClickHouse");
  }
  return "clickhouse://" + std::string(server) + "/t" + std::to_string(std::hash<std::string>{}(dir.File("")));
}

// The same on the test cluster (scripts/clickhouse-cluster.sh; test-servers.sh
// exports DATAFAST_TEST_CLICKHOUSE_CLUSTER, the HOST:PORT of each server,
// comma-separated), through its server number `node` (0 or 1).
inline Result<std::string> ClickHouseClusterDatabaseFor(const TempDir& dir, size_t node = 0) {
  const char* servers = std::getenv("DATAFAST_TEST_CLICKHOUSE_CLUSTER");
  if (!servers || !*servers) {
    return Status::Unavailable(
        "DATAFAST_TEST_CLICKHOUSE_CLUSTER is not set: run the tests with scripts/test.sh, which starts the cluster");
  }
  std::string list = servers;
  size_t comma = list.find(',');
  std::string server = node == 0 ? list.substr(0, comma) : list.substr(comma + 1);
  return "clickhouse://" + server + "/t" + std::to_string(std::hash<std::string>{}(dir.File(""))) + "?cluster=datafast";
}

}  // namespace datafast::store::testing
