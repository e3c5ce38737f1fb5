// The MetaStore of every relational backend (SQLite embedded, PostgreSQL at
// scale): one implementation over a sql::Connection, so both answer alike
// and one conformance suite (store/meta_store_test.cc) holds them to it. The
// schema is each backend's migrations (store/<backend>/migrations), applied
// in order at open. Thread-safe: calls share the one connection in turn.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>

#include "core/status.h"
#include "store/meta_store.h"
#include "store/sql/sql_connection.h"

namespace datafast::store {

// Applies `connection`'s pending migrations and returns the store on it.
Result<std::unique_ptr<MetaStore>> OpenSqlMetaStore(std::unique_ptr<sql::Connection> connection);

// Applies `connection`'s pending migrations.
Status MigrateSchema(sql::Connection& connection);

// Copies every row of the MetaStore's tables from `from` into `to`, both
// migrated to the same version, table by table in the order references
// need. Rows `to` has already stay as they are, so an interrupted copy
// resumes. Then checks that each table has as many rows on both sides.
// `progress` hears each table once copied, with its row count.
using CopyProgress = std::function<void(std::string_view table, int64_t rows)>;
Status CopyMetaStore(sql::Connection& from, sql::Connection& to, const CopyProgress& progress);

// The tables CopyMetaStore copies, in that order.
std::span<const std::string_view> MetaStoreTables();

}  // namespace datafast::store
