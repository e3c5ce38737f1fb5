#include "app/stores.h"

#include <filesystem>

#include "core/log.h"
#include "ingest/ingest_log.h"
#include "store/clickhouse/clickhouse_event_store.h"
#include "store/duckdb/duckdb_event_store.h"
#include "store/postgres/postgres_meta_store.h"
#include "store/sqlite/sqlite_meta_store.h"

namespace datafast::app {

std::string IngestLogDir(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "ingest-log").string();
}

Status CheckStoreConfig(const StoreConfig& config) {
  const std::string& meta = config.meta_url;
  if (!meta.empty() && !meta.starts_with("postgres://") && !meta.starts_with("postgresql://")) {
    return Status::InvalidArgument("--meta: must be a PostgreSQL URL (postgres://user:password@host:5432/database)");
  }
  if (!config.events_url.empty() && !config.events_url.starts_with("clickhouse://")) {
    return Status::InvalidArgument("--events: must be a ClickHouse URL (clickhouse://host:8123/database)");
  }
  return Status::Ok();
}

Result<Stores> OpenStores(const StoreConfig& config, WithEvents with_events) {
  DF_RETURN_IF_ERROR(CheckStoreConfig(config));
  const std::string& data_dir = config.data_dir;
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::IoError("cannot create data directory " + data_dir + ": " + ec.message());
  std::filesystem::path dir(data_dir);
  Stores stores;
  auto meta = config.meta_url.empty() ? store::OpenSqliteMetaStore((dir / "meta.sqlite").string())
                                      : store::OpenPostgresMetaStore(config.meta_url);
  if (!meta.ok()) return meta.status();
  stores.meta = std::move(*meta);
  if (with_events == WithEvents::kYes) {
    auto events = config.events_url.empty() ? store::OpenDuckDbEventStore((dir / "events.duckdb").string())
                                            : store::OpenClickHouseEventStore(config.events_url);
    if (!events.ok()) return events.status();
    stores.events = std::move(*events);
    // Acknowledged events the last process logged but did not load (it was
    // killed, or the store refused them) go into the store before anyone reads.
    auto recovered = ingest::RecoverIngestLog(IngestLogDir(data_dir), *stores.events);
    if (!recovered.ok()) return recovered.status().WithContext("recover the ingest log");
    if (*recovered > 0) core::LogInfo("recovered events from the ingest log", {{"events", int64_t(*recovered)}});
  }
  return stores;
}

}  // namespace datafast::app
