// `datafast serve`: wires the stores, the ingestion pipeline, the writer and
// the HTTP server together, runs until SIGTERM or SIGINT, then drains: stops
// accepting, lets requests in flight finish, commits every queued event, and
// exits 0.
#pragma once

#include "config/options.h"

namespace datafast::app {

// Returns the process exit code.
int Serve(const config::Options& options);

}  // namespace datafast::app
