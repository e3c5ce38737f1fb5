#include "revenue/revenue_summary.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace datafast::revenue {
namespace {

constexpr int64_t kDay = 86'400'000'000;
// An average month (365.25 / 12 days), and the days a late renewal is given.
constexpr int64_t kMonth = 2'629'800'000'000;
constexpr int64_t kGrace = 3 * kDay;

// What one subscription payment pays for.
struct Cover {
  int64_t start = 0;
  int64_t end = 0;      // exclusive
  int64_t monthly = 0;  // millionths of the site's currency
  bool trial = false;
};

bool Gross(const store::Payment& p) { return p.kind != "refund"; }

Cover CoverOf(const store::Payment& p) {
  int64_t months = 1;
  if (p.monthly_amount_minor > 0 && p.amount_minor > 0) {
    months = std::max<int64_t>(1, std::llround(static_cast<double>(p.amount_minor) / p.monthly_amount_minor));
  }
  int64_t monthly = 0;
  if (p.amount_minor > 0) {
    int64_t per_month = p.monthly_amount_minor > 0 ? p.monthly_amount_minor : p.amount_minor;
    monthly = std::llround(static_cast<double>(p.site_amount_micros) * per_month / p.amount_minor);
  }
  return Cover{p.ts_micros, p.ts_micros + months * kMonth + kGrace, monthly, p.kind == "free_trial"};
}

// Each subscription's covers in time order.
using Subscriptions = std::vector<std::vector<Cover>>;

Subscriptions CoversBySubscription(const std::vector<const store::Payment*>& payments,
                                   const std::unordered_map<std::string, int64_t>& refunded) {
  std::map<std::string, std::vector<Cover>> by_id;
  for (const store::Payment* p : payments) {
    if (!Gross(*p) || p->subscription_id.empty()) continue;
    auto r = refunded.find(p->id);
    if (p->amount_minor > 0 && r != refunded.end() && r->second >= p->amount_minor) continue;  // refunded whole
    by_id[p->provider + "/" + p->subscription_id].push_back(CoverOf(*p));
  }
  Subscriptions out;
  for (auto& [id, covers] : by_id) {
    std::sort(covers.begin(), covers.end(), [](const Cover& a, const Cover& b) { return a.start < b.start; });
    out.push_back(std::move(covers));
  }
  return out;
}

// MRR, active subscriptions and trials at `t`.
void StateAt(const Subscriptions& subscriptions, int64_t t, RevenueFigures& out) {
  for (const std::vector<Cover>& covers : subscriptions) {
    const Cover* latest = nullptr;
    for (const Cover& c : covers) {
      if (c.start <= t) latest = &c;
    }
    if (!latest || t >= latest->end) continue;
    if (latest->trial) {
      ++out.trialing;
    } else {
      ++out.active_subscriptions;
      out.mrr += latest->monthly;
    }
  }
}

// The monthly revenue whose cover ran out in [from, to), before `now`,
// with no payment of the same subscription starting before it did.
int64_t ChurnedBetween(const Subscriptions& subscriptions, int64_t from, int64_t to, int64_t now) {
  int64_t churned = 0;
  for (const std::vector<Cover>& covers : subscriptions) {
    for (size_t i = 0; i < covers.size(); ++i) {
      const Cover& c = covers[i];
      if (c.trial || c.end < from || c.end >= to || c.end > now) continue;
      bool renewed = i + 1 < covers.size() && covers[i + 1].start < c.end;
      if (!renewed) churned += c.monthly;
    }
  }
  return churned;
}

void Count(const store::Payment& p, RevenueFigures& f) {
  if (p.kind == "refund") {
    f.revenue += p.site_amount_micros;
    f.refunds -= p.site_amount_micros;
    ++f.refund_count;
  } else if (p.kind == "free_trial") {
    ++f.free_trials;
  } else {
    f.revenue += p.site_amount_micros;
    bool renewal = p.kind == "renewal";
    (renewal ? f.renewal_revenue : f.new_revenue) += p.site_amount_micros;
    if (p.amount_minor > 0) {
      ++f.payments;
      ++(renewal ? f.renewals : f.new_payments);
    }
  }
}

std::string CustomerKey(const store::Payment& p) {
  if (!p.customer_id.empty()) return "c:" + p.customer_id;
  if (!p.email_hash.empty()) return "e:" + p.email_hash;
  if (!p.visitor_id.empty()) return "v:" + p.visitor_id;
  return "p:" + p.id;
}

}  // namespace

RevenueSummary SummarizeRevenue(const std::vector<store::Payment>& all, int64_t from, int64_t to,
                                const std::vector<int64_t>& bucket_starts, int64_t now,
                                const std::unordered_map<std::string, int64_t>& first_seen) {
  std::vector<const store::Payment*> payments;
  std::unordered_map<std::string, int64_t> refunded;  // payment id → minor units returned
  for (const store::Payment& p : all) {
    if (!p.converted) continue;
    payments.push_back(&p);
    if (p.kind == "refund" && !p.refunds_payment_id.empty()) refunded[p.refunds_payment_id] += p.amount_minor;
  }
  std::sort(payments.begin(), payments.end(),
            [](const store::Payment* a, const store::Payment* b) { return a->ts_micros < b->ts_micros; });
  Subscriptions subscriptions = CoversBySubscription(payments, refunded);

  RevenueSummary out;
  out.buckets.resize(bucket_starts.size());
  std::set<std::string> customers;
  std::set<std::string> paid_before;  // visitors with a payment before the one at hand
  std::vector<double> days_to_first;
  for (const store::Payment* p : payments) {
    bool paying = Gross(*p) && p->amount_minor > 0;
    bool first_of_visitor = paying && !p->visitor_id.empty() && paid_before.insert(p->visitor_id).second;
    if (p->ts_micros < from || p->ts_micros >= to) continue;
    Count(*p, out.totals);
    auto bucket = std::upper_bound(bucket_starts.begin(), bucket_starts.end(), p->ts_micros);
    if (bucket != bucket_starts.begin()) Count(*p, out.buckets[bucket - bucket_starts.begin() - 1]);
    RevenueSummary::RuleShare& share = out.by_rule[p->attribution];
    share.revenue += p->site_amount_micros;
    share.payments += paying ? 1 : 0;
    if (paying) customers.insert(CustomerKey(*p));
    if (first_of_visitor) {
      auto seen = first_seen.find(p->visitor_id);
      if (seen != first_seen.end() && seen->second <= p->ts_micros) {
        days_to_first.push_back(static_cast<double>(p->ts_micros - seen->second) / kDay);
      }
    }
  }
  out.customers = static_cast<uint32_t>(customers.size());
  if (auto none = out.by_rule.find("none"); none != out.by_rule.end()) out.unattributed_revenue = none->second.revenue;
  if (!days_to_first.empty()) {
    std::sort(days_to_first.begin(), days_to_first.end());
    size_t n = days_to_first.size();
    out.median_days_to_first_payment =
        n % 2 == 1 ? days_to_first[n / 2] : (days_to_first[n / 2 - 1] + days_to_first[n / 2]) / 2;
  }

  int64_t as_of = std::min(to, now);
  StateAt(subscriptions, as_of - 1, out.totals);
  out.totals.churned_mrr = ChurnedBetween(subscriptions, from, to, now);
  for (size_t i = 0; i < bucket_starts.size(); ++i) {
    int64_t end = i + 1 < bucket_starts.size() ? bucket_starts[i + 1] : to;
    if (bucket_starts[i] < now) StateAt(subscriptions, std::min(end, now) - 1, out.buckets[i]);
    out.buckets[i].churned_mrr = ChurnedBetween(subscriptions, bucket_starts[i], end, now);
  }
  return out;
}

std::vector<Cohort> LtvCohorts(const std::vector<store::Payment>& payments,
                               const std::unordered_map<std::string, int64_t>& first_seen,
                               const std::vector<int64_t>& boundaries, const std::vector<uint64_t>& cohort_sizes) {
  if (boundaries.size() < 2) return {};
  size_t spans = boundaries.size() - 1;
  // The span holding `t`, or spans when outside them all.
  auto span_of = [&](int64_t t) -> size_t {
    if (t < boundaries.front() || t >= boundaries.back()) return spans;
    return static_cast<size_t>(std::upper_bound(boundaries.begin(), boundaries.end(), t) - boundaries.begin() - 1);
  };
  std::vector<std::vector<int64_t>> paid(spans, std::vector<int64_t>(spans, 0));  // [cohort][span of payment]
  std::vector<std::set<std::string>> customers(spans);
  for (const store::Payment& p : payments) {
    if (!p.converted || p.visitor_id.empty()) continue;
    auto seen = first_seen.find(p.visitor_id);
    if (seen == first_seen.end()) continue;
    size_t cohort = span_of(seen->second), when = span_of(p.ts_micros);
    if (cohort == spans || when == spans || when < cohort) continue;
    paid[cohort][when] += p.site_amount_micros;
    if (p.kind != "refund" && p.amount_minor > 0) customers[cohort].insert(p.visitor_id);
  }
  std::vector<Cohort> out(spans);
  for (size_t c = 0; c < spans; ++c) {
    Cohort& cohort = out[c];
    cohort.start_micros = boundaries[c];
    cohort.visitors = c < cohort_sizes.size() ? cohort_sizes[c] : 0;
    cohort.customers = static_cast<uint32_t>(customers[c].size());
    int64_t total = 0;
    for (size_t when = c; when < spans; ++when) {
      total += paid[c][when];
      cohort.revenue_per_visitor.push_back(
          cohort.visitors == 0 ? 0 : std::llround(static_cast<double>(total) / static_cast<double>(cohort.visitors)));
    }
  }
  return out;
}

}  // namespace datafast::revenue
