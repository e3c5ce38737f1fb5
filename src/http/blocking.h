// Running blocking work (a report query, seconds long on a big site) off the
// IO threads: the calling coroutine suspends, the work runs on a pool, and the
// coroutine resumes on its own executor with the result. Meanwhile the IO
// threads go on serving other requests, tracker events first of all.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>

namespace datafast::http {

template <typename T>
boost::asio::awaitable<T> RunBlocking(boost::asio::thread_pool& pool, std::function<T()> work) {
  namespace asio = boost::asio;
  // The initiation captures references only: GCC 12 can destroy a temporary
  // of a co_await expression twice (see ingest/events_endpoint.cc).
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(T)>(
      [&pool, &work](auto handler) {
        auto executor = asio::get_associated_executor(handler);
        // Asio's handlers are move-only; the posted functions must be copyable.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        asio::post(pool, [shared, executor, work = std::move(work)]() {
          auto result = std::make_shared<T>(work());
          asio::post(executor, [shared, result]() { (*shared)(std::move(*result)); });
        });
      },
      asio::use_awaitable);
}

}  // namespace datafast::http
