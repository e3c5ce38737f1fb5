#include "ingest/event_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "store/duckdb/duckdb_event_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::ingest {
namespace {

constexpr const char* kSite = "dfid_0123456789abcdef";

store::Event MakeEvent(int i) {
  store::Event e;
  e.event_id = "id-" + std::to_string(i);
  e.site_id = kSite;
  e.ts_micros = i;
  e.pathname = "/" + std::to_string(i);
  return e;
}

// Holds every Append until released, so a test can watch what happens while
// the store is slow; and, when asked, loses the answer of the next Append
// the store took, as a network can. Delegates to a real DuckDB store.
class GatedStore final : public store::EventStore {
 public:
  explicit GatedStore(store::EventStore& inner) : inner_(inner) {}
  Status Append(std::span<const store::Event> events) override {
    if (!entered_once_.exchange(true)) entered_.set_value();
    released_.wait();
    Status stored = inner_.Append(events);
    if (stored.ok() && lose_next_answer_.exchange(false)) return Status::Unavailable("the answer was lost");
    return stored;
  }
  Status ForEachEvent(std::string_view site, const std::function<void(const store::Event&)>& fn) override {
    return inner_.ForEachEvent(site, fn);
  }
  Result<uint64_t> CountEvents(std::string_view site) override { return inner_.CountEvents(site); }
  Result<uint64_t> CountEventsBetween(std::string_view site, int64_t from, int64_t to) override {
    return inner_.CountEventsBetween(site, from, to);
  }
  Result<std::unordered_set<std::string>> EventIdsBetween(int64_t from, int64_t to) override {
    return inner_.EventIdsBetween(from, to);
  }
  Result<store::SiteActivity> Activity(std::string_view site, std::string_view probe, size_t recent) override {
    return inner_.Activity(site, probe, recent);
  }
  Result<std::vector<store::Event>> SessionStarts(std::string_view site, std::string_view visitor, int64_t from,
                                                  int64_t to) override {
    return inner_.SessionStarts(site, visitor, from, to);
  }
  Result<std::optional<store::Event>> SessionStart(std::string_view site, std::string_view session) override {
    return inner_.SessionStart(site, session);
  }
  Result<std::unordered_map<std::string, int64_t>> FirstSeen(std::string_view site,
                                                             const std::vector<std::string>& visitors) override {
    return inner_.FirstSeen(site, visitors);
  }
  Result<std::vector<uint64_t>> NewVisitors(std::string_view site, const std::vector<int64_t>& boundaries) override {
    return inner_.NewVisitors(site, boundaries);
  }
  Result<uint64_t> DeleteRevenueEvents(std::string_view site, const std::vector<std::string>& ids) override {
    return inner_.DeleteRevenueEvents(site, ids);
  }
  Result<uint64_t> DeleteSiteEvents(std::string_view site) override { return inner_.DeleteSiteEvents(site); }
  Result<uint64_t> DeleteVisitorEvents(std::string_view site, std::string_view visitor) override {
    return inner_.DeleteVisitorEvents(site, visitor);
  }
  Result<uint64_t> DeleteEventsBefore(std::string_view site, int64_t before) override {
    return inner_.DeleteEventsBefore(site, before);
  }
  Result<store::Metrics> Summarize(const store::ReportScope& scope) override { return inner_.Summarize(scope); }
  Result<store::BreakdownPage> Breakdown(const store::ReportScope& scope, query::Dimension dimension, size_t limit,
                                         size_t offset) override {
    return inner_.Breakdown(scope, dimension, limit, offset);
  }
  Result<std::vector<store::BucketRow>> Timeseries(const store::ReportScope& scope, query::Interval interval,
                                                   std::span<const core::OffsetSpan> offsets) override {
    return inner_.Timeseries(scope, interval, offsets);
  }
  Result<store::Realtime> RecentActivity(std::span<const std::string> sites, int64_t since, size_t limit) override {
    return inner_.RecentActivity(sites, since, limit);
  }

  std::promise<void> entered_;  // set when the first load reaches Append
  std::promise<void> release_;
  std::atomic<bool> lose_next_answer_{false};

 private:
  store::EventStore& inner_;
  std::atomic<bool> entered_once_{false};
  std::shared_future<void> released_ = release_.get_future().share();
};

class EventWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenDuckDbEventStore(dir_.File("events.duckdb"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    auto log = IngestLog::Open(dir_.File("log"));
    ASSERT_TRUE(log.ok()) << log.status().message();
    log_ = std::move(*log);
  }
  uint64_t Stored() { return *store_->CountEvents(kSite); }

  store::testing::TempDir dir_;
  std::unique_ptr<store::EventStore> store_;
  std::unique_ptr<IngestLog> log_;
  core::MetricsRegistry metrics_;
};

TEST_F(EventWriterTest, EveryEventIsLoggedBeforeItsCallbackAndLoadedSoonAfter) {
  EventWriter writer(*store_, *log_,
                     {.queue_capacity = 1000, .max_batch = 64, .load_interval = std::chrono::milliseconds(50)},
                     metrics_);
  std::atomic<int> ok{0};
  std::vector<std::promise<void>> done(500);
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(writer.Submit(MakeEvent(i), [&, i](const Status& s) {
      if (s.ok()) ++ok;
      done[i].set_value();
    }));
  }
  for (auto& d : done) d.get_future().wait();
  EXPECT_EQ(ok.load(), 500);
  EXPECT_NE(metrics_.Render().find("datafast_events_accepted_total 500"), std::string::npos);
  // Acknowledged means logged: were the process killed now, recovery would
  // load all 500 (IngestLogTest covers that). The loader catches up alone.
  for (int i = 0; i < 500 && (Stored() < 500 || writer.unloaded() > 0); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(Stored(), 500u);
  EXPECT_EQ(writer.unloaded(), 0u);
}

TEST_F(EventWriterTest, ALoadWhoseAnswerWasLostIsNotStoredTwice) {
  GatedStore store(*store_);
  store.release_.set_value();
  store.lose_next_answer_ = true;
  EventWriter writer(store, *log_, {.load_interval = std::chrono::milliseconds(10)}, metrics_);
  std::vector<store::Event> events;
  for (int i = 0; i < 20; ++i) events.push_back(MakeEvent(i));
  ASSERT_TRUE(writer.Write(std::move(events)).ok());
  // The first load fails as far as the writer knows; its retry finds the
  // events stored and adds none.
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(Stored(), 20u);
  EXPECT_NE(metrics_.Render().find("datafast_event_load_failures_total 1"), std::string::npos) << metrics_.Render();
}

// Submits event `i` and waits for its acknowledgement.
bool Acknowledged(EventWriter& writer, int i) {
  std::promise<Status> done;
  auto outcome = done.get_future();
  if (!writer.Submit(MakeEvent(i), [&](const Status& s) { done.set_value(s); })) return false;
  return outcome.wait_for(std::chrono::seconds(5)) == std::future_status::ready && outcome.get().ok();
}

TEST_F(EventWriterTest, AStoreThatFellBehindLeavesTheBacklogOnDiskOnly) {
  // A store that does not answer: events keep being acknowledged past the
  // queue's capacity, the newest waiting in the log only.
  GatedStore gated(*store_);
  EventWriter writer(gated, *log_, {.queue_capacity = 3, .max_batch = 10, .load_batch = 1}, metrics_);
  ASSERT_TRUE(Acknowledged(writer, 0));
  gated.entered_.get_future().wait();  // event 0 is being loaded
  for (int i = 1; i <= 20; ++i) ASSERT_TRUE(Acknowledged(writer, i)) << i;
  EXPECT_GT(writer.spool_bytes(), 0u);
  EXPECT_EQ(writer.unloaded(), 21u);
  EXPECT_NE(metrics_.Render().find("datafast_ingest_spool_bytes "), std::string::npos);
  // The store returns: the spilled events are read back from the log.
  gated.release_.set_value();
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(Stored(), 21u);
  EXPECT_EQ(writer.spool_bytes(), 0u);
}

TEST_F(EventWriterTest, AFullSpoolRefusesInsteadOfGrowing) {
  GatedStore gated(*store_);
  EventWriter writer(gated, *log_, {.queue_capacity = 3, .max_batch = 10, .load_batch = 1, .spool_capacity_bytes = 1},
                     metrics_);
  ASSERT_TRUE(Acknowledged(writer, 0));
  gated.entered_.get_future().wait();  // event 0 is being loaded
  // Three more wait in memory; the fourth is spilled when it is handed
  // off, which fills the spool.
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(Acknowledged(writer, i)) << i;
  for (int i = 0; i < 200 && writer.spool_bytes() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_GT(writer.spool_bytes(), 0u);
  // Then the writer takes no more: the queue fills and refuses.
  std::atomic<int> later{0};
  for (int i = 5; i <= 7; ++i) EXPECT_TRUE(writer.Submit(MakeEvent(i), [&](const Status&) { ++later; }));
  EXPECT_FALSE(writer.Submit(MakeEvent(8), [](const Status&) { ADD_FAILURE() << "refused event called back"; }));
  EXPECT_EQ(writer.depth(), 3u);
  EXPECT_EQ(later.load(), 0);
  gated.release_.set_value();
  writer.Stop();
  EXPECT_EQ(later.load(), 3);
  EXPECT_EQ(Stored(), 8u);
}

TEST_F(EventWriterTest, FlushLoadsEverythingAcknowledgedAtOnce) {
  EventWriter writer(*store_, *log_, {.load_interval = std::chrono::hours(1)}, metrics_);
  std::promise<void> acknowledged;
  ASSERT_TRUE(writer.Submit(MakeEvent(1), [&](const Status&) { acknowledged.set_value(); }));
  acknowledged.get_future().wait();
  EXPECT_EQ(Stored(), 0u);  // an hour before the next load
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(Stored(), 1u);
  EXPECT_TRUE(writer.Flush().ok());  // nothing new: at once
}

TEST_F(EventWriterTest, StopLogsAndLoadsEverythingQueued) {
  std::atomic<int> called{0};
  {
    EventWriter writer(*store_, *log_,
                       {.queue_capacity = 10000, .max_batch = 100, .load_interval = std::chrono::hours(1)}, metrics_);
    for (int i = 0; i < 2000; ++i) ASSERT_TRUE(writer.Submit(MakeEvent(i), [&](const Status&) { ++called; }));
    writer.Stop();
    EXPECT_FALSE(writer.Submit(MakeEvent(9999), [](const Status&) {}));
  }
  EXPECT_EQ(called.load(), 2000);
  EXPECT_EQ(Stored(), 2000u);
  // Loaded segments are deleted: a recovery now finds nothing to do.
  log_.reset();
  auto recovered = RecoverIngestLog(dir_.File("log"), *store_);
  ASSERT_TRUE(recovered.ok());
  EXPECT_EQ(*recovered, 0u);
}

}  // namespace
}  // namespace datafast::ingest
