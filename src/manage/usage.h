// Usage against the plan (PRD FR-10): events per account per calendar month
// (UTC), warnings by mail at 80, 90 and 100 % (each once a month, to the
// account's owners), and, when the owner chose "pause", tracking paused for
// the rest of the month once the limit is reached. Refresh() recomputes
// every account (the server calls it every minute); Paused() answers the
// ingestion pipeline from memory. Thread-safe.
#pragma once

#include <optional>
#include <set>
#include <shared_mutex>
#include <string>

#include "auth/mailer.h"
#include "core/clock.h"
#include "ingest/tracking_gate.h"
#include "manage/plans.h"
#include "store/event_store.h"
#include "store/meta_store.h"

namespace datafast::manage {

struct Usage {
  Plan plan;
  int64_t period_start_micros = 0;  // first instant of the month, UTC
  int64_t period_end_micros = 0;    // first instant of the next month
  uint64_t events = 0;
  std::optional<double> percent;  // nullopt for an unlimited plan
  int warning = 0;                // 0, 80, 90 or 100: the highest level reached
  bool paused = false;
};

class UsageMonitor final : public ingest::TrackingGate {
 public:
  UsageMonitor(store::MetaStore& meta, store::EventStore& events, const Plans& plans, const core::Clock& clock,
               auth::Mailer& mailer, std::string public_url);

  // The account's usage this month, counted now.
  Result<Usage> UsageOf(const store::Account& account);

  // Recounts every account: sends the warnings due, and pauses or resumes
  // tracking.
  Status Refresh();

  bool Paused(std::string_view account_id) const override;

  const Plans& plans() const { return plans_; }

 private:
  Status Warn(const store::Account& account, const Usage& usage, int level);

  store::MetaStore& meta_;
  store::EventStore& events_;
  const Plans& plans_;
  const core::Clock& clock_;
  auth::Mailer& mailer_;
  const std::string public_url_;
  // Read for every event: a shared lock, and a lookup by string_view.
  mutable std::shared_mutex mu_;
  std::set<std::string, std::less<>> paused_;  // account ids
};

// "YYYY-MM" of the UTC month holding `micros`, with its first instant and
// the next month's.
struct Month {
  std::string label;
  int64_t start_micros;
  int64_t end_micros;
};
Month MonthOf(int64_t micros);

}  // namespace datafast::manage
