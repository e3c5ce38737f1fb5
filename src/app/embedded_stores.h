// The zero-configuration stores: DuckDB for events and SQLite for everything
// else, both files in the data directory.
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

// Opens DATA_DIR/meta.sqlite and, with kYes, DATA_DIR/events.duckdb (which
// only one process may hold: a running server keeps it), after loading into
// it whatever the ingest log in IngestLogDir(DATA_DIR) still holds.
std::string IngestLogDir(const std::string& data_dir);

Result<Stores> OpenEmbeddedStores(const std::string& data_dir, WithEvents with_events);

}  // namespace datafast::app
