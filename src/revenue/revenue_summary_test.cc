#include "revenue/revenue_summary.h"

#include <gtest/gtest.h>

namespace datafast::revenue {
namespace {

constexpr int64_t kDay = 86'400'000'000;
constexpr int64_t kD0 = 1'790'000'000'000'000;
constexpr int64_t kDollar = 1'000'000;

store::Payment Paid(std::string id, std::string kind, int64_t cents, int64_t ts, std::string subscription = "",
                    int64_t monthly_cents = 0) {
  store::Payment p;
  p.id = std::move(id);
  p.provider = "stripe";
  p.transaction_id = p.id;
  p.kind = std::move(kind);
  p.amount_minor = cents;
  p.currency = "USD";
  p.site_amount_micros = (p.kind == "refund" ? -cents : cents) * 10'000;
  p.converted = true;
  p.ts_micros = ts;
  p.subscription_id = std::move(subscription);
  p.monthly_amount_minor = monthly_cents;
  p.attribution = "metadata";
  return p;
}

TEST(RevenueSummary, NewRenewalRefundsMrrChurnAndAttributionOfAPeriod) {
  std::vector<store::Payment> payments;
  auto add = [&](store::Payment p, std::string visitor = "", std::string rule = "metadata") {
    p.visitor_id = std::move(visitor);
    p.attribution = std::move(rule);
    payments.push_back(std::move(p));
    return &payments.back();
  };
  add(Paid("p1", "purchase", 5000, kD0 + kDay), "v1")->customer_id = "c1";
  add(Paid("p2", "purchase", 2000, kD0 - 20 * kDay, "sub_A", 2000), "v2")->customer_id = "c2";
  add(Paid("p3", "renewal", 2000, kD0 + 10 * kDay, "sub_A", 2000), "v2", "renewal")->customer_id = "c2";
  add(Paid("p4", "purchase", 12000, kD0 + 5 * kDay, "sub_B", 1000), "v3", "email")->email_hash = "e3";
  add(Paid("p5", "purchase", 3000, kD0 - 40 * kDay, "sub_C", 3000), "v5");
  add(Paid("p6", "free_trial", 0, kD0 + 2 * kDay, "sub_D"), "v6");
  store::Payment refund = Paid("p7", "refund", 1000, kD0 + 12 * kDay);
  refund.refunds_payment_id = "p1";
  add(refund, "v1");
  add(Paid("p8", "purchase", 500, kD0 + 21 * kDay), "", "none");
  add(Paid("p9", "purchase", 4000, kD0 - 30 * kDay, "sub_E", 4000), "v9");
  store::Payment waiting = Paid("p10", "purchase", 9900, kD0 + 3 * kDay);
  waiting.currency = "EUR";
  waiting.converted = false;  // no rate yet
  add(waiting, "v1");

  std::unordered_map<std::string, int64_t> first_seen = {
      {"v1", kD0 - 2 * kDay}, {"v2", kD0 - 25 * kDay}, {"v3", kD0 + 4 * kDay + kDay / 2}};
  RevenueSummary s = SummarizeRevenue(payments, kD0, kD0 + 30 * kDay, {kD0, kD0 + 10 * kDay, kD0 + 20 * kDay},
                                      kD0 + 25 * kDay, first_seen);

  RevenueFigures totals;
  totals.revenue = 185 * kDollar;
  totals.new_revenue = 175 * kDollar;
  totals.renewal_revenue = 20 * kDollar;
  totals.refunds = 10 * kDollar;
  totals.payments = 4;
  totals.new_payments = 3;
  totals.renewals = 1;
  totals.refund_count = 1;
  totals.free_trials = 1;
  totals.mrr = 30 * kDollar;  // sub_A's $20 and sub_B's $120 a year
  totals.active_subscriptions = 2;
  totals.trialing = 1;
  totals.churned_mrr = 40 * kDollar;  // sub_E ran out on day 3 without renewing
  EXPECT_EQ(s.totals, totals);
  EXPECT_EQ(s.customers, 4u);
  EXPECT_EQ(s.unattributed_revenue, 5 * kDollar);
  EXPECT_EQ(s.by_rule.at("metadata").revenue, 40 * kDollar);  // p1's 50 less its refund
  EXPECT_EQ(s.by_rule.at("metadata").payments, 1u);
  EXPECT_EQ(s.by_rule.at("renewal").revenue, 20 * kDollar);
  EXPECT_EQ(s.by_rule.at("email").revenue, 120 * kDollar);
  ASSERT_TRUE(s.median_days_to_first_payment.has_value());
  EXPECT_DOUBLE_EQ(*s.median_days_to_first_payment, 1.75);  // v1 after 3 days, v3 after half a day

  ASSERT_EQ(s.buckets.size(), 3u);
  EXPECT_EQ(s.buckets[0].revenue, 170 * kDollar);
  EXPECT_EQ(s.buckets[0].payments, 2u);
  EXPECT_EQ(s.buckets[0].churned_mrr, 40 * kDollar);
  EXPECT_EQ(s.buckets[0].mrr, 30 * kDollar);
  EXPECT_EQ(s.buckets[1].revenue, 10 * kDollar);
  EXPECT_EQ(s.buckets[1].refunds, 10 * kDollar);
  EXPECT_EQ(s.buckets[1].churned_mrr, 0);  // sub_A renewed before its cover ran out
  EXPECT_EQ(s.buckets[1].mrr, 30 * kDollar);
  EXPECT_EQ(s.buckets[2].revenue, 5 * kDollar);
  EXPECT_EQ(s.buckets[2].active_subscriptions, 2u);
}

TEST(RevenueSummary, AFullRefundEndsTheCoverOfItsPayment) {
  store::Payment paid = Paid("p1", "purchase", 2000, kD0, "sub_A", 2000);
  store::Payment refund = Paid("r1", "refund", 2000, kD0 + kDay);
  refund.refunds_payment_id = "p1";
  RevenueSummary s = SummarizeRevenue({paid, refund}, kD0, kD0 + 10 * kDay, {kD0}, kD0 + 10 * kDay, {});
  EXPECT_EQ(s.totals.revenue, 0);
  EXPECT_EQ(s.totals.mrr, 0);
  EXPECT_EQ(s.totals.active_subscriptions, 0u);
  EXPECT_FALSE(s.median_days_to_first_payment.has_value());
}

TEST(RevenueSummary, LifetimeValueOfFirstVisitCohortsAddsUpSpanBySpan) {
  // Three "months" of 10 days; cohort 0 has 4 visitors, cohort 1 has 2.
  std::vector<int64_t> months = {kD0, kD0 + 10 * kDay, kD0 + 20 * kDay, kD0 + 30 * kDay};
  std::unordered_map<std::string, int64_t> first_seen = {
      {"a", kD0 + kDay}, {"b", kD0 + 2 * kDay}, {"c", kD0 + 12 * kDay}, {"old", kD0 - 5 * kDay}};
  std::vector<store::Payment> payments;
  auto add = [&](std::string id, std::string kind, int64_t cents, int64_t ts, std::string visitor) {
    store::Payment p = Paid(std::move(id), std::move(kind), cents, ts);
    p.visitor_id = std::move(visitor);
    payments.push_back(p);
  };
  add("p1", "purchase", 4000, kD0 + 3 * kDay, "a");   // cohort 0, its own month
  add("p2", "renewal", 4000, kD0 + 13 * kDay, "a");   // cohort 0, a month later
  add("p3", "purchase", 2000, kD0 + 25 * kDay, "b");  // cohort 0, two months later
  add("r1", "refund", 1000, kD0 + 26 * kDay, "b");
  add("p4", "purchase", 6000, kD0 + 15 * kDay, "c");   // cohort 1
  add("p5", "purchase", 9900, kD0 + 3 * kDay, "old");  // first seen before the cohorts
  add("p6", "purchase", 9900, kD0 + 3 * kDay, "");     // unattributed
  std::vector<Cohort> cohorts = LtvCohorts(payments, first_seen, months, {4, 2, 0});
  ASSERT_EQ(cohorts.size(), 3u);
  EXPECT_EQ(cohorts[0], (Cohort{kD0, 4, 2, {10 * kDollar, 20 * kDollar, 22'500'000}}));
  EXPECT_EQ(cohorts[1], (Cohort{kD0 + 10 * kDay, 2, 1, {30 * kDollar, 30 * kDollar}}));
  EXPECT_EQ(cohorts[2], (Cohort{kD0 + 20 * kDay, 0, 0, {0}}));
}

}  // namespace
}  // namespace datafast::revenue
