// A PostgreSQL database of its own for each test, on the server the test
// command started (scripts/test-servers.sh exports DATAFAST_TEST_POSTGRES).
// Without that server the tests fail: they are never skipped.
#pragma once

#include <libpq-fe.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "core/status.h"
#include "store/testing/temp_dir.h"

namespace datafast::store::testing {

// The connection string of the database that belongs to `dir` (created on
// first use, the same for every call with the same dir).
inline Result<std::string> PostgresDatabaseFor(const TempDir& dir) {
  const char* server = std::getenv("DATAFAST_TEST_POSTGRES");
  if (!server || !*server) {
    return Status::Unavailable(
        "DATAFAST_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts "
        "PostgreSQL");
  }
  std::string name = "t" + std::to_string(std::hash<std::string>{}(dir.File("")));
  PGconn* admin = PQconnectdb((std::string(server) + " dbname=postgres").c_str());
  if (PQstatus(admin) != CONNECTION_OK) {
    Status s = Status::Unavailable("cannot reach the test PostgreSQL: " + std::string(PQerrorMessage(admin)));
    PQfinish(admin);
    return s;
  }
  PGresult* created = PQexec(admin, ("CREATE DATABASE " + name).c_str());
  const char* state = PQresultErrorField(created, PG_DIAG_SQLSTATE);
  bool ok = PQresultStatus(created) == PGRES_COMMAND_OK || (state && std::string_view(state) == "42P04");
  std::string error = PQresultErrorMessage(created);
  PQclear(created);
  PQfinish(admin);
  if (!ok) return Status::IoError("cannot create a test database: " + error);
  return std::string(server) + " dbname=" + name;
}

}  // namespace datafast::store::testing
