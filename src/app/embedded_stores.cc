#include "app/embedded_stores.h"

#include <filesystem>

#include "store/duckdb/duckdb_event_store.h"
#include "store/sqlite/sqlite_meta_store.h"

namespace datafast::app {

Result<Stores> OpenEmbeddedStores(const std::string& data_dir, WithEvents with_events) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::IoError("cannot create data directory " + data_dir + ": " + ec.message());
  std::filesystem::path dir(data_dir);
  Stores stores;
  auto meta = store::OpenSqliteMetaStore((dir / "meta.sqlite").string());
  if (!meta.ok()) return meta.status();
  stores.meta = std::move(*meta);
  if (with_events == WithEvents::kYes) {
    auto events = store::OpenDuckDbEventStore((dir / "events.duckdb").string());
    if (!events.ok()) return events.status();
    stores.events = std::move(*events);
  }
  return stores;
}

}  // namespace datafast::app
