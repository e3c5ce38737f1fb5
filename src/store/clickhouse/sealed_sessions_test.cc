// The ClickHouse store's sealed sessions (docs/adr/0012): which days it
// seals, and how late events and deletions send a day back to its events
// until it is sealed again. That reports answer alike either way is the
// conformance suite's PreAggregationChangesNoAnswer.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "core/http_client.h"
#include "store/clickhouse/clickhouse_event_store.h"
#include "store/clickhouse/reports.h"
#include "store/testing/clickhouse.h"
#include "store/testing/synthetic_traffic.h"
#include "store/testing/temp_dir.h"

namespace datafast::store {
namespace {

constexpr int64_t kDay = 86'400'000'000;

class SealedSessionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = testing::ClickHouseDatabaseFor(dir_);
    ASSERT_TRUE(url.ok()) << url.status().message();
    // clickhouse://host:port/database → the HTTP endpoint and database.
    std::string rest = url->substr(std::string("clickhouse://").size());
    http_ = "http://" + rest.substr(0, rest.find('/')) + "/?database=" + rest.substr(rest.find('/') + 1);
    auto store = OpenClickHouseEventStore(*url);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    int64_t now =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    // The last day over and quiet for two hours.
    last_due_ = (now - 2 * 3'600'000'000LL) / kDay - 1;
    events_ = testing::SyntheticTraffic("dfid_s", 60, 5, (last_due_ - 9) * 86'400, 11);
  }

  // The first field of the first row `sql` answers, as text.
  std::string Scalar(const std::string& sql) {
    auto answer = core::HttpExchange("ClickHouse", "POST", http_, {}, sql + " FORMAT TabSeparated");
    EXPECT_TRUE(answer.ok() && answer->status == 200) << sql << ": " << (answer.ok() ? answer->body : "");
    if (!answer.ok()) return "";
    return answer->body.substr(0, answer->body.find_first_of("\t\n"));
  }

  // Waits for ClickHouse's clock to reach the next second: marks and seals
  // are ordered by whole seconds, and a seal in the same second as a mark
  // does not count as after it.
  std::string NextSecond() {
    std::string now = Scalar("SELECT toUnixTimestamp(now())");
    std::string next;
    while ((next = Scalar("SELECT toUnixTimestamp(now())")) == now) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return next;
  }

  // Runs `sql`, which answers nothing.
  void Execute(const std::string& sql) {
    auto answer = core::HttpExchange("ClickHouse", "POST", http_, {}, sql);
    ASSERT_TRUE(answer.ok() && answer->status == 200) << sql << ": " << (answer.ok() ? answer->body : "");
  }

  // Appends the traffic, all of it late (older than an hour), and seals it.
  void AppendAndSeal() {
    ASSERT_TRUE(store_->Append(events_).ok());
    NextSecond();
    Report();
  }

  // Any report: each seals the days that are due first.
  void Report() {
    auto m = store_->Summarize({{"dfid_s"}, 0, (last_due_ + 2) * kDay, {}, "", ""});
    ASSERT_TRUE(m.ok()) << m.status().message();
  }

  // Each session's first event among those from `from` on.
  std::map<std::string, int64_t> SessionStarts(int64_t from = 0) const {
    std::map<std::string, int64_t> starts;
    for (const Event& e : events_) {
      if (e.type == EventType::kRevenue || e.ts_micros < from) continue;
      auto [it, added] = starts.emplace(e.session_id, e.ts_micros);
      if (!added) it->second = std::min(it->second, e.ts_micros);
    }
    return starts;
  }

  testing::TempDir dir_;
  std::string http_;
  std::unique_ptr<EventStore> store_;
  int64_t last_due_ = 0;
  std::vector<Event> events_;
};

TEST_F(SealedSessionsTest, HoldEverySessionOfTheDaysThatAreOverAndNoOther) {
  ASSERT_TRUE(store_->Append(events_).ok());
  EXPECT_EQ(Scalar("SELECT count() FROM sessions"), "0");
  NextSecond();
  Report();
  size_t sealed = 0;
  for (const auto& [session, start] : SessionStarts()) sealed += start / kDay <= last_due_;
  ASSERT_GT(sealed, 0u);
  EXPECT_EQ(Scalar("SELECT count() FROM sessions WHERE site_id = 'dfid_s'"), std::to_string(sealed));
  EXPECT_EQ(Scalar("SELECT max(day) FROM sessions WHERE site_id = ''"), std::to_string(last_due_));
  EXPECT_EQ(Scalar("SELECT countIf(intDiv(start_ts, " + std::to_string(kDay) +
                   ") != day) FROM sessions WHERE "
                   "site_id != ''"),
            "0");
  // Pages, hostnames and goals are kept with their session.
  auto starts = SessionStarts();
  size_t pageviews = 0, goals = 0;
  for (const Event& e : events_) {
    if (e.type == EventType::kRevenue || starts.at(e.session_id) / kDay > last_due_) continue;
    pageviews += e.type == EventType::kPageview;
    goals += e.type == EventType::kGoal;
  }
  EXPECT_EQ(Scalar("SELECT sum(pageviews) FROM sessions"), std::to_string(pageviews));
  EXPECT_EQ(Scalar("SELECT sum(length(pages)) FROM sessions"), std::to_string(pageviews));
  EXPECT_EQ(Scalar("SELECT sum(length(hostnames)) FROM sessions"), std::to_string(pageviews));
  EXPECT_EQ(Scalar("SELECT sum(length(goals)) FROM sessions"), std::to_string(goals));
  // Once sealed after the marks of the late traffic, nothing is left to seal.
  std::string sealed_at = Scalar("SELECT max(sealed_at) FROM sessions");
  NextSecond();
  Report();
  EXPECT_EQ(Scalar("SELECT max(sealed_at) FROM sessions"), sealed_at);
}

TEST_F(SealedSessionsTest, ALateEventSealsItsSessionsDaysAgain) {
  AppendAndSeal();
  // A session of a sealed day gets an event a day before its first.
  auto starts = SessionStarts();
  auto moved =
      std::find_if(starts.begin(), starts.end(), [&](const auto& s) { return s.second / kDay == last_due_ - 3; });
  ASSERT_NE(moved, starts.end());
  Event late =
      *std::find_if(events_.begin(), events_.end(), [&](const Event& e) { return e.session_id == moved->first; });
  late.event_id = "late-1";
  late.ts_micros = moved->second - kDay;
  std::string before = NextSecond();
  ASSERT_TRUE(store_->Append(std::span(&late, 1)).ok());
  std::string old_day = std::to_string(last_due_ - 3), new_day = std::to_string(last_due_ - 4);
  EXPECT_EQ(Scalar("SELECT arraySort(groupUniqArray(day)) FROM session_marks WHERE marked_at >= " + before),
            "[" + new_day + "," + old_day + "]");
  EXPECT_EQ(Scalar("SELECT day FROM sessions WHERE session_id = '" + moved->first + "'"), old_day);

  NextSecond();
  Report();
  EXPECT_EQ(Scalar("SELECT day FROM sessions WHERE session_id = '" + moved->first + "'"), new_day);
  EXPECT_EQ(Scalar("SELECT count() FROM sessions WHERE session_id = '" + moved->first + "'"), "1");
  // Both days were read after their marks.
  EXPECT_EQ(Scalar("SELECT count() FROM (SELECT day, max(sealed_at) AS s FROM sessions WHERE site_id = '' GROUP BY "
                   "day) WHERE s <= (SELECT max(marked_at) FROM session_marks) AND day IN (" +
                   new_day + ", " + old_day + ")"),
            "0");
}

TEST_F(SealedSessionsTest, AnErasureDeletesTheVisitorsSealedSessionsAtOnce) {
  AppendAndSeal();
  ASSERT_NE(Scalar("SELECT count() FROM sessions WHERE visitor_id = 'v3'"), "0");
  ASSERT_GT(*store_->DeleteVisitorEvents("dfid_s", "v3"), 0u);
  EXPECT_EQ(Scalar("SELECT count() FROM sessions WHERE visitor_id = 'v3'"), "0");
}

TEST_F(SealedSessionsTest, RetentionDeletesTheSessionsBeforeItsCut) {
  AppendAndSeal();
  int64_t cut = (last_due_ - 5) * kDay + 12 * 3'600'000'000LL;
  ASSERT_GT(*store_->DeleteEventsBefore("dfid_s", cut), 0u);
  // Only days that had events are marked.
  EXPECT_EQ(Scalar("SELECT countIf(day < " + std::to_string(last_due_ - 9) + ") FROM session_marks"), "0");
  EXPECT_EQ(Scalar("SELECT count() FROM sessions WHERE site_id = 'dfid_s' AND start_ts < " + std::to_string(cut)), "0");
  NextSecond();
  Report();
  // Sessions cut in two begin anew at their first event after the cut.
  size_t kept = 0;
  for (const auto& [session, start] : SessionStarts(cut)) kept += start / kDay <= last_due_;
  EXPECT_EQ(Scalar("SELECT count() FROM sessions WHERE site_id = 'dfid_s'"), std::to_string(kept));
}

TEST_F(SealedSessionsTest, ASealDropsTheStagingTablesThatKilledSealsLeft) {
  int64_t now = std::stoll(Scalar("SELECT toUnixTimestamp(now())"));
  // As seals name them: killed two days ago, still sealing (another
  // instance), and from before the names had a time.
  std::string killed = "sessions_seal_" + std::to_string(now - 2 * 86'400) + "_1";
  std::string sealing = "sessions_seal_" + std::to_string(now - 60) + "_2";
  std::string untimed = "sessions_seal_12345";
  for (const std::string& table : {killed, sealing, untimed})
    Execute("CREATE TABLE " + table + " AS sessions ENGINE = Memory");
  AppendAndSeal();
  EXPECT_EQ(Scalar("SELECT arrayStringConcat(groupArray(name), ',') FROM (SELECT name FROM system.tables WHERE "
                   "database = currentDatabase() AND startsWith(name, 'sessions_seal_') ORDER BY name)"),
            sealing);
}

TEST_F(SealedSessionsTest, ItemsCountedInSharesOfTheirVisitorsAddUpToTheirEvents) {
  AppendAndSeal();
  clickhouse::QueryFn query = [this](const std::string& sql) -> Result<clickhouse::Rows> {
    auto answer = core::HttpExchange("ClickHouse", "POST", http_, {}, sql + " FORMAT TabSeparated");
    if (!answer.ok()) return answer.status();
    if (answer->status != 200) return Status::Internal(answer->body);
    return clickhouse::ReadTabSeparated(answer->body);
  };
  // Each page's and goal's visitors, sessions and views, from the events.
  struct Counts {
    std::set<std::string> visitors, sessions;
    uint64_t views = 0;
  };
  std::map<std::string, Counts> pages, goals;
  for (const Event& e : events_) {
    if (e.type != EventType::kPageview && e.type != EventType::kGoal) continue;
    Counts& c = e.type == EventType::kPageview ? pages[e.pathname] : goals[e.goal_name];
    c.visitors.insert(e.visitor_id);
    c.sessions.insert(e.session_id);
    ++c.views;
  }
  constexpr uint64_t kShare = 40;
  ASSERT_GT(SessionStarts().size(), 3 * kShare);
  ASSERT_FALSE(goals.empty());
  ReportScope scope{{"dfid_s"}, 0, (last_due_ + 2) * kDay, {}, "", ""};
  // Every session from its events, and the sealed days from their rows.
  for (const clickhouse::SealedSpans& sealed :
       {clickhouse::SealedSpans{}, clickhouse::SealedSpans{{0, (last_due_ + 1) * kDay}}}) {
    for (auto [dimension, expected] : {std::pair{query::Dimension::kPage, &pages}, {query::Dimension::kGoal, &goals}}) {
      auto whole = clickhouse::Breakdown(query, scope, sealed, dimension, 1000, 0);
      auto shared = clickhouse::Breakdown(query, scope, sealed, dimension, 1000, 0, kShare);
      ASSERT_TRUE(whole.ok()) << whole.status().message();
      ASSERT_TRUE(shared.ok()) << shared.status().message();
      EXPECT_EQ(shared->rows, whole->rows);
      ASSERT_EQ(shared->rows.size(), expected->size());
      for (const BreakdownRow& row : shared->rows) {
        const Counts& c = expected->at(row.value);
        EXPECT_EQ(row.metrics.visitors, c.visitors.size()) << row.value;
        EXPECT_EQ(row.metrics.sessions, c.sessions.size()) << row.value;
        EXPECT_EQ(dimension == query::Dimension::kGoal ? row.metrics.completions : row.metrics.pageviews, c.views)
            << row.value;
      }
    }
  }
}

}  // namespace
}  // namespace datafast::store
