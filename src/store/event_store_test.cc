// Conformance suite for EventStore, instantiated for every backend.
#include "store/event_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <random>
#include <thread>

#include "core/time_zone.h"
#include "store/clickhouse/clickhouse_event_store.h"
#include "store/duckdb/duckdb_event_store.h"
#include "store/testing/clickhouse.h"
#include "store/testing/synthetic_traffic.h"
#include "store/testing/temp_dir.h"

namespace datafast::store {

// Readable failures.
void PrintTo(const Metrics& m, std::ostream* os) {
  *os << "{visitors " << m.visitors << ", sessions " << m.sessions << ", pageviews " << m.pageviews << ", bounces "
      << m.bounces << ", duration " << m.duration_micros << ", revenue " << m.revenue_micros << ", payments "
      << m.payments << ", converted " << m.converted_visitors << ", completions " << m.completions << "}";
}
void PrintTo(const BreakdownRow& row, std::ostream* os) {
  *os << "\n  " << row.value << " (" << row.detail << ") ";
  PrintTo(row.metrics, os);
}
void PrintTo(const BucketRow& bucket, std::ostream* os) {
  *os << "\n  " << bucket.start_seconds << " ";
  PrintTo(bucket.metrics, os);
}

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

// Test names show the backend, not the bytes of the parameter.
void PrintTo(const Backend& backend, std::ostream* out) { *out << backend.name; }

class EventStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  // A backend that cannot open fails each test here, before its body runs.
  void SetUp() override {
    auto store = GetParam().open(dir_);
    ASSERT_TRUE(store.ok()) << store.status().message();
  }

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

  // `count` events of site "s", the i-th with the id e<1,000,000 + i> at
  // ts_of(i).
  static std::vector<Event> NumberedEvents(int count, const std::function<int64_t(int)>& ts_of) {
    std::vector<Event> events(count);
    for (int i = 0; i < count; ++i) {
      events[i].event_id = "e" + std::to_string(1'000'000 + i);
      events[i].site_id = "s";
      events[i].ts_micros = ts_of(i);
    }
    return events;
  }

  // How reading every event of `site` went: how many, and whether each came
  // after the last in (ts, event_id) order and was of `site`.
  struct ReadCheck {
    int seen = 0;
    bool ordered = true;
    bool own_site = true;
  };
  ReadCheck ReadInOrder(EventStore& store, std::string_view site) {
    ReadCheck check;
    Event previous;
    Status s = store.ForEachEvent(site, [&](const Event& e) {
      if (check.seen > 0) {
        check.ordered =
            check.ordered && std::pair(previous.ts_micros, previous.event_id) < std::pair(e.ts_micros, e.event_id);
      }
      check.own_site = check.own_site && e.site_id == site;
      previous = e;
      ++check.seen;
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return check;
  }

  testing::TempDir dir_;
};

TEST_P(EventStoreTest, AppendedEventsReadBackIdentically) {
  auto store = Open();
  ASSERT_TRUE(store);
  // Text any store's format must carry as it is: tabs, line breaks,
  // backslashes, quotes and UTF-8.
  Event odd = MakeEvent("dfid_a", 3'000'000, "/a\tb\\c\nd\r 'e' \"f\" \xc3\xa9g");
  odd.goal_params = R"({"note":"tab\there"})";
  std::vector<Event> events = {MakeEvent("dfid_a", 2'000'000, "/b"), MakeEvent("dfid_a", 1'000'000, "/a"), odd};
  ASSERT_TRUE(store->Append(events).ok());
  auto read = ReadAll(*store, "dfid_a");
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0], events[1]);  // time order
  EXPECT_EQ(read[1], events[0]);
  EXPECT_EQ(read[2], events[2]);
}

// ForEachEvent reads a page at a time within a minute that holds more than
// a page: every event once, in order, across page boundaries that fall
// between events of the same instant.
TEST_P(EventStoreTest, ReadsEveryEventOnceInOrderPageAfterPage) {
  auto store = Open();
  ASSERT_TRUE(store);
  constexpr int kEvents = 230'001;
  auto events = NumberedEvents(kEvents, [](int i) { return 1'000'000 + i / 3; });  // three events per instant
  ASSERT_TRUE(store->Append(events).ok());
  ReadCheck read = ReadInOrder(*store, "s");
  EXPECT_EQ(read.seen, kEvents);
  EXPECT_TRUE(read.ordered);
}

// Over a longer span ForEachEvent reads window after window of whole
// minutes (store/read_windows.h): every event once, in order, whatever
// order they were stored in, the site's alone.
TEST_P(EventStoreTest, ReadsEveryEventOnceInOrderWindowAfterWindow) {
  auto store = Open();
  ASSERT_TRUE(store);
  constexpr int kEvents = 240'000;
  auto events = NumberedEvents(kEvents, [](int i) {
    return int64_t{1'700'000'000} * 1'000'000 + int64_t{i / 2} * 1'000'000;  // two a second
  });
  std::reverse(events.begin(), events.end());  // stored newest first
  ASSERT_TRUE(store->Append(events).ok());
  ASSERT_TRUE(store->Append(std::vector{MakeEvent("other", int64_t{1'700'000'030} * 1'000'000, "/")}).ok());
  ReadCheck read = ReadInOrder(*store, "s");
  EXPECT_EQ(read.seen, kEvents);
  EXPECT_TRUE(read.ordered);
  EXPECT_TRUE(read.own_site);
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
TEST_P(EventStoreTest, SessionStartsAreEachSessionsFirstPageviewInsideTheRange) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto pageview = [](std::string session, int64_t ts, std::string path, std::string channel) {
    Event e = MakeEvent("dfid_a", ts, std::move(path));
    e.event_id = session + "-" + std::to_string(ts);
    e.type = EventType::kPageview;
    e.goal_name = e.goal_params = "";
    e.session_id = std::move(session);
    e.channel = std::move(channel);
    return e;
  };
  Event goal = MakeEvent("dfid_a", 35, "/pricing");  // not a pageview: never a start
  goal.session_id = "s0";
  Event other_visitor = pageview("s9", 25, "/", "paid");
  other_visitor.visitor_id = "v2";
  Event other_site = pageview("s1", 5, "/", "email");
  other_site.site_id = "dfid_b";
  std::vector<Event> events = {pageview("s1", 10, "/blog", "social"),
                               pageview("s1", 30, "/pricing", "social"),
                               pageview("s2", 40, "/", "direct"),
                               pageview("s3", 60, "/docs", "referral"),
                               goal,
                               other_visitor,
                               other_site};
  ASSERT_TRUE(store->Append(events).ok());

  auto starts = store->SessionStarts("dfid_a", "v1", 0, 100);
  ASSERT_TRUE(starts.ok()) << starts.status().message();
  ASSERT_EQ(starts->size(), 3u);
  EXPECT_EQ((*starts)[0], events[0]);
  EXPECT_EQ((*starts)[1].session_id, "s2");
  EXPECT_EQ((*starts)[2].pathname, "/docs");
  // s1 began before the range: its later pageview is no start.
  starts = store->SessionStarts("dfid_a", "v1", 20, 60);
  ASSERT_TRUE(starts.ok());
  ASSERT_EQ(starts->size(), 1u);
  EXPECT_EQ((*starts)[0].session_id, "s2");

  EXPECT_EQ(**store->SessionStart("dfid_a", "s1"), events[0]);
  // First seen counts every kind of event; other sites' are not looked at.
  auto seen = store->FirstSeen("dfid_a", {"v1", "v2", "v-none"});
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(*seen, (std::unordered_map<std::string, int64_t>{{"v1", 10}, {"v2", 25}}));
  EXPECT_TRUE(store->FirstSeen("dfid_b", {"v2"})->empty());
  EXPECT_TRUE(store->FirstSeen("dfid_a", {})->empty());
  // Cohorts by first visit: v1 first came at 10, v2 at 25.
  EXPECT_EQ(*store->NewVisitors("dfid_a", {0, 20, 30, 40}), (std::vector<uint64_t>{1, 1, 0}));
  EXPECT_EQ(*store->NewVisitors("dfid_a", {11, 100}), (std::vector<uint64_t>{1}));  // v1 is not new after 10
  EXPECT_TRUE(store->NewVisitors("dfid_a", {5})->empty());
  EXPECT_FALSE(store->SessionStart("dfid_a", "s0")->has_value());
  EXPECT_FALSE(store->SessionStart("dfid_b", "s2")->has_value());
}

TEST_P(EventStoreTest, RevenueEventsAreDeletedByIdWithinTheirSite) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto revenue = [](std::string site, std::string id, int64_t ts) {
    Event e = MakeEvent(std::move(site), ts, "/");
    e.event_id = std::move(id);
    e.type = EventType::kRevenue;
    e.revenue_micros = 29'000'000;
    return e;
  };
  ASSERT_TRUE(store
                  ->Append(std::vector<Event>{revenue("dfid_a", "pay_1", 10), revenue("dfid_a", "pay_2", 20),
                                              revenue("dfid_b", "pay_3", 30), MakeEvent("dfid_a", 40, "/x")})
                  .ok());
  EXPECT_EQ(*store->DeleteRevenueEvents("dfid_a", {"pay_1", "pay_3", "pay_9"}), 1u);
  EXPECT_EQ(*store->CountEvents("dfid_a"), 2u);
  EXPECT_EQ(*store->CountEvents("dfid_b"), 1u);
  EXPECT_EQ(*store->DeleteRevenueEvents("dfid_a", {}), 0u);
}

TEST_P(EventStoreTest, ReportsFollowErasureAndRetention) {
  auto pageview = [](std::string visitor, int64_t ts, std::string path) {
    Event e = MakeEvent("dfid_a", ts, std::move(path));
    e.type = EventType::kPageview;
    e.visitor_id = visitor;
    e.session_id = "session-of-" + visitor;
    return e;
  };
  const ReportScope all{{"dfid_a"}, 0, 1'000'000'000, {}, "", ""};
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
  const ReportScope all{{"dfid_a"}, 0, 1'000'000'000, {}, "", ""};
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

// Expects every report on `site` from `store`, given the time zone hint, to
// answer as `reference` does without it, over each [from, to) of `ranges`.
void ExpectAnswersAsReference(EventStore& store, EventStore& reference, const std::string& site,
                              const std::string& zone_name, const std::vector<std::pair<int64_t, int64_t>>& ranges,
                              const std::string& when) {
  auto zone = core::TimeZone::Load(zone_name);
  ASSERT_TRUE(zone.ok());
  for (const auto& [from, to] : ranges) {
    for (std::string goal : {"", "signup"}) {
      SCOPED_TRACE(when + ": [" + std::to_string(from) + ", " + std::to_string(to) + ") goal " + goal);
      ReportScope raw{{site}, from, to, {}, goal, ""};
      ReportScope hinted = raw;
      hinted.time_zone = zone_name;
      auto a = reference.Summarize(raw);
      auto b = store.Summarize(hinted);
      ASSERT_TRUE(a.ok() && b.ok()) << a.status().message() << b.status().message();
      EXPECT_EQ(*a, *b);
      EXPECT_GT(a->sessions, 0u);
      for (int d = 0; d <= static_cast<int>(query::Dimension::kGoal); ++d) {
        auto dimension = static_cast<query::Dimension>(d);
        if (!goal.empty() && d % 5 != 0) continue;  // a sample is enough for the goal
        auto rows = reference.Breakdown(raw, dimension, 1000, 0);
        auto hinted_rows = store.Breakdown(hinted, dimension, 1000, 0);
        ASSERT_TRUE(rows.ok() && hinted_rows.ok()) << rows.status().message() << hinted_rows.status().message();
        EXPECT_EQ(rows->rows, hinted_rows->rows) << query::ToString(dimension);
        EXPECT_EQ(rows->total_rows, hinted_rows->total_rows) << query::ToString(dimension);
      }
      auto offsets = core::OffsetSpans(*zone, from / 1'000'000, to / 1'000'000 + 1);
      for (query::Interval interval : {query::Interval::kDay, query::Interval::kWeek, query::Interval::kMonth}) {
        auto buckets = reference.Timeseries(raw, interval, offsets);
        auto hinted_buckets = store.Timeseries(hinted, interval, offsets);
        ASSERT_TRUE(buckets.ok() && hinted_buckets.ok())
            << buckets.status().message() << hinted_buckets.status().message();
        EXPECT_EQ(*buckets, *hinted_buckets) << static_cast<int>(interval);
      }
    }
  }
}

// A backend may pre-aggregate (DuckDB's rollups by the sites' own time
// zone, ReportScope::time_zone; ClickHouse's sealed days), but that never
// changes an answer: every report equals what a DuckDB store given the same
// events answers from its sessions, without the hint. Not while events
// arrive out of order, nor for today, nor after an erasure, retention, a
// change of the site's zone or a reopen.
TEST_P(EventStoreTest, PreAggregationChangesNoAnswer) {
  auto events = testing::SyntheticTraffic("dfid_r", 150, 7);
  auto other = testing::SyntheticTraffic("dfid_other", 20, 8);
  events.insert(events.end(), other.begin(), other.end());
  // The last week, today included, by some of the same visitors.
  int64_t now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  int64_t today_utc = now_seconds / 86'400;
  auto recent = testing::SyntheticTraffic("dfid_r", 60, 9, (today_utc - 6) * 86'400, 7);
  events.insert(events.end(), recent.begin(), recent.end());
  std::shuffle(events.begin(), events.end(), std::mt19937_64(42));
  auto paris = core::TimeZone::Load("Europe/Paris");
  auto new_york = core::TimeZone::Load("America/New_York");
  ASSERT_TRUE(paris.ok() && new_york.ok());
  // Local midnight `day` days after the traffic starts.
  auto midnight = [](const core::TimeZone& zone, int64_t day) {
    return zone.ToUtc((testing::kTrafficStartSeconds / 86'400 + day) * 86'400) * 1'000'000;
  };
  int64_t today = today_utc - testing::kTrafficStartSeconds / 86'400;
  auto days = [&](const core::TimeZone& zone, std::vector<std::pair<int64_t, int64_t>> spans) {
    std::vector<std::pair<int64_t, int64_t>> out;
    for (auto [from, to] : spans) out.emplace_back(midnight(zone, from), midnight(zone, to));
    return out;
  };
  // All of it; a month across the DST change; the 25-hour day; a week; the
  // last week with today; yesterday and today; and a range that is not
  // whole days.
  auto ranges =
      days(*paris, {{0, today + 1}, {10, 40}, {35, 36}, {50, 57}, {today - 6, today + 1}, {today - 1, today + 1}});
  ranges.emplace_back(midnight(*paris, 3) + 3'600'000'000, midnight(*paris, 9));

  auto store = Open();
  ASSERT_TRUE(store);
  testing::TempDir reference_dir;
  auto reference = OpenDuckDbEventStore(reference_dir.File("events.duckdb"));
  ASSERT_TRUE(reference.ok()) << reference.status().message();
  auto both = [&](const std::function<void(EventStore&)>& step) {
    step(*store);
    step(**reference);
  };
  auto expect_same = [&](const std::string& zone, const std::vector<std::pair<int64_t, int64_t>>& spans,
                         const std::string& when) {
    ExpectAnswersAsReference(*store, **reference, "dfid_r", zone, spans, when);
  };
  size_t third = events.size() / 3;
  both([&](EventStore& s) { ASSERT_TRUE(s.Append(std::span(events).subspan(0, third)).ok()); });
  expect_same("Europe/Paris", {ranges[0], ranges[2]}, "first third");
  both([&](EventStore& s) { ASSERT_TRUE(s.Append(std::span(events).subspan(third, third)).ok()); });
  expect_same("Europe/Paris", {ranges[0], ranges[1]}, "second third");
  both([&](EventStore& s) { ASSERT_TRUE(s.Append(std::span(events).subspan(2 * third)).ok()); });
  expect_same("Europe/Paris", ranges, "all events");

  const Event& payer = *std::find_if(events.begin(), events.end(), [](const Event& e) {
    return e.site_id == "dfid_r" && e.type == EventType::kRevenue;
  });
  both([&](EventStore& s) { ASSERT_GT(*s.DeleteVisitorEvents("dfid_r", payer.visitor_id), 0u); });
  expect_same("Europe/Paris", {ranges[0], ranges[4]}, "after an erasure");
  both([&](EventStore& s) {
    ASSERT_GT(*s.DeleteEventsBefore("dfid_r", midnight(*paris, 5) + 3 * 3'600'000'000LL), 0u);
  });
  expect_same("Europe/Paris", {ranges[0], ranges[1]}, "after retention");

  expect_same("America/New_York", days(*new_york, {{6, today + 1}, {30, 37}, {today - 3, today + 1}}),
              "in the site's new zone");
  store.reset();
  store = Open();
  ASSERT_TRUE(store);
  expect_same("America/New_York", days(*new_york, {{6, today + 1}}), "after a reopen");
}

const Backend kDuckDb{"duckdb",
                      [](const testing::TempDir& dir) { return OpenDuckDbEventStore(dir.File("events.duckdb")); }};
const Backend kClickHouse{"clickhouse", [](const testing::TempDir& dir) -> Result<std::unique_ptr<EventStore>> {
                            auto url = testing::ClickHouseDatabaseFor(dir);
                            if (!url.ok()) return url.status();
                            return OpenClickHouseEventStore(*url);
                          }};

const Backend kClickHouseCluster{"clickhouse_cluster",
                                 [](const testing::TempDir& dir) -> Result<std::unique_ptr<EventStore>> {
                                   auto url = testing::ClickHouseClusterDatabaseFor(dir);
                                   if (!url.ok()) return url.status();
                                   return OpenClickHouseEventStore(*url);
                                 }};

INSTANTIATE_TEST_SUITE_P(Backends, EventStoreTest, ::testing::Values(kDuckDb, kClickHouse, kClickHouseCluster),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace datafast::store
