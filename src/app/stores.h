// The stores a command or the server works on: by default (zero
// configuration) DuckDB for events and SQLite for everything else, both
// files in the data directory; at scale the MetaStore in PostgreSQL
// (--meta postgres://…) and the events in ClickHouse (--events
// clickhouse://…).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/event_store.h"
#include "store/meta_store.h"

namespace datafast::app {

struct Stores {
  std::unique_ptr<store::MetaStore> meta;
  std::unique_ptr<store::EventStore> events;  // null when opened without events
};

enum class WithEvents { kNo, kYes };

struct StoreConfig {
  std::string data_dir;    // the embedded stores, the ingest log, the secret key
  std::string meta_url;    // postgres://…; "": DATA_DIR/meta.sqlite
  std::string events_url;  // clickhouse://…; "": DATA_DIR/events.duckdb
};

// kInvalidArgument naming --meta or --events unless each is empty or a
// URL of its kind.
Status CheckStoreConfig(const StoreConfig& config);

std::string IngestLogDir(const std::string& data_dir);

// Opens the MetaStore (meta_url, else DATA_DIR/meta.sqlite) and, with kYes,
// the EventStore (events_url, else DATA_DIR/events.duckdb, which only one
// process may hold: a running server keeps it), after loading into it
// whatever the ingest log in IngestLogDir(DATA_DIR) still holds.
Result<Stores> OpenStores(const StoreConfig& config, WithEvents with_events);

}  // namespace datafast::app
