// POST /api/events: the tracker's endpoint. Runs the pipeline, hands the
// event to the writer, and answers only once the writer has committed it:
//   202 {"status":"accepted"}               stored durably
//   202 {"status":"ignored","reason":"bot"}  dropped on purpose (bot, spam)
//   4xx error envelope                       refused, naming the problem
//   503 + Retry-After                        queue full or store failing
// CORS is open (the tracker runs on customers' sites) and credentials are
// never read.
#pragma once

#include <functional>

#include "http/router.h"
#include "ingest/event_writer.h"
#include "ingest/pipeline.h"

namespace datafast::ingest {

// Told of each payment event (a success page's) once it is stored; must
// return at once (it runs on an IO thread).
using PaymentSeen = std::function<void(const store::Event&)>;

void AddEventsEndpoint(http::Router& router, const Pipeline& pipeline, EventWriter& writer,
                       core::MetricsRegistry& metrics, PaymentSeen payment_seen);

}  // namespace datafast::ingest
