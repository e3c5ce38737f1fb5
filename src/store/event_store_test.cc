// Conformance suite for EventStore, instantiated for every backend.
#include "store/event_store.h"

#include <gtest/gtest.h>

#include <thread>

#include <functional>

#include "store/duckdb/duckdb_event_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::store {
namespace {

struct Backend {
  std::string name;
  // Opens the store kept in `dir`; opening twice on one dir reopens it.
  std::function<Result<std::unique_ptr<EventStore>>(const testing::TempDir& dir)> open;
};

Event MakeEvent(std::string site, int64_t ts, std::string path) {
  Event e;
  e.event_id = "00000000-0000-4000-8000-" + std::to_string(100000000000 + ts).substr(0, 12);
  e.site_id = std::move(site);
  e.ts_micros = ts;
  e.type = EventType::kGoal;
  e.visitor_id = "v1";
  e.session_id = "s1";
  e.hostname = "example.com";
  e.pathname = std::move(path);
  e.referrer = "https://news.ycombinator.com/item";
  e.referrer_domain = "news.ycombinator.com";
  e.source = "Hacker News";
  e.channel = "social";
  e.utm_source = "hn";
  e.utm_campaign = "launch — été";  // non-ASCII survives the round trip
  e.ref_param = "friend";
  e.goal_name = "signup";
  e.goal_params = R"({"plan":"pro"})";
  e.country = "FR";
  e.region = "Île-de-France";
  e.city = "Paris";
  e.browser = "Firefox";
  e.browser_version = "132";
  e.os = "Linux";
  e.device = "desktop";
  e.screen_width = 1440;
  e.language = "fr-FR";
  return e;
}

class EventStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  std::unique_ptr<EventStore> Open() {
    auto store = GetParam().open(dir_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::vector<Event> ReadAll(EventStore& store, std::string_view site) {
    std::vector<Event> out;
    Status s = store.ForEachEvent(site, [&out](const Event& e) { out.push_back(e); });
    EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }

  testing::TempDir dir_;
};

TEST_P(EventStoreTest, AppendedEventsReadBackIdentically) {
  auto store = Open();
  ASSERT_TRUE(store);
  std::vector<Event> events = {MakeEvent("dfid_a", 2'000'000, "/b"), MakeEvent("dfid_a", 1'000'000, "/a")};
  ASSERT_TRUE(store->Append(events).ok());
  auto read = ReadAll(*store, "dfid_a");
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0], events[1]);  // time order
  EXPECT_EQ(read[1], events[0]);
}

TEST_P(EventStoreTest, SitesAreIsolated) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Append(std::vector{MakeEvent("dfid_a", 1, "/"), MakeEvent("dfid_b", 2, "/")}).ok());
  ASSERT_TRUE(store->Append(std::vector{MakeEvent("dfid_b", 3, "/")}).ok());
  EXPECT_EQ(*store->CountEvents("dfid_a"), 1u);
  EXPECT_EQ(*store->CountEvents("dfid_b"), 2u);
  EXPECT_EQ(*store->CountEvents("dfid_c"), 0u);
  for (const Event& e : ReadAll(*store, "dfid_b")) EXPECT_EQ(e.site_id, "dfid_b");
}

TEST_P(EventStoreTest, CountsEventsInAHalfOpenTimeRange) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store
                  ->Append(std::vector{MakeEvent("dfid_a", 10, "/"), MakeEvent("dfid_a", 20, "/"),
                                       MakeEvent("dfid_a", 30, "/"), MakeEvent("dfid_b", 20, "/")})
                  .ok());
  EXPECT_EQ(*store->CountEventsBetween("dfid_a", 10, 30), 2u);
  EXPECT_EQ(*store->CountEventsBetween("dfid_a", 11, 31), 2u);
  EXPECT_EQ(*store->CountEventsBetween("dfid_a", 0, 10), 0u);
}

TEST_P(EventStoreTest, EventsSurviveReopening) {
  {
    auto store = Open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Append(std::vector{MakeEvent("dfid_a", 5, "/x")}).ok());
  }
  auto reopened = Open();  // runs the migrations again: must be a no-op
  ASSERT_TRUE(reopened);
  auto read = ReadAll(*reopened, "dfid_a");
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].pathname, "/x");
}

TEST_P(EventStoreTest, EmptyAppendIsFine) {
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->Append({}).ok());
  EXPECT_EQ(*store->CountEvents("dfid_a"), 0u);
}

TEST_P(EventStoreTest, ActivityCountsRealAndProbeEventsApartWithTheNewestFirst) {
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->Activity("dfid_a", "/probe", 5)->events, 0u);
  ASSERT_TRUE(store
                  ->Append(std::vector{MakeEvent("dfid_a", 10, "/probe"), MakeEvent("dfid_a", 20, "/one"),
                                       MakeEvent("dfid_a", 30, "/two"), MakeEvent("dfid_b", 40, "/other")})
                  .ok());
  auto activity = store->Activity("dfid_a", "/probe", 2);
  ASSERT_TRUE(activity.ok()) << activity.status().message();
  EXPECT_EQ(activity->events, 2u);
  EXPECT_EQ(activity->probe_events, 1u);
  EXPECT_EQ(activity->first_ts_micros, 20);
  EXPECT_EQ(activity->last_ts_micros, 30);
  ASSERT_EQ(activity->recent.size(), 2u);
  EXPECT_EQ(activity->recent[0].pathname, "/two");
  EXPECT_EQ(activity->recent[1].pathname, "/one");
}

TEST_P(EventStoreTest, DeletionsTakeOnlyWhatTheyName) {
  auto store = Open();
  ASSERT_TRUE(store);
  Event other_visitor = MakeEvent("dfid_a", 3, "/c");
  other_visitor.visitor_id = "v2";
  Event other_site = MakeEvent("dfid_b", 4, "/d");
  ASSERT_TRUE(
      store->Append(std::vector{MakeEvent("dfid_a", 1, "/a"), MakeEvent("dfid_a", 2, "/b"), other_visitor, other_site})
          .ok());
  EXPECT_EQ(*store->DeleteVisitorEvents("dfid_b", "v1"), 1u);  // only dfid_b's v1
  EXPECT_EQ(*store->DeleteVisitorEvents("dfid_a", "v1"), 2u);
  EXPECT_EQ(*store->CountEvents("dfid_a"), 1u);
  EXPECT_EQ(*store->DeleteEventsBefore("dfid_a", 3), 0u);
  EXPECT_EQ(*store->DeleteEventsBefore("dfid_a", 4), 1u);
  ASSERT_TRUE(store->Append(std::vector{MakeEvent("dfid_a", 5, "/e"), MakeEvent("dfid_c", 6, "/f")}).ok());
  EXPECT_EQ(*store->DeleteSiteEvents("dfid_a"), 1u);
  EXPECT_EQ(*store->CountEvents("dfid_a"), 0u);
  EXPECT_EQ(*store->CountEvents("dfid_c"), 1u);
}

// Reports follow deletions at once: an erased visitor is gone from them,
// and a session that lost its first events to retention is counted from
// what is left; after a reopen too.
TEST_P(EventStoreTest, ReportsFollowErasureAndRetention) {
  auto pageview = [](std::string visitor, int64_t ts, std::string path) {
    Event e = MakeEvent("dfid_a", ts, std::move(path));
    e.type = EventType::kPageview;
    e.visitor_id = visitor;
    e.session_id = "session-of-" + visitor;
    return e;
  };
  const ReportScope all{{"dfid_a"}, 0, 1'000'000'000, {}, ""};
  {
    auto store = Open();
    ASSERT_TRUE(store
                    ->Append(std::vector{pageview("v1", 100, "/a"), pageview("v1", 200, "/b"),
                                         pageview("v2", 150, "/a"), pageview("v2", 900, "/c")})
                    .ok());
    auto before = store->Summarize(all);
    ASSERT_TRUE(before.ok()) << before.status().message();
    EXPECT_EQ(before->visitors, 2u);
    EXPECT_EQ(before->pageviews, 4u);

    ASSERT_EQ(*store->DeleteVisitorEvents("dfid_a", "v1"), 2u);
    auto erased = store->Summarize(all);
    EXPECT_EQ(erased->visitors, 1u);
    EXPECT_EQ(erased->sessions, 1u);
    EXPECT_EQ(erased->pageviews, 2u);
    EXPECT_EQ(erased->duration_micros, 750);
  }
  auto store = Open();
  ASSERT_EQ(*store->DeleteEventsBefore("dfid_a", 500), 1u);
  auto kept = store->Summarize(all);
  EXPECT_EQ(kept->sessions, 1u);
  EXPECT_EQ(kept->pageviews, 1u);
  EXPECT_EQ(kept->bounces, 1u);
  auto entry = store->Breakdown(all, query::Dimension::kEntryPage, 10, 0);
  ASSERT_TRUE(entry.ok()) << entry.status().message();
  ASSERT_EQ(entry->rows.size(), 1u);
  EXPECT_EQ(entry->rows[0].value, "/c");
}

// Reports that start together right after an append all see all of it,
// however the backend prepares what they read.
TEST_P(EventStoreTest, ConcurrentReportsSeeEveryAppendedEvent) {
  auto store = Open();
  std::vector<Event> events;
  for (int i = 0; i < 3000; ++i) {
    Event e = MakeEvent("dfid_a", 1'000 + i, "/p");
    e.type = EventType::kPageview;
    e.event_id = "e" + std::to_string(i);
    e.visitor_id = "v" + std::to_string(i);
    e.session_id = "s" + std::to_string(i);
    events.push_back(std::move(e));
  }
  ASSERT_TRUE(store->Append(events).ok());
  const ReportScope all{{"dfid_a"}, 0, 1'000'000'000, {}, ""};
  std::vector<std::thread> readers;
  std::vector<uint64_t> seen(6);
  for (size_t r = 0; r < seen.size(); ++r) {
    readers.emplace_back([&, r] {
      auto m = store->Summarize(all);
      seen[r] = m.ok() ? m->sessions : 0;
    });
  }
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(seen, std::vector<uint64_t>(seen.size(), 3000));
}

INSTANTIATE_TEST_SUITE_P(Backends, EventStoreTest,
                         ::testing::Values(Backend{"duckdb",
                                                   [](const testing::TempDir& dir) {
                                                     return OpenDuckDbEventStore(dir.File("events.duckdb"));
                                                   }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace datafast::store
