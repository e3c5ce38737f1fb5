// The ClickHouse store on a cluster (docs/deployment.md, "A ClickHouse
// cluster"): two servers, each a shard, the events split between them by
// site, the sealed sessions replicated to both. Stores talking to either
// server see the same answers, whichever of them wrote, sealed or deleted.
// The conformance suite runs every EventStore test on the cluster too.
#include <gtest/gtest.h>

#include <chrono>

#include "core/http_client.h"
#include "store/clickhouse/clickhouse_event_store.h"
#include "store/testing/clickhouse.h"
#include "store/testing/synthetic_traffic.h"
#include "store/testing/temp_dir.h"

namespace datafast::store {
namespace {

constexpr int64_t kDay = 86'400'000'000;

std::unique_ptr<EventStore> OpenOn(const testing::TempDir& dir, size_t node) {
  auto url = testing::ClickHouseClusterDatabaseFor(dir, node);
  EXPECT_TRUE(url.ok()) << url.status().message();
  if (!url.ok()) return nullptr;
  auto store = OpenClickHouseEventStore(*url);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store).value() : nullptr;
}

// How many events the server `node` holds itself, of the database of `dir`.
uint64_t EventsOn(const testing::TempDir& dir, size_t node) {
  auto url = testing::ClickHouseClusterDatabaseFor(dir, node);
  if (!url.ok()) return 0;
  // clickhouse://host:port/database?cluster=… → http://host:port/?database=…
  std::string rest = url->substr(std::string("clickhouse://").size());
  std::string database = rest.substr(rest.find('/') + 1, rest.find('?') - rest.find('/') - 1);
  auto answer =
      core::HttpExchange("ClickHouse", "POST", "http://" + rest.substr(0, rest.find('/')) + "/?database=" + database,
                         {}, "SELECT count() FROM events_local");
  EXPECT_TRUE(answer.ok() && answer->status == 200);
  return answer.ok() ? std::strtoull(answer->body.c_str(), nullptr, 10) : 0;
}

// Expects every report of `site` up to `to_micros` alike from both stores.
void ExpectSameReports(EventStore& a, EventStore& b, const std::string& site, int64_t to_micros) {
  ReportScope scope{{site}, 0, to_micros, {}, "", ""};
  auto summary_a = a.Summarize(scope);
  auto summary_b = b.Summarize(scope);
  ASSERT_TRUE(summary_a.ok() && summary_b.ok()) << summary_a.status().message() << summary_b.status().message();
  EXPECT_EQ(*summary_a, *summary_b);
  EXPECT_GT(summary_a->sessions, 0u);
  for (int d = 0; d <= static_cast<int>(query::Dimension::kGoal); ++d) {
    auto dimension = static_cast<query::Dimension>(d);
    auto rows_a = a.Breakdown(scope, dimension, 1000, 0);
    auto rows_b = b.Breakdown(scope, dimension, 1000, 0);
    ASSERT_TRUE(rows_a.ok() && rows_b.ok()) << rows_a.status().message() << rows_b.status().message();
    EXPECT_EQ(rows_a->rows, rows_b->rows) << query::ToString(dimension);
  }
}

TEST(ClickHouseCluster, BothServersAnswerAlikeWhicheverWroteSealedOrDeleted) {
  testing::TempDir dir;
  auto first = OpenOn(dir, 0);
  auto second = OpenOn(dir, 1);
  ASSERT_TRUE(first && second);
  int64_t now =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  int64_t today = now / kDay;
  // Several sites, so both shards hold some; past days (sealed) and today.
  for (int site = 0; site < 4; ++site) {
    std::string id = "dfid_c" + std::to_string(site);
    auto events = testing::SyntheticTraffic(id, 30, 20 + site, (today - 8) * 86'400, 9);
    ASSERT_TRUE((site % 2 ? *second : *first).Append(events).ok());
  }
  // Both shards hold some of them, and each store reads them all.
  EXPECT_GT(EventsOn(dir, 0), 0u);
  EXPECT_GT(EventsOn(dir, 1), 0u);
  for (auto* store : {first.get(), second.get()}) {
    uint64_t all = 0;
    for (int site = 0; site < 4; ++site) all += *store->CountEvents("dfid_c" + std::to_string(site));
    EXPECT_EQ(all, EventsOn(dir, 0) + EventsOn(dir, 1));
  }
  for (int site = 0; site < 4; ++site) {
    SCOPED_TRACE(site);
    // The first report, on either server, seals the past days for both.
    ExpectSameReports(site % 2 ? *first : *second, site % 2 ? *second : *first, "dfid_c" + std::to_string(site),
                      (today + 1) * kDay);
  }
  // An erasure through one server is gone for the other, sealed rows too.
  ReportScope all{{"dfid_c0"}, 0, (today + 1) * kDay, {}, "", ""};
  auto before = first->Summarize(all);
  ASSERT_TRUE(before.ok());
  ASSERT_GT(*second->DeleteVisitorEvents("dfid_c0", "v1"), 0u);
  auto after = first->Summarize(all);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->visitors, before->visitors - 1);
  ExpectSameReports(*first, *second, "dfid_c0", (today + 1) * kDay);
}

}  // namespace
}  // namespace datafast::store
