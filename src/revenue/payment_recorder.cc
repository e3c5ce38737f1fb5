#include "revenue/payment_recorder.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/digest.h"
#include "core/ids.h"
#include "core/log.h"
#include "revenue/money.h"

namespace datafast::revenue {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;
// A provider's clock may run a little ahead of ours: a session that starts
// just after the payment's time still counts.
constexpr int64_t kClockSlackMicros = 60'000'000;
constexpr size_t kMaxIdLength = 255;

std::string DateOf(int64_t micros) { return core::FormatIsoTime(micros).substr(0, 10); }

int64_t PowerOfTen(int exponent) {
  int64_t p = 1;
  for (int i = 0; i < exponent; ++i) p *= 10;
  return p;
}

// Units of `currency` per US dollar on `date`, or nullopt without a rate.
Result<std::optional<double>> PerUsd(store::MetaStore& meta, const std::string& currency, const std::string& date) {
  if (currency == "USD") return std::optional<double>(1.0);
  auto rate = meta.FindExchangeRate(currency, date);
  if (!rate.ok()) return rate.status();
  if (!rate->has_value() || (*rate)->per_usd <= 0) return std::optional<double>();
  return std::optional<double>((*rate)->per_usd);
}

// `minor` units of `currency` in millionths of `site_currency` on the
// payment's date; nullopt while a rate is missing.
Result<std::optional<int64_t>> ToSiteMicros(store::MetaStore& meta, int64_t minor, const std::string& currency,
                                            const std::string& site_currency, int64_t ts_micros) {
  auto exponent = CurrencyExponent(currency);
  if (!exponent.ok()) return exponent.status();
  if (currency == site_currency) return std::optional<int64_t>(minor * PowerOfTen(6 - *exponent));
  std::string date = DateOf(ts_micros);
  auto from = PerUsd(meta, currency, date);
  if (!from.ok()) return from.status();
  auto to = PerUsd(meta, site_currency, date);
  if (!to.ok()) return to.status();
  if (!*from || !*to) return std::optional<int64_t>();
  double major = static_cast<double>(minor) / static_cast<double>(PowerOfTen(*exponent));
  return std::optional<int64_t>(std::llround(major / **from * **to * 1e6));
}

bool IsDirect(const store::Event& session_start) {
  return session_start.channel.empty() || session_start.channel == "direct";
}

Status Validate(const PaymentReport& r) {
  if (r.provider.empty()) return Status::InvalidArgument("provider is missing");
  if (r.transaction_id.empty()) return Status::InvalidArgument("transaction_id is missing");
  if (r.transaction_id.size() > kMaxIdLength) {
    return Status::InvalidArgument("transaction_id is longer than 255 characters");
  }
  if (r.amount_minor < 0) return Status::InvalidArgument("amount must be at least 0");
  if (auto exponent = CurrencyExponent(r.currency); !exponent.ok()) return exponent.status();
  if (r.kind == PaymentKind::kRefund && r.refunded_transaction_id.empty()) {
    return Status::InvalidArgument("a refund must name the transaction it refunds");
  }
  for (const std::string* id : {&r.customer_id, &r.visitor_id, &r.session_id, &r.subscription_id}) {
    if (id->size() > kMaxIdLength) return Status::InvalidArgument("an id is longer than 255 characters");
  }
  return Status::Ok();
}

}  // namespace

std::string_view AttributionConfidence(std::string_view rule) {
  if (rule == "metadata" || rule == "identified") return "high";
  if (rule == "none" || rule.empty()) return "none";
  return "medium";
}

std::string PaymentRecorder::EmailHash(std::string_view email) const {
  while (!email.empty() && email.front() == ' ') email.remove_prefix(1);
  while (!email.empty() && email.back() == ' ') email.remove_suffix(1);
  if (email.empty()) return "";
  std::string normalized(email);
  std::transform(normalized.begin(), normalized.end(), normalized.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return core::HmacSha256Hex(deps_.email_key, normalized);
}

Result<RecordOutcome> PaymentRecorder::Record(const store::Site& site, const PaymentReport& report) {
  DF_RETURN_IF_ERROR(Validate(report));
  // A repeated report is answered without the work below.
  auto existing = deps_.meta->FindPayment(site.id, report.provider, report.transaction_id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return RecordOutcome{std::move(**existing), true};

  store::Payment p;
  p.id = "pay_" + core::RandomHex(12);
  p.site_id = site.id;
  p.provider = report.provider;
  p.transaction_id = report.transaction_id;
  p.kind = std::string(ToString(report.kind));
  p.amount_minor = report.amount_minor;
  p.currency = NormalizeCurrency(report.currency);
  p.ts_micros = report.ts_micros != 0 ? report.ts_micros : deps_.clock->NowMicros();
  p.customer_id = report.customer_id;
  p.email_hash = EmailHash(report.email);
  p.subscription_id = report.subscription_id;
  p.monthly_amount_minor = report.monthly_amount_minor;
  p.created_at_micros = deps_.clock->NowMicros();

  // Attribution only reads, so payments are attributed side by side; from
  // here on they are recorded one at a time.
  std::optional<store::Event> session_start;
  if (report.kind != PaymentKind::kRefund) {
    auto credited = Attribute(site, report, p);
    if (!credited.ok()) return credited.status();
    session_start = std::move(*credited);
  }
  std::lock_guard lock(mu_);
  if (report.kind == PaymentKind::kRefund) {
    p.refunds_transaction_id = report.refunded_transaction_id;
    if (report.refund_total) {
      // The provider sent the running total: book what is new since the
      // refunds booked against the same payment.
      auto earlier =
          deps_.meta->ListPayments({.site_id = site.id, .refunds_transaction_id = report.refunded_transaction_id});
      if (!earlier.ok()) return earlier.status();
      int64_t booked = 0;
      for (const store::Payment& r : *earlier) booked += r.provider == p.provider ? r.amount_minor : 0;
      p.amount_minor = report.amount_minor - booked;
      if (p.amount_minor <= 0) {
        if (earlier->empty()) return Status::InvalidArgument("a refund of nothing");
        return RecordOutcome{earlier->back(), true};
      }
    }
  }

  Status created = deps_.meta->CreatePayment(p, report.aliases);
  if (created.code() == StatusCode::kConflict) {
    auto first = deps_.meta->FindPayment(site.id, report.provider, report.transaction_id);
    if (!first.ok()) return first.status();
    if (first->has_value()) return RecordOutcome{std::move(**first), true};
  }
  DF_RETURN_IF_ERROR(created);
  DF_RETURN_IF_ERROR(Settle(site, p, std::move(session_start), false));
  if (report.kind != PaymentKind::kRefund) {
    std::vector<std::string> names = report.aliases;
    names.push_back(report.transaction_id);
    DF_RETURN_IF_ERROR(SettleRefundsOf(site, p, names));
  }
  return RecordOutcome{std::move(p), false};
}

Result<std::optional<store::Event>> PaymentRecorder::Attribute(const store::Site& site, const PaymentReport& report,
                                                               store::Payment& p) {
  if (report.kind == PaymentKind::kRenewal && !report.subscription_id.empty()) {
    auto earlier = deps_.meta->ListPayments({.site_id = site.id, .subscription_id = report.subscription_id});
    if (!earlier.ok()) return earlier.status();
    for (const store::Payment& first : *earlier) {
      if (first.kind == "refund" || first.provider != p.provider) continue;
      p.visitor_id = first.visitor_id;
      p.session_id = first.session_id;
      p.attribution = "renewal";
      return std::optional<store::Event>();
    }
  }

  std::string visitor, rule = "none";
  if (!report.visitor_id.empty()) {
    visitor = report.visitor_id;
    rule = "metadata";
  }
  if (visitor.empty() && (!p.customer_id.empty() || !p.email_hash.empty())) {
    auto identified = deps_.meta->IdentifiedVisitor(site.id, p.customer_id, p.email_hash);
    if (!identified.ok()) return identified.status();
    if (identified->has_value()) {
      visitor = **identified;
      rule = "identified";
    }
  }
  // An earlier payment of the same customer, then of the same email.
  for (auto [key, name] : {std::pair{&store::PaymentQuery::customer_id, "customer"},
                           std::pair{&store::PaymentQuery::email_hash, "email"}}) {
    if (!visitor.empty()) break;
    store::PaymentQuery query{.site_id = site.id};
    query.*key = key == &store::PaymentQuery::customer_id ? p.customer_id : p.email_hash;
    if ((query.*key).empty()) continue;
    auto earlier = deps_.meta->ListPayments(query);
    if (!earlier.ok()) return earlier.status();
    for (const store::Payment& e : *earlier) {
      if (e.visitor_id.empty()) continue;
      visitor = e.visitor_id;
      rule = name;
      break;
    }
  }
  p.visitor_id = visitor;
  p.attribution = rule;
  if (visitor.empty()) return std::optional<store::Event>();

  int64_t window = int64_t{std::clamp(site.attribution_window_days, 1, 90)} * kMicrosPerDay;
  auto starts = deps_.events->SessionStarts(site.id, visitor, p.ts_micros - window, p.ts_micros + kClockSlackMicros);
  if (!starts.ok()) return starts.status();
  if (starts->empty()) {
    // The visit may be on its way to the store still (the loader moves
    // events there within half a second): wait for it and look again. A
    // session that starts that close to its payment is rare enough that
    // flushing for every payment would only slow them all.
    DF_RETURN_IF_ERROR(deps_.writer->Flush());
    starts = deps_.events->SessionStarts(site.id, visitor, p.ts_micros - window, p.ts_micros + kClockSlackMicros);
    if (!starts.ok()) return starts.status();
  }
  auto credited = std::find_if(starts->rbegin(), starts->rend(), [](const store::Event& e) { return !IsDirect(e); });
  if (credited == starts->rend()) credited = starts->rbegin();
  if (credited == starts->rend()) return std::optional<store::Event>();
  p.session_id = credited->session_id;
  return std::optional<store::Event>(*credited);
}

Status PaymentRecorder::Settle(const store::Site& site, store::Payment& p, std::optional<store::Event> session_start,
                               bool may_have_event) {
  if (p.event_written) return Status::Ok();
  bool refund = p.kind == "refund";
  if (refund && p.refunds_payment_id.empty()) {
    auto refunded = deps_.meta->FindPayment(site.id, p.provider, p.refunds_transaction_id);
    if (!refunded.ok()) return refunded.status();
    if (!refunded->has_value()) return Status::Ok();  // waits for its payment
    p.refunds_payment_id = (*refunded)->id;
    p.visitor_id = (*refunded)->visitor_id;
    p.session_id = (*refunded)->session_id;
    p.attribution = (*refunded)->attribution;
  }
  if (!p.converted) {
    auto micros = ToSiteMicros(*deps_.meta, p.amount_minor, p.currency, site.currency, p.ts_micros);
    if (!micros.ok()) return micros.status();
    if (!micros->has_value()) return deps_.meta->UpdatePayment(p);  // waits for a rate
    p.site_amount_micros = refund ? -**micros : **micros;
    p.converted = true;
  }

  if (!session_start && !p.session_id.empty()) {
    auto start = deps_.events->SessionStart(site.id, p.session_id);
    if (!start.ok()) return start.status();
    session_start = std::move(*start);
  }
  store::Event event = session_start.value_or(store::Event{});
  event.event_id = p.id;
  event.site_id = site.id;
  event.ts_micros = p.ts_micros;
  event.type = store::EventType::kRevenue;
  event.visitor_id = p.visitor_id;
  event.session_id = p.session_id;
  event.goal_name.clear();
  event.goal_params.clear();
  event.outbound_url.clear();
  event.payment_provider = p.provider;
  event.payment_id = p.transaction_id;
  event.revenue_micros = p.site_amount_micros;
  if (may_have_event) {
    DF_RETURN_IF_ERROR(deps_.writer->Flush());
    if (auto deleted = deps_.events->DeleteRevenueEvents(site.id, {p.id}); !deleted.ok()) return deleted.status();
  }
  DF_RETURN_IF_ERROR(deps_.writer->Write(std::move(event)));
  p.event_written = true;
  return deps_.meta->UpdatePayment(p);
}

Status PaymentRecorder::SettleRefundsOf(const store::Site& site, const store::Payment& payment,
                                        const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (name.empty()) continue;
    auto waiting =
        deps_.meta->ListPayments({.site_id = site.id, .refunds_transaction_id = name, .unwritten_only = true});
    if (!waiting.ok()) return waiting.status();
    for (store::Payment& refund : *waiting) {
      if (refund.provider != payment.provider) continue;
      DF_RETURN_IF_ERROR(Settle(site, refund, std::nullopt, false));
    }
  }
  return Status::Ok();
}

Status PaymentRecorder::Delete(const store::Site& site, const std::vector<store::Payment>& payments) {
  std::lock_guard lock(mu_);
  std::vector<std::string> ids;
  for (const store::Payment& p : payments) ids.push_back(p.id);
  // Events still on their way would escape the deletion.
  DF_RETURN_IF_ERROR(deps_.writer->Flush());
  if (auto deleted = deps_.events->DeleteRevenueEvents(site.id, ids); !deleted.ok()) return deleted.status();
  return deps_.meta->DeletePayments(site.id, ids);
}

Result<size_t> PaymentRecorder::SettlePending() {
  std::lock_guard lock(mu_);
  auto pending = deps_.meta->ListPayments({.unwritten_only = true});
  if (!pending.ok()) return pending.status();
  size_t settled = 0;
  for (store::Payment& p : *pending) {
    auto site = deps_.meta->FindSite(p.site_id);
    if (!site.ok()) return site.status();
    if (!site->has_value()) continue;
    DF_RETURN_IF_ERROR(Settle(**site, p, std::nullopt, true));
    settled += p.event_written ? 1 : 0;
  }
  return settled;
}

}  // namespace datafast::revenue
