#include "api/analytics.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "core/clock.h"
#include "core/time_zone.h"
#include "query/period.h"
#include "revenue/payment_recorder.h"
#include "revenue/revenue_summary.h"
#include "revenue/x_posts.h"

namespace datafast::api {
namespace {

namespace json = boost::json;
using query::Dimension;

constexpr int64_t kMicros = 1'000'000;
// A visitor is "online" for this long after their last event.
constexpr int64_t kRealtimeWindowMicros = 5 * 60 * kMicros;
constexpr size_t kRealtimeRecent = 20;
// Ten years of days; more rows than any chart can show.
constexpr size_t kMaxBuckets = 3700;
// How the API names the empty referrer, as DataFa.st does.
constexpr std::string_view kDirect = "Direct/None";

double Round2(double v) { return std::round(v * 100.0) / 100.0; }
double Ratio(double part, double whole) { return whole > 0 ? part / whole : 0.0; }
// Millionths to major units; exact for amounts with at most 6 decimals.
double Major(int64_t micros) { return static_cast<double>(micros) / kMicros; }

// The `fields` parameter against what a report offers; all when omitted.
class Fields {
 public:
  static Result<Fields> Parse(std::string_view param, std::vector<std::string> offered) {
    Fields f;
    if (param.empty()) {
      f.wanted_.insert(offered.begin(), offered.end());
      return f;
    }
    size_t start = 0;
    while (start <= param.size()) {
      size_t comma = std::min(param.find(',', start), param.size());
      std::string name(param.substr(start, comma - start));
      start = comma + 1;
      if (name.empty()) continue;
      if (std::find(offered.begin(), offered.end(), name) == offered.end()) {
        std::string list;
        for (const std::string& o : offered) list += (list.empty() ? "" : ", ") + o;
        return Status::InvalidArgument("fields: \"" + name + "\" is not one of " + list);
      }
      f.wanted_.insert(name);
    }
    if (f.wanted_.empty()) return Status::InvalidArgument("fields: names no field");
    return f;
  }
  bool Has(std::string_view name) const { return wanted_.contains(std::string(name)); }
  void Add(std::string name) { wanted_.insert(std::move(name)); }
  std::vector<std::string> List(const std::vector<std::string>& order) const {
    std::vector<std::string> out;
    for (const std::string& name : order)
      if (Has(name)) out.push_back(name);
    return out;
  }

 private:
  std::set<std::string> wanted_;
};

// The time zone, period and optional comparison a request asks for.
struct Window {
  core::TimeZone zone;
  query::Period period;
  bool compare = false;
  bool all_time = false;
};

Result<Window> ResolveWindow(const ReportRequest& request, std::string_view default_period) {
  std::string_view tz_name = ParamValue(request.params, "timezone");
  if (tz_name.empty()) tz_name = request.site->timezone;
  auto zone = core::TimeZone::Load(tz_name, request.zoneinfo_dir);
  if (!zone.ok()) return Status::InvalidArgument("timezone: \"" + std::string(tz_name) + "\" is not an IANA time zone");

  std::string_view compare = ParamValue(request.params, "compare");
  if (!compare.empty() && compare != "previous" && compare != "year") {
    return Status::InvalidArgument("compare: \"" + std::string(compare) + "\" is not one of previous, year");
  }
  query::Comparison comparison =
      compare == "year" ? query::Comparison::kYearBefore : query::Comparison::kPreviousPeriod;

  std::string_view start_at = ParamValue(request.params, "startAt");
  std::string_view end_at = ParamValue(request.params, "endAt");
  std::string_view named = ParamValue(request.params, "period");
  Result<query::Period> period = Status::Internal("unset");
  bool all_time = false;
  if (!start_at.empty() || !end_at.empty()) {
    if (!named.empty()) return Status::InvalidArgument("period: give either period or startAt and endAt");
    period = query::CustomPeriod(start_at, end_at, *zone, comparison);
  } else {
    std::string_view name = named.empty() ? default_period : named;
    period = query::NamedPeriod(name, *zone, request.now_micros, comparison);
    all_time = name == "all";
  }
  if (!period.ok()) return period.status();
  return Window{std::move(*zone), std::move(*period), !compare.empty(), all_time};
}

Result<size_t> ParseCount(const ReportRequest& request, std::string_view name, size_t fallback, size_t min,
                          size_t max) {
  std::string_view text = ParamValue(request.params, name);
  if (text.empty()) return fallback;
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Status::InvalidArgument(std::string(name) + ": must be a whole number from " + std::to_string(min) + " to " +
                                   std::to_string(max));
  }
  return value;
}

Result<store::ReportScope> ScopeOf(const ReportRequest& request, const query::TimeRange& range) {
  auto filters = query::ParseFilters(request.params);
  if (!filters.ok()) return filters.status();
  for (query::Filter& f : *filters) {
    if (f.dimension != Dimension::kReferrer) continue;
    for (std::string& v : f.values)
      if (v == kDirect) v.clear();
  }
  store::ReportScope scope;
  scope.site_ids = {request.site->id};
  scope.from_micros = range.from_micros;
  scope.to_micros = range.to_micros;
  scope.filters = std::move(*filters);
  scope.conversion_goal = std::string(ParamValue(request.params, "conversion_goal"));
  scope.time_zone = request.site->timezone;
  if (std::string_view model = ParamValue(request.params, "attribution"); !model.empty()) {
    auto parsed = store::ParseAttributionModel(model);
    if (!parsed) return Status::InvalidArgument("attribution: must be last, first or linear");
    scope.attribution = *parsed;
  }
  return scope;
}

json::object PeriodJson(const query::TimeRange& range, const core::TimeZone& zone) {
  return {{"start", core::FormatLocalIsoTime(range.from_micros, zone)},
          {"end", core::FormatLocalIsoTime(range.to_micros, zone)},
          {"timezone", zone.name()}};
}

// The metrics of `m` that `fields` asks for.
void PutMetrics(json::object& out, const store::Metrics& m, const Fields& fields, const store::Site& site) {
  double sessions = static_cast<double>(m.sessions);
  double visitors = static_cast<double>(m.visitors);
  if (fields.Has("visitors")) out["visitors"] = m.visitors;
  if (fields.Has("sessions")) out["sessions"] = m.sessions;
  if (fields.Has("pageviews")) out["pageviews"] = m.pageviews;
  if (fields.Has("views_per_session")) out["views_per_session"] = Round2(Ratio(double(m.pageviews), sessions));
  if (fields.Has("bounce_rate")) out["bounce_rate"] = Round2(100.0 * Ratio(double(m.bounces), sessions));
  if (fields.Has("avg_session_duration")) {
    out["avg_session_duration"] = Round2(Ratio(double(m.duration_micros) / 1000.0, sessions));
  }
  if (fields.Has("currency")) out["currency"] = site.currency;
  if (fields.Has("revenue")) out["revenue"] = Major(m.revenue_micros);
  if (fields.Has("payments")) out["payments"] = m.payments;
  if (fields.Has("revenue_per_visitor")) out["revenue_per_visitor"] = Round2(Ratio(Major(m.revenue_micros), visitors));
  if (fields.Has("conversion_rate")) {
    out["conversion_rate"] = Round2(100.0 * Ratio(double(m.converted_visitors), visitors));
  }
  if (fields.Has("completions")) out["completions"] = m.completions;
}

Result<json::object> Overview(store::EventStore& events, const ReportRequest& request) {
  static const std::vector<std::string> kFields = {
      "visitors", "sessions", "pageviews", "views_per_session",   "bounce_rate",    "avg_session_duration",
      "currency", "revenue",  "payments",  "revenue_per_visitor", "conversion_rate"};
  auto fields = Fields::Parse(ParamValue(request.params, "fields"), kFields);
  if (!fields.ok()) return fields.status();
  auto window = ResolveWindow(request, "all");
  if (!window.ok()) return window.status();
  auto scope = ScopeOf(request, window->period.range);
  if (!scope.ok()) return scope.status();
  auto current = events.Summarize(*scope);
  if (!current.ok()) return current.status();

  json::object metrics;
  PutMetrics(metrics, *current, *fields, *request.site);
  json::object body{{"status", "success"},
                    {"data", json::array{std::move(metrics)}},
                    {"period", PeriodJson(window->period.range, window->zone)}};
  if (window->compare && window->period.previous) {
    scope->from_micros = window->period.previous->from_micros;
    scope->to_micros = window->period.previous->to_micros;
    auto previous = events.Summarize(*scope);
    if (!previous.ok()) return previous.status();
    json::object before;
    PutMetrics(before, *previous, *fields, *request.site);
    body["previous"] = std::move(before);
    body["previous_period"] = PeriodJson(*window->period.previous, window->zone);
  }
  return body;
}

// A bucket's label, as DataFa.st shows it: "14:00", "17 Dec", "Dec 2025".
std::string BucketName(int64_t local_seconds, query::Interval interval) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t days = core::DayOfSeconds(local_seconds);
  core::CivilDate date = core::CivilFromDays(days);
  char out[24];
  switch (interval) {
    case query::Interval::kHour:
      std::snprintf(out, sizeof out, "%02d:00", static_cast<int>((local_seconds - days * 86'400) / 3600));
      break;
    case query::Interval::kDay:
    case query::Interval::kWeek:
      std::snprintf(out, sizeof out, "%02d %s", date.day, kMonths[date.month - 1]);
      break;
    case query::Interval::kMonth:
      std::snprintf(out, sizeof out, "%s %lld", kMonths[date.month - 1], static_cast<long long>(date.year));
      break;
  }
  return out;
}

Result<json::object> Timeseries(store::EventStore& events, const ReportRequest& request) {
  static const std::vector<std::string> kFields = {"name",    "visitors", "sessions",       "pageviews",
                                                   "revenue", "payments", "conversion_rate"};
  auto fields = Fields::Parse(ParamValue(request.params, "fields"), kFields);
  if (!fields.ok()) return fields.status();
  if (fields->Has("revenue")) fields->Add("payments");  // as DataFa.st does

  std::string_view interval_name = ParamValue(request.params, "interval");
  if (interval_name.empty()) interval_name = "day";
  auto interval = query::ParseInterval(interval_name);
  if (!interval) {
    return Status::InvalidArgument("interval: \"" + std::string(interval_name) +
                                   "\" is not one of hour, day, week, month");
  }
  std::string_view default_period = *interval == query::Interval::kHour    ? "24h"
                                    : *interval == query::Interval::kMonth ? "12mo"
                                                                           : "30d";
  auto window = ResolveWindow(request, default_period);
  if (!window.ok()) return window.status();
  query::TimeRange range = window->period.range;
  // A range of one day or less is drawn by the hour.
  if (range.to_micros - range.from_micros <= 25 * 3600 * kMicros) interval = query::Interval::kHour;
  if (window->all_time) {
    // All time starts at the site's first event, not in 1970.
    auto activity = events.Activity(request.site->id, "", 0);
    if (!activity.ok()) return activity.status();
    int64_t first = activity->first_ts_micros > 0 ? activity->first_ts_micros : request.now_micros;
    range.from_micros = std::max(range.from_micros, std::min(first, range.to_micros));
  }
  auto limit = ParseCount(request, "limit", 100, 1, 1000);
  if (!limit.ok()) return limit.status();
  auto offset = ParseCount(request, "offset", 0, 0, SIZE_MAX);
  if (!offset.ok()) return offset.status();

  auto scope = ScopeOf(request, range);
  if (!scope.ok()) return scope.status();
  std::vector<int64_t> starts = query::BucketStarts(range, *interval, window->zone);
  if (window->all_time && !starts.empty()) range.from_micros = starts.front();  // from the first bucket's start
  if (starts.size() > kMaxBuckets) {
    return Status::InvalidArgument("interval: " + std::string(query::ToString(*interval)) +
                                   " buckets over this period " + "would be " + std::to_string(starts.size()) +
                                   " rows; choose a longer interval");
  }
  auto spans = core::OffsetSpans(window->zone, range.from_micros / kMicros, range.to_micros / kMicros + 1);
  auto rows = events.Timeseries(*scope, *interval, spans);
  if (!rows.ok()) return rows.status();
  auto totals = events.Summarize(*scope);
  if (!totals.ok()) return totals.status();

  json::array data;
  size_t next_row = 0;
  for (size_t i = *offset; i < starts.size() && data.size() < *limit; ++i) {
    int64_t start_seconds = starts[i] / kMicros;
    int64_t local = start_seconds + window->zone.OffsetAt(start_seconds);
    int64_t key = *interval == query::Interval::kHour ? start_seconds : local;
    while (next_row < rows->size() && (*rows)[next_row].start_seconds < key) ++next_row;
    store::Metrics m;
    if (next_row < rows->size() && (*rows)[next_row].start_seconds == key) m = (*rows)[next_row].metrics;
    json::object point;
    if (fields->Has("name")) point["name"] = BucketName(local, *interval);
    point["timestamp"] = core::FormatLocalIsoTime(starts[i], window->zone);
    PutMetrics(point, m, *fields, *request.site);
    data.push_back(std::move(point));
  }
  json::object total;
  PutMetrics(total, *totals, *fields, *request.site);
  json::array field_list;
  for (const std::string& f : fields->List(kFields)) field_list.emplace_back(f);
  return json::object{{"status", "success"},
                      {"fields", std::move(field_list)},
                      {"interval", query::ToString(*interval)},
                      {"timezone", window->zone.name()},
                      {"currency", request.site->currency},
                      {"period", PeriodJson(range, window->zone)},
                      {"totals", std::move(total)},
                      {"data", std::move(data)},
                      {"pagination", json::object{{"limit", *limit}, {"offset", *offset}, {"total", starts.size()}}}};
}

Result<json::object> Breakdown(store::EventStore& events, const ReportRequest& request, Dimension dimension) {
  std::string key(query::ToString(dimension));
  std::vector<std::string> offered = {
      key, "visitors", "sessions", "pageviews", "revenue", "payments", "revenue_per_visitor", "conversion_rate"};
  if (dimension == Dimension::kGoal) offered.push_back("completions");
  auto fields = Fields::Parse(ParamValue(request.params, "fields"), offered);
  if (!fields.ok()) return fields.status();
  auto window = ResolveWindow(request, "all");
  if (!window.ok()) return window.status();
  auto limit = ParseCount(request, "limit", 100, 1, 1000);
  if (!limit.ok()) return limit.status();
  auto offset = ParseCount(request, "offset", 0, 0, SIZE_MAX);
  if (!offset.ok()) return offset.status();
  auto scope = ScopeOf(request, window->period.range);
  if (!scope.ok()) return scope.status();
  auto page = events.Breakdown(*scope, dimension, *limit, *offset);
  if (!page.ok()) return page.status();

  json::array data;
  for (const store::BreakdownRow& row : page->rows) {
    json::object out;
    if (fields->Has(key)) {
      out[key] = dimension == Dimension::kReferrer && row.value.empty() ? std::string(kDirect) : row.value;
      if (dimension == Dimension::kReferrer) out["referrer_domain"] = row.detail;
      if (dimension == Dimension::kRegion || dimension == Dimension::kCity) out["country"] = row.detail;
    }
    PutMetrics(out, row.metrics, *fields, *request.site);
    data.push_back(std::move(out));
  }
  return json::object{
      {"status", "success"},
      {"data", std::move(data)},
      {"period", PeriodJson(window->period.range, window->zone)},
      {"pagination", json::object{{"limit", *limit}, {"offset", *offset}, {"total", page->total_rows}}}};
}

json::object EventJson(const store::Event& e) {
  return {{"type", store::ToString(e.type)},
          {"path", e.pathname},
          {"goal", e.goal_name},
          {"country", e.country},
          {"city", e.city},
          {"device", e.device},
          {"browser", e.browser},
          {"timestamp", core::FormatIsoTime(e.ts_micros)}};
}

Result<json::object> Realtime(store::EventStore& events, const ReportRequest& request, bool map) {
  std::vector<std::string> sites = {request.site->id};
  auto now = events.RecentActivity(sites, request.now_micros - kRealtimeWindowMicros, map ? kRealtimeRecent : 0);
  if (!now.ok()) return now.status();
  if (!map) {
    return json::object{{"status", "success"}, {"data", json::array{json::object{{"visitors", now->visitors}}}}};
  }
  json::array places, recent, payments;
  for (const store::RealtimeLocation& l : now->locations) {
    places.push_back(
        json::object{{"country", l.country}, {"region", l.region}, {"city", l.city}, {"visitors", l.visitors}});
  }
  for (const store::Event& e : now->recent_events) recent.push_back(EventJson(e));
  for (const store::Event& e : now->recent_payments) {
    payments.push_back(json::object{{"amount", Major(e.revenue_micros)},
                                    {"currency", request.site->currency},
                                    {"country", e.country},
                                    {"timestamp", core::FormatIsoTime(e.ts_micros)}});
  }
  return json::object{{"status", "success"},
                      {"data", json::object{{"visitors", std::move(places)},
                                            {"recent_events", std::move(recent)},
                                            {"recent_payments", std::move(payments)}}}};
}

}  // namespace

const std::vector<std::pair<std::string_view, Dimension>>& BreakdownReports() {
  static const std::vector<std::pair<std::string_view, Dimension>> kReports = {
      {"channels", Dimension::kChannel},
      {"referrers", Dimension::kReferrer},
      {"utm-sources", Dimension::kUtmSource},
      {"utm-mediums", Dimension::kUtmMedium},
      {"utm-campaigns", Dimension::kUtmCampaign},
      {"campaigns", Dimension::kUtmCampaign},
      {"utm-terms", Dimension::kUtmTerm},
      {"utm-contents", Dimension::kUtmContent},
      {"refs", Dimension::kRef},
      {"sources", Dimension::kSource},
      {"vias", Dimension::kVia},
      {"pages", Dimension::kPage},
      {"entry-pages", Dimension::kEntryPage},
      {"exit-pages", Dimension::kExitPage},
      {"hostnames", Dimension::kHostname},
      {"countries", Dimension::kCountry},
      {"regions", Dimension::kRegion},
      {"cities", Dimension::kCity},
      {"browsers", Dimension::kBrowser},
      {"operating-systems", Dimension::kOs},
      {"devices", Dimension::kDevice},
      {"goals", Dimension::kGoal},
  };
  return kReports;
}

Result<json::object> RunReport(store::EventStore& events, std::string_view report, const ReportRequest& request) {
  if (report == "overview") return Overview(events, request);
  if (report == "timeseries") return Timeseries(events, request);
  if (report == "realtime") return Realtime(events, request, false);
  if (report == "realtime/map") return Realtime(events, request, true);
  for (const auto& [name, dimension] : BreakdownReports()) {
    if (name == report) return Breakdown(events, request, dimension);
  }
  return Status::NotFound("no analytics report \"" + std::string(report) + "\"");
}

Result<json::object> RevenueReport(store::EventStore& events, store::MetaStore& meta, const ReportRequest& request) {
  auto window = ResolveWindow(request, "30d");
  if (!window.ok()) return window.status();
  query::TimeRange range = window->period.range;
  auto payments = meta.ListPayments({.site_id = request.site->id});
  if (!payments.ok()) return payments.status();
  if (window->all_time) {
    int64_t first = payments->empty() ? request.now_micros : payments->front().ts_micros;
    range.from_micros = std::max(range.from_micros, std::min(first, range.to_micros));
  }
  std::string_view interval_name = ParamValue(request.params, "interval");
  int64_t days = (range.to_micros - range.from_micros) / (86'400 * kMicros);
  query::Interval interval = days <= 31    ? query::Interval::kDay
                             : days <= 186 ? query::Interval::kWeek
                                           : query::Interval::kMonth;
  if (!interval_name.empty()) {
    auto parsed = query::ParseInterval(interval_name);
    if (!parsed || *parsed == query::Interval::kHour) {
      return Status::InvalidArgument("interval: \"" + std::string(interval_name) + "\" is not one of day, week, month");
    }
    interval = *parsed;
  }
  std::vector<int64_t> starts = query::BucketStarts(range, interval, window->zone);
  if (starts.size() > kMaxBuckets) {
    return Status::InvalidArgument("interval: too many buckets over this period; choose a longer interval");
  }
  if (!starts.empty()) range.from_micros = std::min(range.from_micros, starts.front());

  std::vector<std::string> payers;
  for (const store::Payment& p : *payments) {
    if (!p.visitor_id.empty() && p.kind != "refund") payers.push_back(p.visitor_id);
  }
  std::sort(payers.begin(), payers.end());
  payers.erase(std::unique(payers.begin(), payers.end()), payers.end());
  auto first_seen = events.FirstSeen(request.site->id, payers);
  if (!first_seen.ok()) return first_seen.status();
  revenue::RevenueSummary s =
      revenue::SummarizeRevenue(*payments, range.from_micros, range.to_micros, starts, request.now_micros, *first_seen);

  auto money = [](int64_t micros) { return Round2(Major(micros)); };
  auto figures = [&](const revenue::RevenueFigures& f, json::object& out) {
    out["revenue"] = money(f.revenue);
    out["new_revenue"] = money(f.new_revenue);
    out["renewal_revenue"] = money(f.renewal_revenue);
    out["refunds"] = money(f.refunds);
    out["payments"] = f.payments;
    out["mrr"] = money(f.mrr);
    out["active_subscriptions"] = f.active_subscriptions;
    out["churned_mrr"] = money(f.churned_mrr);
  };
  json::object totals;
  figures(s.totals, totals);
  totals["new_payments"] = s.totals.new_payments;
  totals["renewals"] = s.totals.renewals;
  totals["refund_count"] = s.totals.refund_count;
  totals["free_trials"] = s.totals.free_trials;
  totals["trialing"] = s.totals.trialing;
  totals["customers"] = s.customers;
  totals["average_order_value"] =
      s.totals.payments == 0 ? 0.0 : Round2(Major(s.totals.new_revenue + s.totals.renewal_revenue) / s.totals.payments);
  totals["median_days_to_first_payment"] =
      s.median_days_to_first_payment ? json::value(Round2(*s.median_days_to_first_payment)) : json::value(nullptr);
  totals["unattributed_revenue"] = money(s.unattributed_revenue);
  json::array attribution;
  for (const auto& [rule, share] : s.by_rule) {
    attribution.push_back(json::object{{"rule", rule},
                                       {"confidence", revenue::AttributionConfidence(rule)},
                                       {"revenue", money(share.revenue)},
                                       {"payments", share.payments}});
  }
  json::array data;
  for (size_t i = 0; i < starts.size(); ++i) {
    json::object point{{"timestamp", core::FormatLocalIsoTime(starts[i], window->zone)}};
    figures(s.buckets[i], point);
    data.push_back(std::move(point));
  }

  // Lifetime value: the twelve months of first visits up to the period's end.
  int64_t as_of = std::min(range.to_micros, request.now_micros);
  std::vector<int64_t> months =
      query::BucketStarts({as_of - 366 * 86'400 * kMicros, as_of}, query::Interval::kMonth, window->zone);
  if (months.size() > 12) months.erase(months.begin(), months.end() - 12);
  months.push_back(as_of);
  auto sizes = events.NewVisitors(request.site->id, months);
  if (!sizes.ok()) return sizes.status();
  json::array ltv;
  for (const revenue::Cohort& c : revenue::LtvCohorts(*payments, *first_seen, months, *sizes)) {
    json::array per_visitor;
    for (int64_t micros : c.revenue_per_visitor) per_visitor.push_back(money(micros));
    ltv.push_back(json::object{{"cohort", core::FormatLocalIsoTime(c.start_micros, window->zone).substr(0, 7)},
                               {"start", core::FormatLocalIsoTime(c.start_micros, window->zone)},
                               {"visitors", c.visitors},
                               {"customers", c.customers},
                               {"revenue_per_visitor", std::move(per_visitor)}});
  }
  return json::object{{"status", "success"},
                      {"currency", request.site->currency},
                      {"interval", query::ToString(interval)},
                      {"period", PeriodJson(range, window->zone)},
                      {"totals", std::move(totals)},
                      {"attribution", std::move(attribution)},
                      {"data", std::move(data)},
                      {"ltv", std::move(ltv)}};
}

Result<json::object> XReport(store::EventStore& events, store::MetaStore& meta, const ReportRequest& request) {
  static const std::vector<std::string> kXFields = {
      "visitors", "sessions", "revenue", "payments", "revenue_per_visitor", "conversion_rate"};
  auto fields = Fields::Parse("", kXFields);
  auto window = ResolveWindow(request, "30d");
  if (!window.ok()) return window.status();
  auto scope = ScopeOf(request, window->period.range);
  if (!scope.ok()) return scope.status();
  store::ReportScope from_x = *scope;
  from_x.filters.push_back({Dimension::kReferrer, query::FilterOp::kIs, {"X"}});
  auto totals = events.Summarize(from_x);
  if (!totals.ok()) return totals.status();
  auto channels = events.Breakdown(from_x, Dimension::kChannel, 100, 0);
  if (!channels.ok()) return channels.status();
  // Ads are the paid visits (an X Ads click id or utm_medium=paid); the
  // rest is organic.
  store::Metrics ads, organic;
  auto add = [](store::Metrics& to, const store::Metrics& m) {
    to.visitors += m.visitors;
    to.sessions += m.sessions;
    to.revenue_micros += m.revenue_micros;
    to.payments += m.payments;
    to.converted_visitors += m.converted_visitors;
  };
  for (const store::BreakdownRow& row : channels->rows) add(row.value == "paid" ? ads : organic, row.metrics);

  // Posts: ?ref=x-ID from anywhere, and utm_content=ID on visits from X.
  std::map<std::string, store::Metrics> posts;
  auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 25 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  auto refs = events.Breakdown(*scope, Dimension::kRef, 1000, 0);
  if (!refs.ok()) return refs.status();
  for (const store::BreakdownRow& row : refs->rows) {
    if (row.value.starts_with("x-") && digits(std::string_view(row.value).substr(2))) {
      add(posts[row.value.substr(2)], row.metrics);
    }
  }
  auto contents = events.Breakdown(from_x, Dimension::kUtmContent, 1000, 0);
  if (!contents.ok()) return contents.status();
  for (const store::BreakdownRow& row : contents->rows) {
    if (digits(row.value)) add(posts[row.value], row.metrics);
  }
  // Registered posts are listed, visited or not, with what X said of them.
  auto registered = meta.ListXPosts(request.site->id);
  if (!registered.ok()) return registered.status();
  std::map<std::string, store::XPost> details;
  for (store::XPost& p : *registered) {
    posts.try_emplace(p.post_id);
    details[p.post_id] = std::move(p);
  }
  std::vector<std::pair<std::string, store::Metrics>> ranked(posts.begin(), posts.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second.revenue_micros != b.second.revenue_micros) return a.second.revenue_micros > b.second.revenue_micros;
    return a.second.visitors > b.second.visitors;
  });
  auto accounts = meta.ListXAccounts(request.site->id);
  if (!accounts.ok()) return accounts.status();
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  std::map<std::string, std::pair<uint64_t, store::Metrics>> by_account;  // by lower-case handle: posts, figures
  for (const store::XAccount& a : *accounts) by_account[lower(a.handle)];
  json::array post_rows;
  for (const auto& [id, m] : ranked) {
    auto known = details.find(id);
    store::XPost unregistered;
    unregistered.post_id = id;
    json::object row = revenue::XPostJson(known != details.end() ? known->second : unregistered);
    row["registered"] = known != details.end();
    PutMetrics(row, m, *fields, *request.site);
    post_rows.push_back(std::move(row));
    if (known == details.end()) continue;
    if (auto account = by_account.find(lower(known->second.handle)); account != by_account.end()) {
      ++account->second.first;
      add(account->second.second, m);
    }
  }
  json::array account_rows;
  for (const store::XAccount& a : *accounts) {
    const auto& [count, m] = by_account[lower(a.handle)];
    json::object row{{"handle", a.handle}, {"url", "https://x.com/" + a.handle}, {"posts", count}};
    PutMetrics(row, m, *fields, *request.site);
    account_rows.push_back(std::move(row));
  }
  json::object total, organic_json, ads_json;
  PutMetrics(total, *totals, *fields, *request.site);
  PutMetrics(organic_json, organic, *fields, *request.site);
  PutMetrics(ads_json, ads, *fields, *request.site);
  return json::object{{"status", "success"},
                      {"currency", request.site->currency},
                      {"period", PeriodJson(window->period.range, window->zone)},
                      {"totals", std::move(total)},
                      {"organic", std::move(organic_json)},
                      {"ads", std::move(ads_json)},
                      {"accounts", std::move(account_rows)},
                      {"posts", std::move(post_rows)}};
}

Result<DateSpan> ReportDates(const ReportRequest& request) {
  auto window = ResolveWindow(request, "all");
  if (!window.ok()) return window.status();
  // The YYYY-MM-DD of the local time.
  auto date = [&](int64_t micros) { return core::FormatLocalIsoTime(micros, window->zone).substr(0, 10); };
  const query::TimeRange& range = window->period.range;
  return DateSpan{window->all_time ? "" : date(range.from_micros), date(range.to_micros - 1)};
}

}  // namespace datafast::api
