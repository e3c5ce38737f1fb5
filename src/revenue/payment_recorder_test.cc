#include "revenue/payment_recorder.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "core/metrics.h"
#include "ingest/ingest_log.h"
#include "store/duckdb/duckdb_event_store.h"
#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::revenue {
namespace {

constexpr int64_t kDay = 86'400'000'000;
constexpr int64_t kNow = 1'790'000'000'000'000;  // 2026-09-21
constexpr char kSite[] = "dfid_aaaaaaaaaaaaaaaa";

// Real stores and a real writer in a temporary directory.
class PaymentRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    meta_ = std::move(*store::OpenSqliteMetaStore(dir_.File("meta.sqlite")));
    events_ = std::move(*store::OpenDuckDbEventStore(dir_.File("events.duckdb")));
    log_ = std::move(*ingest::IngestLog::Open(dir_.File("log")));
    writer_ = std::make_unique<ingest::EventWriter>(*events_, *log_, ingest::EventWriter::Options{}, metrics_);
    site_ = store::Site{kSite, "shop.example", "UTC", "USD", {}, 1, "", 730, 30};
    ASSERT_TRUE(meta_->CreateSite(site_).ok());
    recorder_ = std::make_unique<PaymentRecorder>(
        PaymentRecorder::Deps{meta_.get(), events_.get(), writer_.get(), &clock_, "test-email-key"});
  }

  // A session of `visitor` starting at `ts` from `channel`.
  void Visit(const std::string& visitor, const std::string& session, int64_t ts, const std::string& channel,
             const std::string& path = "/") {
    for (int i = 0; i < 2; ++i) {
      store::Event e;
      e.event_id = session + "-" + std::to_string(i);
      e.site_id = kSite;
      e.ts_micros = ts + i * 60'000'000;
      e.visitor_id = visitor;
      e.session_id = session;
      e.hostname = "shop.example";
      e.pathname = i == 0 ? path : "/checkout";
      e.channel = channel;
      e.source = channel == "social" ? "X" : channel == "organic_search" ? "Google" : "";
      e.country = "DE";
      ASSERT_TRUE(writer_->Write({std::move(e)}).ok());
    }
    // In the store, as a visit long before its payment would be.
    ASSERT_TRUE(writer_->Flush().ok());
  }

  PaymentReport Purchase(std::string tx, int64_t cents, int64_t ts) {
    PaymentReport r;
    r.provider = "stripe";
    r.transaction_id = std::move(tx);
    r.amount_minor = cents;
    r.currency = "USD";
    r.ts_micros = ts;
    return r;
  }

  store::Payment Record(const PaymentReport& r) {
    auto outcome = recorder_->Record(site_, r);
    EXPECT_TRUE(outcome.ok()) << outcome.status().message();
    return outcome.ok() ? outcome->payment : store::Payment{};
  }

  // The stored revenue rows of one attribution model, by id.
  std::map<std::string, store::Event> RevenueEvents(std::string_view model = "last") {
    EXPECT_TRUE(writer_->Flush().ok());
    std::map<std::string, store::Event> out;
    EXPECT_TRUE(events_
                    ->ForEachEvent(kSite,
                                   [&](const store::Event& e) {
                                     if (e.type == store::EventType::kRevenue && e.attribution == model) {
                                       out[e.event_id] = e;
                                     }
                                   })
                    .ok());
    return out;
  }

  // Revenue and payments by channel under `model`, over the test's days.
  std::map<std::string, std::pair<int64_t, double>> ByChannel(store::AttributionModel model) {
    EXPECT_TRUE(writer_->Flush().ok());
    store::ReportScope scope{.site_ids = {kSite}, .from_micros = kNow - 90 * kDay, .to_micros = kNow + 90 * kDay};
    scope.attribution = model;
    auto page = events_->Breakdown(scope, query::Dimension::kChannel, 100, 0);
    EXPECT_TRUE(page.ok()) << page.status().message();
    std::map<std::string, std::pair<int64_t, double>> out;
    for (const store::BreakdownRow& row : page->rows) {
      if (row.metrics.revenue_micros != 0) out[row.value] = {row.metrics.revenue_micros, row.metrics.payments};
    }
    return out;
  }

  store::testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  core::ManualClock clock_{kNow};
  std::unique_ptr<store::MetaStore> meta_;
  std::unique_ptr<store::EventStore> events_;
  std::unique_ptr<ingest::IngestLog> log_;
  std::unique_ptr<ingest::EventWriter> writer_;
  store::Site site_;
  std::unique_ptr<PaymentRecorder> recorder_;
};

TEST_F(PaymentRecorderTest, APaymentIsCreditedToTheLastNonDirectSessionInsideTheWindow) {
  Visit("v1", "s-old", kNow - 40 * kDay, "referral");  // outside the 30 days
  Visit("v1", "s-social", kNow - 10 * kDay, "social", "/blog/launch");
  Visit("v1", "s-direct", kNow - 2 * kDay, "direct");
  PaymentReport r = Purchase("cs_1", 4900, kNow);
  r.visitor_id = "v1";
  store::Payment p = Record(r);
  EXPECT_EQ(p.attribution, "metadata");
  EXPECT_EQ(p.session_id, "s-social");
  EXPECT_EQ(p.site_amount_micros, 49'000'000);
  EXPECT_TRUE(p.event_written);

  auto events = RevenueEvents();
  ASSERT_EQ(events.size(), 1u);
  const store::Event& e = events.at(p.id);
  EXPECT_EQ(e.revenue_micros, 49'000'000);
  EXPECT_EQ(e.channel, "social");
  EXPECT_EQ(e.source, "X");
  EXPECT_EQ(e.pathname, "/blog/launch");  // the session's entry page
  EXPECT_EQ(e.country, "DE");
  EXPECT_EQ(e.visitor_id, "v1");
  EXPECT_EQ(e.payment_id, "cs_1");
  EXPECT_EQ(e.ts_micros, kNow);

  // A window of 7 days leaves only the direct session.
  site_.attribution_window_days = 7;
  PaymentReport second = Purchase("cs_2", 1000, kNow);
  second.visitor_id = "v1";
  EXPECT_EQ(Record(second).session_id, "s-direct");
}

TEST_F(PaymentRecorderTest, FirstTouchAndLinearModelsShareThePaymentAmongTheNonDirectVisits) {
  using enum store::AttributionModel;
  Visit("v1", "s-old", kNow - 40 * kDay, "referral");  // outside the window
  Visit("v1", "s-google", kNow - 20 * kDay, "organic_search");
  Visit("v1", "s-direct", kNow - 15 * kDay, "direct");
  Visit("v1", "s-x", kNow - 10 * kDay, "social");
  Visit("v1", "s-mail", kNow - 5 * kDay, "email");
  PaymentReport r = Purchase("cs_1", 10000, kNow - 4 * kDay);
  r.visitor_id = "v1";
  r.subscription_id = "sub_1";
  store::Payment p = Record(r);
  EXPECT_EQ(p.session_id, "s-mail");
  EXPECT_EQ(p.touch_session_ids, (std::vector<std::string>{"s-google", "s-x", "s-mail"}));

  EXPECT_EQ(RevenueEvents("last").at(p.id).session_id, "s-mail");
  EXPECT_EQ(RevenueEvents("first").at(p.id + ".first").session_id, "s-google");
  EXPECT_EQ(RevenueEvents("first").at(p.id + ".first").channel, "organic_search");
  auto linear = RevenueEvents("linear");
  ASSERT_EQ(linear.size(), 3u);
  // 100.00 in three: the shares add up to the whole, to the millionth.
  EXPECT_EQ(linear.at(p.id + ".linear.0").revenue_micros, 33'333'334);
  EXPECT_EQ(linear.at(p.id + ".linear.0").credit_micros, 333'334);
  EXPECT_EQ(linear.at(p.id + ".linear.1").revenue_micros, 33'333'333);
  EXPECT_EQ(linear.at(p.id + ".linear.2").session_id, "s-mail");
  EXPECT_EQ(linear.at(p.id + ".linear.2").credit_micros, 333'333);

  using Row = std::pair<int64_t, double>;
  EXPECT_EQ(ByChannel(kLastTouch), (std::map<std::string, Row>{{"email", {100'000'000, 1.0}}}));
  EXPECT_EQ(ByChannel(kFirstTouch), (std::map<std::string, Row>{{"organic_search", {100'000'000, 1.0}}}));
  auto shared = ByChannel(kLinear);
  ASSERT_EQ(shared.size(), 3u);
  EXPECT_EQ(shared.at("organic_search").first, 33'333'334);
  EXPECT_DOUBLE_EQ(shared.at("social").second, 0.333333);
  EXPECT_EQ(shared.at("email").first + shared.at("social").first + shared.at("organic_search").first, 100'000'000);

  // A renewal is shared as its first payment was, and a refund of it as the
  // renewal was; a visit since changes neither.
  Visit("v1", "s-later", kNow - kDay, "paid");
  PaymentReport renewal = Purchase("in_2", 10000, kNow);
  renewal.kind = PaymentKind::kRenewal;
  renewal.subscription_id = "sub_1";
  store::Payment p2 = Record(renewal);
  EXPECT_EQ(p2.touch_session_ids, p.touch_session_ids);
  PaymentReport refund = Purchase("re_1", 3000, kNow + 1);
  refund.kind = PaymentKind::kRefund;
  refund.refunded_transaction_id = "in_2";
  Record(refund);
  shared = ByChannel(kLinear);
  EXPECT_EQ(shared.size(), 3u);
  EXPECT_EQ(shared.at("organic_search").first, 2 * 33'333'334 - 10'000'000);
  EXPECT_EQ(shared.at("email").first, 2 * 33'333'333 - 10'000'000);
  EXPECT_DOUBLE_EQ(shared.at("email").second, 0.666666);  // the refund is no payment
  EXPECT_EQ(ByChannel(kFirstTouch).at("organic_search"), Row(170'000'000, 2.0));
}

TEST_F(PaymentRecorderTest, VisitorsAreFoundByIdentityCustomerOrEmailAndNeverGuessed) {
  Visit("v-identified", "s1", kNow - kDay, "organic_search");
  Visit("v-buyer", "s2", kNow - kDay, "email");
  ASSERT_TRUE(meta_->Identify(kSite, "user_7", "", "v-identified", kNow).ok());

  PaymentReport identified = Purchase("o-1", 100, kNow);
  identified.customer_id = "user_7";
  store::Payment p1 = Record(identified);
  EXPECT_EQ(p1.visitor_id, "v-identified");
  EXPECT_EQ(p1.attribution, "identified");
  EXPECT_EQ(p1.session_id, "s1");

  PaymentReport first = Purchase("o-2", 100, kNow);
  first.visitor_id = "v-buyer";
  first.customer_id = "cus_9";
  first.email = "Ada@Example.com ";
  Record(first);
  PaymentReport by_customer = Purchase("o-3", 100, kNow);
  by_customer.customer_id = "cus_9";
  EXPECT_EQ(Record(by_customer).attribution, "customer");
  PaymentReport by_email = Purchase("o-4", 100, kNow);
  by_email.email = "ada@example.com";
  store::Payment p4 = Record(by_email);
  EXPECT_EQ(p4.attribution, "email");
  EXPECT_EQ(p4.visitor_id, "v-buyer");
  EXPECT_EQ(p4.session_id, "s2");
  EXPECT_EQ(p4.email_hash.size(), 64u);  // a hash, never the address

  store::Payment anonymous = Record(Purchase("o-5", 100, kNow));
  EXPECT_EQ(anonymous.attribution, "none");
  EXPECT_EQ(anonymous.visitor_id, "");
  EXPECT_EQ(RevenueEvents().at(anonymous.id).channel, "");
}

TEST_F(PaymentRecorderTest, TheSameTransactionIsOnePaymentEvenDelivered20TimesAtOnce) {
  Visit("v1", "s1", kNow - kDay, "social");
  PaymentReport r = Purchase("evt-dup", 2500, kNow);
  r.visitor_id = "v1";
  std::atomic<int> fresh{0}, duplicates{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&] {
      auto outcome = recorder_->Record(site_, r);
      ASSERT_TRUE(outcome.ok()) << outcome.status().message();
      (outcome->duplicate ? duplicates : fresh)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fresh.load(), 1);
  EXPECT_EQ(duplicates.load(), 19);
  EXPECT_EQ(meta_->ListPayments({.site_id = kSite})->size(), 1u);
  EXPECT_EQ(RevenueEvents().size(), 1u);
}

TEST_F(PaymentRecorderTest, RenewalsAreCreditedToTheFirstPaymentsSession) {
  Visit("v1", "s-ad", kNow - 20 * kDay, "paid");
  PaymentReport first = Purchase("in_1", 1900, kNow - 19 * kDay);
  first.visitor_id = "v1";
  first.subscription_id = "sub_1";
  first.monthly_amount_minor = 1900;
  store::Payment p1 = Record(first);
  ASSERT_EQ(p1.session_id, "s-ad");
  Visit("v1", "s-later", kNow - kDay, "social");  // a later visit does not take the renewal
  PaymentReport renewal = Purchase("in_2", 1900, kNow);
  renewal.kind = PaymentKind::kRenewal;
  renewal.subscription_id = "sub_1";
  store::Payment p2 = Record(renewal);
  EXPECT_EQ(p2.attribution, "renewal");
  EXPECT_EQ(p2.session_id, "s-ad");
  EXPECT_EQ(RevenueEvents().at(p2.id).channel, "paid");
}

TEST_F(PaymentRecorderTest, ARefundBeforeItsPaymentWaitsAndRunningTotalsBookOnlyWhatIsNew) {
  Visit("v1", "s1", kNow - kDay, "social");
  PaymentReport refund;
  refund.provider = "stripe";
  refund.kind = PaymentKind::kRefund;
  refund.transaction_id = "ch_1:refund:500";
  refund.refunded_transaction_id = "pi_1";
  refund.refund_total = true;
  refund.amount_minor = 500;
  refund.currency = "usd";
  refund.ts_micros = kNow + 10;
  store::Payment r1 = Record(refund);
  EXPECT_FALSE(r1.event_written);
  EXPECT_TRUE(RevenueEvents().empty());

  PaymentReport purchase = Purchase("cs_1", 2000, kNow);
  purchase.visitor_id = "v1";
  purchase.aliases = {"pi_1"};
  store::Payment p = Record(purchase);
  auto events = RevenueEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events.at(r1.id).revenue_micros, -5'000'000);
  EXPECT_EQ(events.at(r1.id).channel, "social");  // where the payment was credited
  auto settled = meta_->FindPayment(kSite, "stripe", "ch_1:refund:500");
  EXPECT_EQ((*settled)->refunds_payment_id, p.id);

  // A second partial refund arrives as the new total: 800 books 300.
  refund.transaction_id = "ch_1:refund:800";
  refund.amount_minor = 800;
  store::Payment r2 = Record(refund);
  EXPECT_EQ(r2.amount_minor, 300);
  EXPECT_EQ(RevenueEvents().at(r2.id).revenue_micros, -3'000'000);
  // The same total again books nothing.
  refund.transaction_id = "ch_1:refund:800-again";
  EXPECT_TRUE(recorder_->Record(site_, refund)->duplicate);
  int64_t net = 0;
  for (const auto& [id, e] : RevenueEvents()) net += e.revenue_micros;
  EXPECT_EQ(net, 12'000'000);
}

TEST_F(PaymentRecorderTest, AForeignCurrencyWaitsForARateAndIsConvertedOnItsDate) {
  PaymentReport eur = Purchase("o-eur", 1000, kNow);  // 10.00 EUR
  eur.currency = "EUR";
  store::Payment p = Record(eur);
  EXPECT_FALSE(p.converted);
  EXPECT_TRUE(RevenueEvents().empty());
  ASSERT_TRUE(meta_->PutExchangeRates({{"2026-09-01", "EUR", 0.8}, {"2026-09-30", "EUR", 0.5}}).ok());
  EXPECT_EQ(*recorder_->SettlePending(), 1u);
  auto events = RevenueEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events.at(p.id).revenue_micros, 12'500'000);  // 10 / 0.8 USD, the rate of 1 September
  auto stored = meta_->FindPayment(kSite, "stripe", "o-eur");
  EXPECT_EQ((*stored)->amount_minor, 1000);  // the original amount is kept
  EXPECT_EQ((*stored)->currency, "EUR");
  EXPECT_EQ(*recorder_->SettlePending(), 0u);
}

TEST_F(PaymentRecorderTest, SettlingAgainAfterACrashDoesNotDoubleTheRevenueEvent) {
  store::Payment p = Record(Purchase("o-1", 700, kNow));
  // As if the process died after the event was logged, before the mark.
  p.event_written = false;
  ASSERT_TRUE(meta_->UpdatePayment(p).ok());
  EXPECT_EQ(*recorder_->SettlePending(), 1u);
  EXPECT_EQ(RevenueEvents().size(), 1u);
  EXPECT_EQ(RevenueEvents("first").size(), 1u);
  EXPECT_EQ(RevenueEvents("linear").size(), 1u);
}

TEST_F(PaymentRecorderTest, DeletedPaymentsTakeTheirRevenueEventsWithThem) {
  store::Payment keep = Record(Purchase("o-1", 700, kNow));
  store::Payment drop = Record(Purchase("o-2", 900, kNow));
  ASSERT_TRUE(recorder_->Delete(site_, {drop}).ok());
  auto events = RevenueEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events.contains(keep.id));
  EXPECT_EQ(RevenueEvents("first").size(), 1u);
  EXPECT_EQ(RevenueEvents("linear").size(), 1u);
  EXPECT_FALSE(meta_->FindPayment(kSite, "stripe", "o-2")->has_value());
}

TEST(AttributionConfidence, TheSiteNamingTheVisitorIsSurerThanAnInference) {
  EXPECT_EQ(AttributionConfidence("metadata"), "high");
  EXPECT_EQ(AttributionConfidence("identified"), "high");
  EXPECT_EQ(AttributionConfidence("customer"), "medium");
  EXPECT_EQ(AttributionConfidence("email"), "medium");
  EXPECT_EQ(AttributionConfidence("renewal"), "medium");
  EXPECT_EQ(AttributionConfidence("none"), "none");
}

TEST_F(PaymentRecorderTest, BadReportsAreRefusedByName) {
  PaymentReport r = Purchase("", 100, kNow);
  EXPECT_NE(recorder_->Record(site_, r).status().message().find("transaction_id"), std::string::npos);
  r = Purchase("x", -1, kNow);
  EXPECT_EQ(recorder_->Record(site_, r).status().code(), StatusCode::kInvalidArgument);
  r = Purchase("x", 100, kNow);
  r.currency = "dollars";
  EXPECT_NE(recorder_->Record(site_, r).status().message().find("currency"), std::string::npos);
  EXPECT_TRUE(meta_->ListPayments({.site_id = kSite})->empty());
}

}  // namespace
}  // namespace datafast::revenue
