// The embedded MetaStore: one SQLite database in WAL mode in the data
// directory, with synchronous=FULL so a committed write survives power loss.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/meta_store.h"
#include "store/sql/sql_connection.h"

namespace datafast::store {

// Opens or creates the database at `path` and applies pending migrations.
Result<std::unique_ptr<MetaStore>> OpenSqliteMetaStore(const std::string& path);

// The connection beneath, for copying the store elsewhere (datafast migrate).
Result<std::unique_ptr<sql::Connection>> OpenSqliteConnection(const std::string& path);

}  // namespace datafast::store
