// The scale-out MetaStore: accounts, sites, keys, sessions, connections and
// payments in PostgreSQL (libpq), shared by every instance. The same
// relational store as SQLite's (store/sql/sql_meta_store.h) with
// PostgreSQL's migrations (store/postgres/migrations). Compare text in
// byte order, as SQLite does: create the database with LC_COLLATE 'C'
// (docs/deployment.md).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/meta_store.h"
#include "store/sql/sql_connection.h"

namespace datafast::store {

// Connects to `url` (postgres://user:password@host:port/database, or any
// libpq connection string) and applies pending migrations. When the server
// goes away, calls fail with kUnavailable and the next one connects again.
Result<std::unique_ptr<MetaStore>> OpenPostgresMetaStore(const std::string& url);

// The connection beneath, for copying a store into it (datafast migrate).
Result<std::unique_ptr<sql::Connection>> OpenPostgresConnection(const std::string& url);

}  // namespace datafast::store
