// What the calling thread is, for the people and the kernel who look at it.
#pragma once

#include <string_view>

#include "core/status.h"

namespace datafast::core {

// Names the calling thread, as top -H, perf and /proc/PID/task/*/comm show
// it: the benchmarks report CPU per thread by these names. At most 15
// characters are kept (the kernel's limit).
void NameCurrentThread(std::string_view name);

// Schedules the calling thread as batch work (Linux SCHED_BATCH, its nice
// value unchanged): when it wakes while every core is busy, it waits for
// the running thread's turn to end instead of preempting it. It still gets
// its full share of the CPU, and an idle core still runs it at once.
Status ScheduleCurrentThreadAsBatch();

}  // namespace datafast::core
