#include "manage/usage.h"

#include <chrono>
#include <cstdio>
#include <mutex>

#include "core/log.h"

namespace datafast::manage {

Month MonthOf(int64_t micros) {
  using namespace std::chrono;
  sys_days day = floor<days>(sys_time<microseconds>(microseconds(micros)));
  year_month_day date{day};
  year_month first = date.year() / date.month();
  year_month next = first + months(1);
  auto start = sys_days(first / 1);
  auto end = sys_days(next / 1);
  char label[16];
  std::snprintf(label, sizeof label, "%04d-%02u", int(date.year()), unsigned(date.month()));
  return Month{label, duration_cast<microseconds>(start.time_since_epoch()).count(),
               duration_cast<microseconds>(end.time_since_epoch()).count()};
}

UsageMonitor::UsageMonitor(store::MetaStore& meta, store::EventStore& events, const Plans& plans,
                           const core::Clock& clock, auth::Mailer& mailer, std::string public_url)
    : meta_(meta), events_(events), plans_(plans), clock_(clock), mailer_(mailer), public_url_(std::move(public_url)) {}

Result<Usage> UsageMonitor::UsageOf(const store::Account& account) {
  Month month = MonthOf(clock_.NowMicros());
  Usage usage;
  usage.plan = plans_.Find(account.plan);
  usage.period_start_micros = month.start_micros;
  usage.period_end_micros = month.end_micros;
  auto sites = meta_.ListSitesOfAccount(account.id);
  if (!sites.ok()) return sites.status();
  for (const store::Site& site : *sites) {
    auto count = events_.CountEventsBetween(site.id, month.start_micros, month.end_micros);
    if (!count.ok()) return count.status();
    usage.events += *count;
  }
  if (usage.plan.events_per_month) {
    usage.percent = 100.0 * static_cast<double>(usage.events) / static_cast<double>(*usage.plan.events_per_month);
    for (int level : {80, 90, 100}) {
      if (*usage.percent >= level) usage.warning = level;
    }
    usage.paused = usage.warning == 100 && account.over_limit == "pause";
  }
  return usage;
}

Status UsageMonitor::Warn(const store::Account& account, const Usage& usage, int level) {
  auto fresh = meta_.RecordUsageWarning(account.id, MonthOf(clock_.NowMicros()).label, level, clock_.NowMicros());
  if (!fresh.ok()) return fresh.status();
  if (!*fresh) return Status::Ok();  // already sent this month
  auto members = meta_.ListMembersOfAccount(account.id);
  if (!members.ok()) return members.status();
  std::string what = level < 100
                         ? "has used " + std::to_string(level) + " % of"
                         : (account.over_limit == "pause" ? "has reached, and tracking is paused until next month,"
                                                          : "has reached (tracking continues, as you chose)");
  for (const store::Membership& m : *members) {
    if (m.role != store::Role::kOwner) continue;
    DF_RETURN_IF_ERROR(mailer_.Send(
        {m.email, "DataFast: " + account.name + " at " + std::to_string(level) + " % of its monthly events",
         "Your DataFast account " + account.name + " " + what + " the " + std::to_string(*usage.plan.events_per_month) +
             " events of its " + usage.plan.name + " plan this month (" + std::to_string(usage.events) +
             " so far).\n\nSee your usage and choose what happens over the limit:\n\n" + public_url_ + "/usage\n"}));
  }
  return Status::Ok();
}

Status UsageMonitor::Refresh() {
  auto accounts = meta_.ListAccounts();
  if (!accounts.ok()) return accounts.status();
  std::set<std::string, std::less<>> paused;
  for (const store::Account& account : *accounts) {
    auto usage = UsageOf(account);
    if (!usage.ok()) return usage.status();
    for (int level : {80, 90, 100}) {
      if (usage->warning >= level) DF_RETURN_IF_ERROR(Warn(account, *usage, level));
    }
    if (usage->paused) paused.insert(account.id);
  }
  std::unique_lock lock(mu_);
  for (const std::string& id : paused) {
    if (!paused_.contains(id)) core::LogInfo("tracking paused: over the plan's limit", {{"account", id}});
  }
  paused_ = std::move(paused);
  return Status::Ok();
}

bool UsageMonitor::Paused(std::string_view account_id) const {
  std::shared_lock lock(mu_);
  return paused_.contains(account_id);
}

}  // namespace datafast::manage
