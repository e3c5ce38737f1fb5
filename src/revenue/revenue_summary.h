// The revenue of a period as a founder reads it, from a site's payments:
// new against renewal revenue, refunds, average order value, MRR, active and
// churned subscriptions over time, how payments were attributed, and the
// time from first visit to first payment. docs/api.md ("GET
// /api/v1/analytics/revenue") defines each figure; this is the arithmetic,
// a pure function of its inputs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/meta_store.h"

namespace datafast::revenue {

// Money in millionths of the site's currency.
struct RevenueFigures {
  int64_t revenue = 0;  // net of refunds
  int64_t new_revenue = 0;
  int64_t renewal_revenue = 0;
  int64_t refunds = 0;    // positive: the money returned
  uint32_t payments = 0;  // purchases and renewals with an amount
  uint32_t new_payments = 0;
  uint32_t renewals = 0;
  uint32_t refund_count = 0;
  uint32_t free_trials = 0;
  // As of the end of the span (or now, if sooner).
  int64_t mrr = 0;
  uint32_t active_subscriptions = 0;
  uint32_t trialing = 0;
  int64_t churned_mrr = 0;  // cover that ran out within the span
  bool operator==(const RevenueFigures&) const = default;
};

struct RevenueSummary {
  RevenueFigures totals;
  std::vector<RevenueFigures> buckets;  // one per bucket start given
  uint32_t customers = 0;
  int64_t unattributed_revenue = 0;
  struct RuleShare {
    int64_t revenue = 0;
    uint32_t payments = 0;
  };
  std::map<std::string, RuleShare> by_rule;  // metadata, identified, …
  std::optional<double> median_days_to_first_payment;
};

// `payments`: every payment of the site, of all time (subscriptions started
// before the period still count towards its MRR). [from, to) is the period,
// `bucket_starts` its buckets (ascending, the first at `from`), `now` caps
// "as of" figures, and `first_seen` maps paying visitors to their first
// visit. Payments not yet converted to the site's currency are left out.
RevenueSummary SummarizeRevenue(const std::vector<store::Payment>& payments, int64_t from_micros, int64_t to_micros,
                                const std::vector<int64_t>& bucket_starts, int64_t now_micros,
                                const std::unordered_map<std::string, int64_t>& first_seen);

// Lifetime value by first-visit cohort: the visitors first seen in each span
// between `boundaries` (months, say), and what they paid, net of refunds,
// per visitor, through the end of their own span and of each span after it
// (cumulative), up to the last boundary.
struct Cohort {
  int64_t start_micros = 0;
  uint64_t visitors = 0;                     // first seen in this span
  uint32_t customers = 0;                    // of them, those who paid
  std::vector<int64_t> revenue_per_visitor;  // millionths; [k] = through k spans later
  bool operator==(const Cohort&) const = default;
};

// `cohort_sizes[i]`: the visitors first seen in [boundaries[i],
// boundaries[i+1]) (EventStore::NewVisitors); `first_seen` maps paying
// visitors to their first visit.
std::vector<Cohort> LtvCohorts(const std::vector<store::Payment>& payments,
                               const std::unordered_map<std::string, int64_t>& first_seen,
                               const std::vector<int64_t>& boundaries, const std::vector<uint64_t>& cohort_sizes);

}  // namespace datafast::revenue
