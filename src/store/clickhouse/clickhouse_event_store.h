// The scale-out EventStore: every site's events in one ClickHouse MergeTree
// table, over ClickHouse's HTTP interface (libcurl), on the ClickHouse that
// Debian 12 ships (18.16) and on current releases (docs/adr/0011). Writes
// reach it through the ingest log, which is the durable spool in front of
// it: an event is acknowledged once logged, and the log is trimmed only
// after ClickHouse took the batch (ingest/event_writer.h). Reports read the
// sessions of past days from rows sealed a day at a time and group the
// others from their events (docs/adr/0012, store/clickhouse/reports.h).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/event_store.h"

namespace datafast::store {

// Connects to `url` (clickhouse://[user[:password]@]host:port/database, the
// HTTP port; with ?cluster=NAME, to one server of that cluster, whose
// tables span it: docs/deployment.md), creates the database if need be and
// applies pending migrations. kUnavailable when ClickHouse cannot be
// reached.
Result<std::unique_ptr<EventStore>> OpenClickHouseEventStore(const std::string& url);

}  // namespace datafast::store
