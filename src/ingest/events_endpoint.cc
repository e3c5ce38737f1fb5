#include "ingest/events_endpoint.h"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "ingest/tracker_payload.h"

namespace datafast::ingest {
namespace {

namespace asio = boost::asio;
namespace beast_http = http::beast_http;

// The tracker posts cross-origin from every customer's site. Its POST is a
// CORS simple request (text/plain), which needs only the allow-origin header;
// the rest answers preflights from clients that send application/json.
void AllowCors(http::Response& res) { res.set(beast_http::field::access_control_allow_origin, "*"); }

void AllowPreflight(http::Response& res) {
  AllowCors(res);
  res.set(beast_http::field::access_control_allow_methods, "POST, OPTIONS");
  res.set(beast_http::field::access_control_allow_headers, "Content-Type");
  res.set(beast_http::field::access_control_max_age, "86400");
}

// Suspends the calling coroutine until the writer has committed `event`;
// resumes it on its own executor with the commit's Status, or with
// kUnavailable at once when the queue is full.
asio::awaitable<Status> SubmitAndWait(EventWriter& writer, store::Event&& event) {
  // The initiation captures nothing but references: GCC 12 can destroy a
  // temporary of a co_await expression twice, and a captured executor copy
  // (a strand) would then release its strand twice.
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Status)>(
      [&writer, &event](auto handler) {
        auto executor = asio::get_associated_executor(handler);
        // The writer's callback must be copyable; the coroutine's handler is
        // move-only, so it travels in a shared_ptr.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        bool queued = writer.Submit(std::move(event), [shared, executor](const Status& status) {
          asio::post(executor, [shared, status]() mutable { (*shared)(status); });
        });
        if (!queued) {
          asio::post(executor, [shared]() mutable {
            (*shared)(Status::Unavailable("too many events waiting to be written; retry shortly"));
          });
        }
      },
      asio::use_awaitable);
}

}  // namespace

void AddEventsEndpoint(http::Router& router, const Pipeline& pipeline, EventWriter& writer,
                       core::MetricsRegistry& metrics, PaymentSeen payment_seen) {
  core::Counter& queue_full = metrics.AddCounter("datafast_events_dropped_total",
                                                 "Events refused or ignored, by reason.", "reason=\"queue_full\"");
  router.Add(http::Route{
      beast_http::verb::post, "/api/events", false, kMaxBodyBytes,
      [&pipeline, &writer, &queue_full,
       payment_seen = std::move(payment_seen)](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
        PipelineResult result = pipeline.Process(
            RequestInfo{ctx.request.body(), ctx.client_ip, ctx.request[beast_http::field::user_agent]});
        http::Response res;
        if (result.event) {
          // Moved into the writer; a payment's lookup needs a copy.
          std::optional<store::Event> payment;
          if (result.event->type == store::EventType::kPayment) payment = *result.event;
          Status committed = co_await SubmitAndWait(writer, std::move(*result.event));
          if (committed.ok()) {
            if (payment) payment_seen(*payment);
            // Written out: building and serialising a JSON value for the
            // answer to nearly every request is wasted work.
            res = http::JsonTextResponse(beast_http::status::accepted, R"({"status":"accepted"})");
          } else {
            if (committed.code() == StatusCode::kUnavailable) queue_full.Add();
            // A failed commit is the server's problem, and the client may
            // retry: 503, not 500.
            res = http::ErrorResponse(committed.code() == StatusCode::kUnavailable
                                          ? committed
                                          : Status::Unavailable("could not store the event; retry shortly"));
          }
        } else if (!result.status.ok()) {
          res = http::ErrorResponse(result.status);
        } else {
          res = http::JsonResponse(beast_http::status::accepted,
                                   {{"status", "ignored"}, {"reason", ToString(*result.dropped)}});
        }
        AllowCors(res);
        co_return res;
      }});
  router.Add(http::Route{beast_http::verb::options, "/api/events", false, 0,
                         [](http::RequestContext&) -> asio::awaitable<http::Response> {
                           http::Response res{beast_http::status::no_content, 11};
                           AllowPreflight(res);
                           co_return res;
                         }});
}

}  // namespace datafast::ingest
