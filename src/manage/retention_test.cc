// Retention over real stores: SQLite sites, DuckDB events.
#include "manage/retention.h"

#include <gtest/gtest.h>

#include "store/duckdb/duckdb_event_store.h"
#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::manage {
namespace {

constexpr int64_t kDay = 86'400LL * 1'000'000;
constexpr int64_t kNow = 20'000 * kDay;

store::Event EventAt(std::string site, int64_t ts, std::string id) {
  store::Event e;
  e.event_id = std::move(id);
  e.site_id = std::move(site);
  e.ts_micros = ts;
  return e;
}

TEST(Retention, DeletesOnlyEventsOlderThanEachSitesRetention) {
  store::testing::TempDir dir;
  auto meta = std::move(*store::OpenSqliteMetaStore(dir.File("meta.sqlite")));
  auto events = std::move(*store::OpenDuckDbEventStore(dir.File("events.duckdb")));
  ASSERT_TRUE(meta->CreateSite({"dfid_000000000000000a", "a.example", "UTC", "USD", {}, 0, "", 730}).ok());
  ASSERT_TRUE(meta->CreateSite({"dfid_000000000000000b", "b.example", "UTC", "USD", {}, 0, "", 30}).ok());
  ASSERT_TRUE(events
                  ->Append(std::vector{EventAt("dfid_000000000000000a", kNow - 731 * kDay, "a-old"),
                                       EventAt("dfid_000000000000000a", kNow - 729 * kDay, "a-kept"),
                                       EventAt("dfid_000000000000000b", kNow - 31 * kDay, "b-old"),
                                       EventAt("dfid_000000000000000b", kNow - 29 * kDay, "b-kept")})
                  .ok());
  core::ManualClock clock(kNow);
  auto deleted = ApplyRetention(*meta, *events, clock);
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  EXPECT_EQ(*deleted, 2u);
  EXPECT_EQ(*events->CountEvents("dfid_000000000000000a"), 1u);
  EXPECT_EQ(*events->CountEvents("dfid_000000000000000b"), 1u);
  EXPECT_EQ(*ApplyRetention(*meta, *events, clock), 0u);

  // Shortening a site's retention takes effect at the next run.
  store::Site a = **meta->FindSite("dfid_000000000000000a");
  a.retention_days = 365;
  ASSERT_TRUE(meta->UpdateSite(a).ok());
  EXPECT_EQ(*ApplyRetention(*meta, *events, clock), 1u);
  EXPECT_EQ(*events->CountEvents("dfid_000000000000000a"), 0u);
}

}  // namespace
}  // namespace datafast::manage
