// Names the calling thread, as top -H, perf and /proc/PID/task/*/comm show
// it: the benchmarks report CPU per thread by these names.
#pragma once

#include <string_view>

namespace datafast::core {

// At most 15 characters are kept (the kernel's limit).
void NameCurrentThread(std::string_view name);

}  // namespace datafast::core
