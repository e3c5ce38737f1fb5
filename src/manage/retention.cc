#include "manage/retention.h"

#include "core/log.h"

namespace datafast::manage {

Result<uint64_t> ApplyRetention(store::MetaStore& meta, store::EventStore& events, const core::Clock& clock) {
  constexpr int64_t kDayMicros = 86'400LL * 1'000'000;
  auto sites = meta.ListSites();
  if (!sites.ok()) return sites.status();
  uint64_t total = 0;
  int64_t now = clock.NowMicros();
  for (const store::Site& site : *sites) {
    auto deleted = events.DeleteEventsBefore(site.id, now - site.retention_days * kDayMicros);
    if (!deleted.ok()) return deleted.status().WithContext("retention of " + site.id);
    if (*deleted > 0) {
      core::LogInfo(
          "retention deleted old events",
          {{"site", site.id}, {"events", int64_t(*deleted)}, {"retention_days", int64_t(site.retention_days)}});
    }
    total += *deleted;
  }
  return total;
}

}  // namespace datafast::manage
