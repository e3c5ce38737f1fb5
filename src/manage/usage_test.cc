// Usage over real stores: SQLite accounts and sites, DuckDB events.
#include "manage/usage.h"

#include <gtest/gtest.h>

#include "store/duckdb/duckdb_event_store.h"
#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::manage {
namespace {

constexpr int64_t kDay = 86'400LL * 1'000'000;
// 2026-11-26T00:00:00Z
constexpr int64_t kNow = 1'795'651'200'000'000;

class MailBox final : public auth::Mailer {
 public:
  Status Send(const auth::Mail& mail) override {
    sent.push_back(mail);
    return Status::Ok();
  }
  std::string_view delivery() const override { return "log"; }
  std::vector<auth::Mail> sent;
};

class UsageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    meta_ = std::move(*store::OpenSqliteMetaStore(dir_.File("meta.sqlite")));
    events_ = std::move(*store::OpenDuckDbEventStore(dir_.File("events.duckdb")));
    plans_ = std::move(*Plans::Parse(R"([{"id":"starter","name":"Starter","events_per_month":10,"sites":1}])"));
    ASSERT_TRUE(meta_->CreateUser({"usr_1", "owner@example.com", "x", true, 0}).ok());
    ASSERT_TRUE(meta_->CreateAccount({"acc_1", "Acme", "starter", "pause", 0, ""}, "usr_1").ok());
    ASSERT_TRUE(meta_->CreateSite({"dfid_000000000000000a", "a.example", "UTC", "USD", {}, 0, "acc_1", 730}).ok());
  }
  void AddEvents(int n, int64_t ts) {
    std::vector<store::Event> batch;
    for (int i = 0; i < n; ++i) {
      store::Event e;
      e.event_id = "e" + std::to_string(next_id_++);
      e.site_id = "dfid_000000000000000a";
      e.ts_micros = ts;
      batch.push_back(e);
    }
    ASSERT_TRUE(events_->Append(batch).ok());
  }
  store::Account Account() { return **meta_->FindAccount("acc_1"); }

  store::testing::TempDir dir_;
  std::unique_ptr<store::MetaStore> meta_;
  std::unique_ptr<store::EventStore> events_;
  Plans plans_;
  core::ManualClock clock_{kNow};
  MailBox mail_;
  int next_id_ = 0;
};

TEST(MonthOf, IsTheUtcCalendarMonth) {
  Month m = MonthOf(kNow);
  EXPECT_EQ(m.label, "2026-11");
  EXPECT_EQ(m.start_micros, kNow - 25 * kDay);
  EXPECT_EQ(m.end_micros, kNow + 5 * kDay);
  EXPECT_EQ(MonthOf(m.end_micros).label, "2026-12");
  EXPECT_EQ(MonthOf(m.end_micros - 1).label, "2026-11");
}

TEST_F(UsageTest, CountsThisMonthOnlyAndWarnsOnceAtEachLevel) {
  UsageMonitor monitor(*meta_, *events_, plans_, clock_, mail_, "https://df.test");
  AddEvents(50, kNow - 30 * kDay);  // last month: not counted
  AddEvents(7, kNow - kDay);
  auto usage = monitor.UsageOf(Account());
  ASSERT_TRUE(usage.ok()) << usage.status().message();
  EXPECT_EQ(usage->events, 7u);
  EXPECT_DOUBLE_EQ(*usage->percent, 70.0);
  EXPECT_EQ(usage->warning, 0);
  ASSERT_TRUE(monitor.Refresh().ok());
  EXPECT_TRUE(mail_.sent.empty());

  AddEvents(2, kNow);
  ASSERT_TRUE(monitor.Refresh().ok());
  ASSERT_EQ(mail_.sent.size(), 2u);  // 80 % and 90 %, to the owner
  EXPECT_EQ(mail_.sent[0].to, "owner@example.com");
  EXPECT_NE(mail_.sent[1].subject.find("90 %"), std::string::npos);
  ASSERT_TRUE(monitor.Refresh().ok());
  EXPECT_EQ(mail_.sent.size(), 2u);  // not again
  EXPECT_FALSE(monitor.Paused("acc_1"));
}

TEST_F(UsageTest, PausesAtTheLimitWhenTheOwnerChoseToAndResumesNextMonth) {
  UsageMonitor monitor(*meta_, *events_, plans_, clock_, mail_, "https://df.test");
  AddEvents(10, kNow);
  ASSERT_TRUE(monitor.Refresh().ok());
  EXPECT_TRUE(monitor.Paused("acc_1"));
  EXPECT_FALSE(monitor.Paused("acc_2"));
  EXPECT_NE(mail_.sent.back().text.find("tracking is paused"), std::string::npos);

  store::Account keep = Account();
  keep.over_limit = "keep";
  ASSERT_TRUE(meta_->UpdateAccount(keep).ok());
  ASSERT_TRUE(monitor.Refresh().ok());
  EXPECT_FALSE(monitor.Paused("acc_1"));

  store::Account pause = Account();
  pause.over_limit = "pause";
  ASSERT_TRUE(meta_->UpdateAccount(pause).ok());
  ASSERT_TRUE(monitor.Refresh().ok());
  EXPECT_TRUE(monitor.Paused("acc_1"));
  clock_.Advance(6 * kDay);  // December
  ASSERT_TRUE(monitor.Refresh().ok());
  EXPECT_FALSE(monitor.Paused("acc_1"));
}

}  // namespace
}  // namespace datafast::manage
