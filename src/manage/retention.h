// Data retention: each site keeps its events for `retention_days` (two
// years unless changed); older events are deleted for real. Run hourly by
// the server; a site whose retention is shortened loses its older events at
// the next run.
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "core/status.h"
#include "store/event_store.h"
#include "store/meta_store.h"

namespace datafast::manage {

// Deletes every site's events older than its retention; returns how many.
Result<uint64_t> ApplyRetention(store::MetaStore& meta, store::EventStore& events, const core::Clock& clock);

}  // namespace datafast::manage
