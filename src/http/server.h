// The HTTP/1.1 server: an acceptor and one coroutine per connection, after
// Boost.Beast's advanced server (C++20 coroutines, per-route body limits,
// read timeouts, keep-alive). TLS is left to a reverse proxy in front
// (docs/deployment.md).
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/client_ip.h"
#include "http/router.h"

namespace datafast::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  unsigned threads = 1;
  ProxyTrust proxies;
  std::chrono::seconds idle_timeout{30};
  std::chrono::seconds shutdown_grace{10};
};

// One io_context per thread, each run by its own thread (thread per core, as
// nginx runs a worker per core): a connection lives on one context for its
// whole life, so its operations need no strand and no lock, and nothing
// crosses threads but the hand-off to the event writer.
class Server {
 public:
  Server(const Router& router, ServerOptions options);
  ~Server();

  // Binds and listens; fails with a message naming the address (e.g. the
  // port is taken).
  Status Listen();
  // The bound port (useful with port 0).
  uint16_t port() const;
  // The first context: for the caller's own timers and signal handling.
  boost::asio::io_context& main_context() { return *contexts_.front(); }

  // Accepts and serves connections until Shutdown has finished: runs every
  // context, the first on the calling thread.
  void Run();

  // Stops accepting and closes every connection once its current request is
  // answered (idle keep-alive connections at once); Run returns when the
  // last one is gone, or after `shutdown_grace`. Thread-safe.
  void Shutdown();
  // Connections open right now.
  size_t connections() const;

 private:
  struct Connection;
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  boost::asio::awaitable<void> Accept();
  boost::asio::awaitable<void> RunSession(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<void> Drain();

  const Router& router_;
  ServerOptions options_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<WorkGuard> work_;  // keeps contexts without connections running
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::set<std::shared_ptr<Connection>> connections_;  // guarded by mu_
};

}  // namespace datafast::http
