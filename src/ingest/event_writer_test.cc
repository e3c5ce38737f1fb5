#include "ingest/event_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "store/duckdb/duckdb_event_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::ingest {
namespace {

store::Event MakeEvent(int i) {
  store::Event e;
  e.event_id = "id-" + std::to_string(i);
  e.site_id = "dfid_0123456789abcdef";
  e.ts_micros = i;
  e.pathname = "/" + std::to_string(i);
  return e;
}

// Holds every Append until released, so a test can fill the queue behind a
// commit that is still running. Delegates to a real DuckDB store.
class GatedStore final : public store::EventStore {
 public:
  explicit GatedStore(store::EventStore& inner) : inner_(inner) {}
  Status Append(std::span<const store::Event> events) override {
    if (!entered_once_.exchange(true)) entered_.set_value();
    released_.wait();
    return inner_.Append(events);
  }
  Status ForEachEvent(std::string_view site, const std::function<void(const store::Event&)>& fn) override {
    return inner_.ForEachEvent(site, fn);
  }
  Result<uint64_t> CountEvents(std::string_view site) override { return inner_.CountEvents(site); }

  std::promise<void> entered_;  // set when the first batch reaches Append
  std::promise<void> release_;

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
  }
  store::testing::TempDir dir_;
  std::unique_ptr<store::EventStore> store_;
  core::MetricsRegistry metrics_;
};

TEST_F(EventWriterTest, EveryEventIsCommittedBeforeItsCallback) {
  EventWriter writer(*store_, {1000, 64}, metrics_);
  std::atomic<int> ok{0};
  std::vector<std::promise<void>> done(500);
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(writer.Submit(MakeEvent(i), [&, i](const Status& s) {
      // The callback runs after the commit: the event must be readable now.
      if (s.ok()) ++ok;
      done[i].set_value();
    }));
  }
  for (auto& d : done) d.get_future().wait();
  EXPECT_EQ(ok.load(), 500);
  EXPECT_EQ(*store_->CountEvents("dfid_0123456789abcdef"), 500u);
  EXPECT_NE(metrics_.Render().find("datafast_events_accepted_total 500"), std::string::npos);
}

TEST_F(EventWriterTest, FullQueueRefusesInsteadOfGrowing) {
  GatedStore gated(*store_);
  EventWriter writer(gated, {3, 10}, metrics_);
  ASSERT_TRUE(writer.Submit(MakeEvent(0), [](const Status&) {}));
  gated.entered_.get_future().wait();  // event 0 is being committed; the queue is empty
  EXPECT_TRUE(writer.Submit(MakeEvent(1), [](const Status&) {}));
  EXPECT_TRUE(writer.Submit(MakeEvent(2), [](const Status&) {}));
  EXPECT_TRUE(writer.Submit(MakeEvent(3), [](const Status&) {}));
  EXPECT_FALSE(writer.Submit(MakeEvent(4), [](const Status&) { ADD_FAILURE() << "refused event called back"; }));
  EXPECT_EQ(writer.depth(), 3u);
  gated.release_.set_value();
  writer.Stop();
  EXPECT_EQ(*store_->CountEvents("dfid_0123456789abcdef"), 4u);
}

TEST_F(EventWriterTest, StopCommitsEverythingQueued) {
  std::atomic<int> called{0};
  {
    EventWriter writer(*store_, {10000, 100}, metrics_);
    for (int i = 0; i < 2000; ++i) ASSERT_TRUE(writer.Submit(MakeEvent(i), [&](const Status&) { ++called; }));
    writer.Stop();
    EXPECT_FALSE(writer.Submit(MakeEvent(9999), [](const Status&) {}));
  }
  EXPECT_EQ(called.load(), 2000);
  EXPECT_EQ(*store_->CountEvents("dfid_0123456789abcdef"), 2000u);
}

}  // namespace
}  // namespace datafast::ingest
