#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "core/log.h"

namespace datafast::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string_view PathOf(std::string_view target) {
  size_t q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

asio::awaitable<Response> Dispatch(const Router& router, RequestContext& ctx) {
  const Request& req = ctx.request;
  Router::Match match = router.Find(req.method(), PathOf(req.target()));
  if (!match.route) {
    if (match.path_known) {
      co_return ErrorResponse(Status::MethodNotAllowed("method " + std::string(req.method_string()) +
                                                       " is not allowed on " + std::string(PathOf(req.target()))));
    }
    co_return ErrorResponse(Status::NotFound("no such endpoint: " + std::string(PathOf(req.target()))));
  }
  try {
    co_return co_await match.route->handler(ctx);
  } catch (const std::exception& e) {
    // A handler bug must cost one request, never the process.
    core::LogError("handler threw", {{"path", PathOf(req.target())}, {"error", std::string_view(e.what())}});
    co_return ErrorResponse(Status::Internal(e.what()));
  }
}

}  // namespace

// One open connection, as Shutdown sees it. Touched only on the
// connection's strand.
struct Server::Connection {
  beast::tcp_stream* stream;
  bool idle = false;  // waiting for the next request
};

asio::awaitable<void> Server::RunSession(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  auto connection = std::make_shared<Connection>(&stream);
  {
    std::lock_guard lock(mu_);
    connections_.insert(connection);
  }
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  asio::ip::address peer = stream.socket().remote_endpoint(ec).address();
  while (!ec && !stopping_) {
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(16 * 1024);
    stream.expires_after(options_.idle_timeout);
    connection->idle = true;
    auto [read_ec, header_bytes] = co_await beast_http::async_read_header(stream, buffer, parser, kTuple);
    connection->idle = false;
    if (read_ec) break;  // closed, timed out, shut down, or garbage: nothing to answer
    const auto& header = parser.get();
    Router::Match match = router_.Find(header.method(), PathOf(header.target()));
    parser.body_limit(match.route ? match.route->body_limit : kDefaultBodyLimit);
    auto [body_ec, body_bytes] = co_await beast_http::async_read(stream, buffer, parser, kTuple);
    Response res;
    bool keep_alive = false;
    if (body_ec == beast_http::error::body_limit) {
      // The unread rest of the body would be taken for the next request:
      // answer, then close (keep_alive stays false).
      res = ErrorResponse(Status::TooLarge("request body is larger than " +
                                           std::to_string(match.route ? match.route->body_limit : kDefaultBodyLimit) +
                                           " bytes"));
    } else if (body_ec) {
      break;
    } else {
      Request req = parser.release();
      keep_alive = req.keep_alive() && !stopping_;
      RequestContext ctx{req, options_.proxies.ClientIp(peer, req["x-datafast-real-ip"], req["X-Forwarded-For"])};
      res = co_await Dispatch(router_, ctx);
      if (req.method() == beast_http::verb::head) {
        res.prepare_payload();
        res.body().clear();
      }
    }
    res.version(11);
    res.keep_alive(keep_alive);
    if (!res.has_content_length() && res.body().size() > 0) res.prepare_payload();
    if (!res.has_content_length()) res.content_length(res.body().size());
    auto [write_ec, written] = co_await beast_http::async_write(stream, res, kTuple);
    if (write_ec || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
  std::lock_guard lock(mu_);
  connections_.erase(connection);
}

Server::Server(asio::io_context& io, const Router& router, ServerOptions options)
    : io_(io), router_(router), options_(std::move(options)), acceptor_(io) {}

Status Server::Listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return Status::InvalidArgument("listen address \"" + options_.host + "\" is not an IP address");
  tcp::endpoint endpoint(address, options_.port);
  std::string where = options_.host + ":" + std::to_string(options_.port);
  if (acceptor_.open(endpoint.protocol(), ec)) return Status::IoError("cannot open socket for " + where);
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor_.bind(endpoint, ec)) return Status::IoError("cannot listen on " + where + ": " + ec.message());
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec)) {
    return Status::IoError("cannot listen on " + where + ": " + ec.message());
  }
  return Status::Ok();
}

uint16_t Server::port() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void Server::Start() {
  asio::co_spawn(
      io_,
      [this]() -> asio::awaitable<void> {
        for (;;) {
          // Each connection on its own strand: its reads, writes and timer
          // never run at once on the io_context's threads.
          auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(io_), kTuple);
          if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
          if (ec) continue;  // e.g. too many open files: keep serving the others
          socket.set_option(tcp::no_delay(true), ec);
          auto executor = socket.get_executor();
          asio::co_spawn(executor, RunSession(std::move(socket)), asio::detached);
        }
      },
      asio::detached);
}

void Server::Shutdown() {
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
  });
  std::lock_guard lock(mu_);
  for (const auto& connection : connections_) {
    // On the connection's strand, so `idle` is read in step with the session.
    asio::post(connection->stream->get_executor(), [connection] {
      if (connection->idle) connection->stream->cancel();
    });
  }
}

size_t Server::connections() const {
  std::lock_guard lock(mu_);
  return connections_.size();
}

}  // namespace datafast::http
