// POST /api/events: the tracker's endpoint. Runs the pipeline, hands the
// event to the writer, and answers only once the writer has committed it:
//   202 {"status":"accepted"}               stored durably
//   202 {"status":"ignored","reason":"bot"}  dropped on purpose (bot, spam)
//   4xx error envelope                       refused, naming the problem
//   503 + Retry-After                        queue full or store failing
// CORS is open (the tracker runs on customers' sites) and credentials are
// never read.
#pragma once

#include "http/router.h"
#include "ingest/event_writer.h"
#include "ingest/pipeline.h"

namespace datafast::ingest {

void AddEventsEndpoint(http::Router& router, const Pipeline& pipeline, EventWriter& writer,
                       core::MetricsRegistry& metrics);

}  // namespace datafast::ingest
