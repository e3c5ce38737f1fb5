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

// The linear model shares a payment among at most this many visits, the
// latest: past that each share is too small to tell a source anything.
constexpr size_t kMaxTouches = 50;
constexpr int64_t kWholeCredit = 1'000'000;

bool IsDirect(const store::Event& session_start) {
  return session_start.channel.empty() || session_start.channel == "direct";
}

// `total` in `parts` whole shares that add up to it exactly, the first ones
// larger by one where it does not divide.
std::vector<int64_t> Split(int64_t total, size_t parts) {
  auto n = static_cast<int64_t>(parts);
  std::vector<int64_t> shares(parts, total / n);
  int64_t rest = total - total / n * n;
  for (size_t i = 0; rest != 0; ++i, rest += rest > 0 ? -1 : 1) shares[i] += rest > 0 ? 1 : -1;
  return shares;
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
  std::vector<store::Event> touches;
  if (report.kind != PaymentKind::kRefund) {
    auto credited = Attribute(site, report, p);
    if (!credited.ok()) return credited.status();
    touches = std::move(*credited);
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
  DF_RETURN_IF_ERROR(Settle(site, p, std::move(touches), false));
  if (report.kind != PaymentKind::kRefund) {
    std::vector<std::string> names = report.aliases;
    names.push_back(report.transaction_id);
    DF_RETURN_IF_ERROR(SettleRefundsOf(site, p, names));
  }
  return RecordOutcome{std::move(p), false};
}

Result<std::vector<store::Event>> PaymentRecorder::Attribute(const store::Site& site, const PaymentReport& report,
                                                             store::Payment& p) {
  if (report.kind == PaymentKind::kRenewal && !report.subscription_id.empty()) {
    auto earlier = deps_.meta->ListPayments({.site_id = site.id, .subscription_id = report.subscription_id});
    if (!earlier.ok()) return earlier.status();
    for (const store::Payment& first : *earlier) {
      if (first.kind == "refund" || first.provider != p.provider) continue;
      p.visitor_id = first.visitor_id;
      p.session_id = first.session_id;
      p.touch_session_ids = first.touch_session_ids;
      p.attribution = "renewal";
      return std::vector<store::Event>();
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
  if (visitor.empty()) return std::vector<store::Event>();

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
  // Direct visits are mostly returns to a site found before: they count only
  // when the visitor has nothing else.
  std::vector<store::Event> touches;
  for (store::Event& start : *starts) {
    if (!IsDirect(start)) touches.push_back(std::move(start));
  }
  if (touches.empty() && !starts->empty()) touches.push_back(std::move(starts->back()));
  if (touches.size() > kMaxTouches) touches.erase(touches.begin(), touches.end() - kMaxTouches);
  for (const store::Event& touch : touches) p.touch_session_ids.push_back(touch.session_id);
  if (!touches.empty()) p.session_id = touches.back().session_id;
  return touches;
}

Status PaymentRecorder::Settle(const store::Site& site, store::Payment& p, std::vector<store::Event> touches,
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
    p.touch_session_ids = (*refunded)->touch_session_ids;
    p.attribution = (*refunded)->attribution;
  }
  if (!p.converted) {
    auto micros = ToSiteMicros(*deps_.meta, p.amount_minor, p.currency, site.currency, p.ts_micros);
    if (!micros.ok()) return micros.status();
    if (!micros->has_value()) return deps_.meta->UpdatePayment(p);  // waits for a rate
    p.site_amount_micros = refund ? -**micros : **micros;
    p.converted = true;
  }

  auto rows = CreditRows(site, p, std::move(touches));
  if (!rows.ok()) return rows.status();
  if (may_have_event) {
    DF_RETURN_IF_ERROR(deps_.writer->Flush());
    if (auto deleted = deps_.events->DeleteRevenueEvents(site.id, {p.id}); !deleted.ok()) return deleted.status();
  }
  DF_RETURN_IF_ERROR(deps_.writer->Write(std::move(*rows)));
  p.event_written = true;
  return deps_.meta->UpdatePayment(p);
}

Result<std::vector<store::Event>> PaymentRecorder::CreditRows(const store::Site& site, const store::Payment& p,
                                                              std::vector<store::Event> touches) {
  std::vector<std::string> sessions = p.touch_session_ids;
  if (sessions.empty() && !p.session_id.empty()) sessions.push_back(p.session_id);
  // Each session's first pageview, from the caller or else from the store;
  // a session retention has deleted is credited without attributes.
  auto start_of = [&](const std::string& session_id) -> Result<store::Event> {
    for (const store::Event& touch : touches) {
      if (touch.session_id == session_id) return touch;
    }
    auto start = deps_.events->SessionStart(site.id, session_id);
    if (!start.ok()) return start.status();
    store::Event event = start->value_or(store::Event{});
    event.session_id = session_id;
    if (start->has_value()) touches.push_back(event);
    return event;
  };
  std::vector<store::Event> rows;
  auto add = [&](store::AttributionModel model, const std::string& session_id, int64_t revenue_micros,
                 int64_t credit_micros, std::string id_suffix) -> Status {
    store::Event row;
    if (!session_id.empty()) {
      auto start = start_of(session_id);
      if (!start.ok()) return start.status();
      row = std::move(*start);
    }
    row.event_id = p.id + id_suffix;
    row.site_id = site.id;
    row.ts_micros = p.ts_micros;
    row.type = store::EventType::kRevenue;
    row.visitor_id = p.visitor_id;
    row.session_id = session_id;
    row.goal_name.clear();
    row.goal_params.clear();
    row.outbound_url.clear();
    row.payment_provider = p.provider;
    row.payment_id = p.transaction_id;
    row.revenue_micros = revenue_micros;
    row.attribution = store::ToString(model);
    row.credit_micros = credit_micros;
    rows.push_back(std::move(row));
    return Status::Ok();
  };

  using enum store::AttributionModel;
  DF_RETURN_IF_ERROR(add(kLastTouch, p.session_id, p.site_amount_micros, kWholeCredit, ""));
  DF_RETURN_IF_ERROR(
      add(kFirstTouch, sessions.empty() ? "" : sessions.front(), p.site_amount_micros, kWholeCredit, ".first"));
  if (sessions.empty()) {
    DF_RETURN_IF_ERROR(add(kLinear, "", p.site_amount_micros, kWholeCredit, ".linear.0"));
    return rows;
  }
  std::vector<int64_t> revenue = Split(p.site_amount_micros, sessions.size());
  std::vector<int64_t> credit = Split(kWholeCredit, sessions.size());
  for (size_t i = 0; i < sessions.size(); ++i) {
    DF_RETURN_IF_ERROR(add(kLinear, sessions[i], revenue[i], credit[i], ".linear." + std::to_string(i)));
  }
  return rows;
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
      DF_RETURN_IF_ERROR(Settle(site, refund, {}, false));
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
    DF_RETURN_IF_ERROR(Settle(**site, p, {}, true));
    settled += p.event_written ? 1 : 0;
  }
  return settled;
}

}  // namespace datafast::revenue
