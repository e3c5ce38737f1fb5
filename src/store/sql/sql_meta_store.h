// The MetaStore of every relational backend (SQLite embedded, PostgreSQL at
// scale): one implementation over a sql::Connection, so both answer alike
// and one conformance suite (store/meta_store_test.cc) holds them to it. The
// schema is each backend's migrations (store/<backend>/migrations), applied
// in order at open. Thread-safe: calls share the one connection in turn.
#pragma once

#include <memory>

#include "core/status.h"
#include "store/meta_store.h"
#include "store/sql/sql_connection.h"

namespace datafast::store {

// Applies `connection`'s pending migrations and returns the store on it.
Result<std::unique_ptr<MetaStore>> OpenSqlMetaStore(std::unique_ptr<sql::Connection> connection);

}  // namespace datafast::store
