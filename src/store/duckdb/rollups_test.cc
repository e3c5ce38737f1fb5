// The DuckDB store's own tables. Rollups (docs/adr/0007): which reports
// read them, and what the tables hold; that their answers equal the
// sessions' is the conformance suite's
// ReportsAnswerTheSameWithOrWithoutTheTimeZoneHint. Migrations that turn
// existing rows into new ones.
#include <duckdb.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "core/time_zone.h"
#include "store/duckdb/duckdb_event_store.h"
#include "store/migrations.h"
#include "store/testing/synthetic_traffic.h"
#include "store/testing/temp_dir.h"

namespace datafast::store {
namespace {

// Runs `sql` on the database file at `path` (no store may have it open) and
// returns the first column of the first row as text.
std::string QueryFile(const std::string& path, const std::string& sql) {
  duckdb_database db;
  duckdb_connection con;
  if (duckdb_open(path.c_str(), &db) == DuckDBError) return "cannot open";
  duckdb_connect(db, &con);
  duckdb_result result;
  std::string out;
  if (duckdb_query(con, sql.c_str(), &result) == DuckDBError) {
    out = std::string("error: ") + duckdb_result_error(&result);
  } else if (duckdb_row_count(&result) > 0) {
    char* value = duckdb_value_varchar(&result, 0, 0);
    out = value ? value : "NULL";
    duckdb_free(value);
  }
  duckdb_destroy_result(&result);
  duckdb_disconnect(&con);
  duckdb_close(&db);
  return out;
}

class RollupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto zone = core::TimeZone::Load("Europe/Paris");
    ASSERT_TRUE(zone.ok());
    paris_ = *zone;
    int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    today_ = core::DayOfSeconds(now + paris_.OffsetAt(now));
    auto store = Open();
    ASSERT_TRUE(store->Append(testing::SyntheticTraffic("dfid_r", 80, 3, (today_ - 20) * 86'400, 21)).ok());
  }

  std::unique_ptr<EventStore> Open() {
    auto store = OpenDuckDbEventStore(path_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Sessions that start before today in `zone`, counted from the sessions.
  uint64_t SessionsBeforeToday(const core::TimeZone& zone) {
    int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    int64_t today = core::DayOfSeconds(now + zone.OffsetAt(now));
    auto store = Open();
    auto m = store->Summarize({{"dfid_r"}, 0, zone.ToUtc(today * 86'400) * 1'000'000, {}, "", ""});
    EXPECT_TRUE(m.ok());
    return m.ok() ? m->sessions : 0;
  }

  // The last `days` days and today, in Paris, with or without the hint.
  ReportScope LastDays(int days, bool hinted) {
    ReportScope scope;
    scope.site_ids = {"dfid_r"};
    scope.from_micros = paris_.ToUtc((today_ - days) * 86'400) * 1'000'000;
    scope.to_micros = paris_.ToUtc((today_ + 1) * 86'400) * 1'000'000;
    if (hinted) scope.time_zone = "Europe/Paris";
    return scope;
  }

  testing::TempDir dir_;
  std::string path_ = dir_.File("events.duckdb");
  core::TimeZone paris_;
  int64_t today_ = 0;
};

TEST_F(RollupsTest, HoldEveryDayBeforeTodayAndOnlyThose) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Summarize(LastDays(20, true)).ok());
  }
  EXPECT_EQ(QueryFile(path_, "SELECT time_zone FROM rollup_zones WHERE site_id = 'dfid_r'"), "Europe/Paris");
  EXPECT_EQ(QueryFile(path_, "SELECT sum(sessions) FROM rollups WHERE dimension = 'all'"),
            std::to_string(SessionsBeforeToday(paris_)));
  EXPECT_EQ(QueryFile(path_, "SELECT max(day) FROM rollups"), std::to_string(today_ - 1));
  // Today (and tomorrow, if traffic ends then) wait in one dirty row each.
  int64_t midnight = paris_.ToUtc(today_ * 86'400) * 1'000'000;
  EXPECT_EQ(QueryFile(path_, "SELECT count(*) BETWEEN 1 AND 2 FROM dirty_rollups"), "true");
  EXPECT_EQ(QueryFile(path_,
                      "SELECT count(*) FROM dirty_rollups WHERE ts < make_timestamp(" + std::to_string(midnight) + ")"),
            "0");
}

// Doubling the rolled-up sessions shows in hinted reports that end before
// today, and not in the others.
TEST_F(RollupsTest, ServeWholeDaysWithoutFiltersOnly) {
  auto sessions = [&](const ReportScope& scope) {
    auto store = Open();
    auto m = store->Summarize(scope);
    EXPECT_TRUE(m.ok()) << m.status().message();
    return m.ok() ? m->sessions : 0;
  };
  ReportScope yesterday = LastDays(1, true);
  yesterday.to_micros = paris_.ToUtc(today_ * 86'400) * 1'000'000;
  uint64_t before = sessions(yesterday);
  ASSERT_GT(before, 0u);
  std::string rows = QueryFile(path_, "SELECT count(*) FROM rollups");
  ASSERT_EQ(QueryFile(path_, "UPDATE rollups SET sessions = 2 * sessions"), rows);

  EXPECT_EQ(sessions(yesterday), 2 * before);
  ReportScope raw = yesterday;
  raw.time_zone = "";
  EXPECT_EQ(sessions(raw), before);
  ReportScope filtered = yesterday;
  filtered.filters = {{query::Dimension::kDevice, query::FilterOp::kIsNot, {"none"}}};
  EXPECT_EQ(sessions(filtered), before);
  ReportScope today_only = LastDays(0, true);
  EXPECT_EQ(sessions(today_only),
            sessions(ReportScope{today_only.site_ids, today_only.from_micros, today_only.to_micros, {}, "", ""}));
}

TEST_F(RollupsTest, FollowTheSiteToANewTimeZone) {
  ReportScope new_york = LastDays(20, true);
  new_york.time_zone = "America/New_York";
  {
    auto store = Open();
    ASSERT_TRUE(store->Summarize(LastDays(20, true)).ok());
    ASSERT_TRUE(store->Summarize(new_york).ok());
  }
  EXPECT_EQ(QueryFile(path_, "SELECT string_agg(time_zone) FROM rollup_zones"), "America/New_York");
  auto ny = core::TimeZone::Load("America/New_York");
  ASSERT_TRUE(ny.ok());
  EXPECT_EQ(QueryFile(path_, "SELECT sum(sessions) FROM rollups WHERE dimension = 'all'"),
            std::to_string(SessionsBeforeToday(*ny)));
}

// A crash between a rebuild of sessions and the computing of their
// previous-session columns (docs/adr/0006) leaves the visitors in
// relag_visitors: the next refresh computes them.
TEST_F(RollupsTest, PreviousSessionsLeftForLaterAreComputedAtTheNextRefresh) {
  const std::string kPrevious =
      "SELECT count(prev_start) || '/' || sum(epoch_us(prev_start)) || '/' || count(prev_channel) || '/' || "
      "count(prev_country) || '/' || (SELECT count(prev_start) FROM session_items) FROM sessions";
  {
    auto store = Open();
    ASSERT_TRUE(store->Summarize(LastDays(20, false)).ok());
  }
  std::string computed = QueryFile(path_, kPrevious);
  ASSERT_NE(computed.substr(0, 2), "0/") << computed;  // visitors with several sessions
  EXPECT_EQ(QueryFile(path_, "SELECT count(*) FROM relag_visitors"), "0");

  ASSERT_NE(QueryFile(path_, "UPDATE sessions SET prev_start = NULL, prev_channel = NULL, prev_country = NULL"), "0");
  ASSERT_NE(QueryFile(path_, "UPDATE session_items SET prev_start = NULL"), "0");
  ASSERT_NE(QueryFile(path_, "INSERT INTO relag_visitors SELECT DISTINCT site_id, visitor_id FROM sessions"), "0");
  {
    auto store = Open();
    ASSERT_TRUE(store->Summarize(LastDays(20, false)).ok());
  }
  EXPECT_EQ(QueryFile(path_, kPrevious), computed);
  EXPECT_EQ(QueryFile(path_, "SELECT count(*) FROM relag_visitors"), "0");
}

TEST(DuckDbMigrations, GiveEveryModelTheLastTouchRowsOfPaymentsRecordedBeforeModels) {
  testing::TempDir dir;
  std::string path = dir.File("events.duckdb");
  std::string before_models = "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY);";
  for (const Migration& m : MigrationsFor("duckdb")) {
    if (m.version >= 9) break;
    before_models += std::string(m.sql) + "\nINSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ");";
  }
  before_models +=
      "INSERT INTO revenue_events (event_id, site_id, ts, type, visitor_id, session_id, channel, revenue_micros) "
      "VALUES ('pay_1', 's', TIMESTAMP '2026-11-01 10:00:00', 'revenue', 'v', 'x', 'social', 25000000);"
      "SELECT count(*) FROM revenue_events";
  ASSERT_EQ(QueryFile(path, before_models), "1");

  auto store = OpenDuckDbEventStore(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  std::map<std::string, Event> rows;
  ASSERT_TRUE((*store)->ForEachEvent("s", [&](const Event& e) { rows[e.event_id] = e; }).ok());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows.at("pay_1").attribution, "last");
  EXPECT_EQ(rows.at("pay_1.first").attribution, "first");
  EXPECT_EQ(rows.at("pay_1.linear.0").attribution, "linear");
  for (const auto& [id, row] : rows) {
    EXPECT_EQ(row.credit_micros, 1'000'000) << id;
    EXPECT_EQ(row.revenue_micros, 25'000'000) << id;
    EXPECT_EQ(row.channel, "social") << id;
  }
}

}  // namespace
}  // namespace datafast::store
