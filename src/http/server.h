// The HTTP/1.1 server: an acceptor and one coroutine per connection, after
// Boost.Beast's advanced server (C++20 coroutines, per-route body limits,
// read timeouts, keep-alive). TLS is left to a reverse proxy in front
// (docs/deployment.md). Runs on the io_context it is given; the caller owns
// the threads that run it.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "core/status.h"
#include "http/client_ip.h"
#include "http/router.h"

namespace datafast::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  ProxyTrust proxies;
  std::chrono::seconds idle_timeout{30};
};

class Server {
 public:
  Server(boost::asio::io_context& io, const Router& router, ServerOptions options);

  // Binds and listens; fails with a message naming the address (e.g. the
  // port is taken).
  Status Listen();
  // The bound port (useful with port 0).
  uint16_t port() const;
  // Starts accepting connections on the io_context.
  void Start();
  // Stops accepting and closes every connection once its current request is
  // answered (idle keep-alive connections at once). When the last one is
  // gone the server holds no more work on the io_context, so io.run()
  // returns by itself; stopping the io_context with connections still open
  // would destroy their pending operations out of order.
  void Shutdown();
  // Connections open right now.
  size_t connections() const;

 private:
  struct Connection;
  boost::asio::awaitable<void> RunSession(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  const Router& router_;
  ServerOptions options_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::set<std::shared_ptr<Connection>> connections_;  // guarded by mu_
};

}  // namespace datafast::http
