// The embedded EventStore: one DuckDB database file in the data directory.
// DuckDB is columnar, which is what dashboard breakdowns over millions of
// events need (docs/adr/0002-duckdb-for-embedded-events.md).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/event_store.h"

namespace datafast::store {

// Opens or creates the database at `path` and applies pending migrations.
// DuckDB lets one process at a time open a file for writing: a second
// process gets an error naming the lock.
Result<std::unique_ptr<EventStore>> OpenDuckDbEventStore(const std::string& path);

}  // namespace datafast::store
