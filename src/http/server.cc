#include "http/server.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <optional>
#include <thread>
#include <tuple>

#include "core/log.h"
#include "core/current_thread.h"

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

// Parses what `buffer` already holds of the request's body: a tracker
// request usually arrives whole in one read, and parsing it here saves the
// round through the scheduler that Beast's async_read takes even when it
// has nothing to read. need_more is no error: the caller reads the rest.
boost::system::error_code ParseBuffered(beast_http::request_parser<beast_http::string_body>& parser,
                                        beast::flat_buffer& buffer) {
  boost::system::error_code ec;
  while (!parser.is_done() && buffer.size() > 0) {
    size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == beast_http::error::need_more) return {};
    if (ec || used == 0) break;
  }
  return ec;
}

// The status line and fields of `res` as they go on the wire, into `out`:
// written with the body in one gather write, where Beast's serializer walks
// a view over every field (a few per cent of the HTTP threads' time under
// load). Responses always have a Content-Length and never a chunked body.
void SerializeHead(const Response& res, std::string& out) {
  out.clear();
  out.append("HTTP/1.1 ");
  char code[4];
  auto [end, _] = std::to_chars(code, code + sizeof code, res.result_int());
  out.append(code, end);
  out.push_back(' ');
  out.append(res.reason());
  out.append("\r\n");
  for (const auto& field : res) {
    out.append(field.name_string());
    out.append(": ");
    out.append(field.value());
    out.append("\r\n");
  }
  out.append("\r\n");
}

// Runs the handler `match` found for the request in `ctx` (found once, as
// soon as the header is in, to set the body limit).
asio::awaitable<Response> Dispatch(Router::Match match, RequestContext& ctx) {
  const Request& req = ctx.request;
  if (!match.route) {
    if (match.path_known) {
      co_return ErrorResponse(Status::MethodNotAllowed("method " + std::string(req.method_string()) +
                                                       " is not allowed on " + std::string(PathOf(req.target()))));
    }
    co_return ErrorResponse(Status::NotFound("no such endpoint: " + std::string(PathOf(req.target()))));
  }
  ctx.params = std::move(match.params);
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
// connection's own context.
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
  // Room for a whole tracker request (headers and an 8 KB body), so one
  // read usually takes it all.
  beast::flat_buffer buffer;
  buffer.reserve(16 * 1024);
  std::string head;  // each response's status line and fields
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
    boost::system::error_code body_ec = ParseBuffered(parser, buffer);
    if (!body_ec && !parser.is_done()) {
      std::tie(body_ec, std::ignore) = co_await beast_http::async_read(stream, buffer, parser, kTuple);
    }
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
      RequestContext ctx{req, options_.proxies.ClientIp(peer, req["x-datafast-real-ip"], req["X-Forwarded-For"]), {}};
      res = co_await Dispatch(std::move(match), ctx);
      if (req.method() == beast_http::verb::head) {
        res.prepare_payload();
        res.body().clear();
      }
    }
    res.version(11);
    res.keep_alive(keep_alive);
    if (!res.has_content_length() && res.body().size() > 0) res.prepare_payload();
    if (!res.has_content_length()) res.content_length(res.body().size());
    SerializeHead(res, head);
    std::array<asio::const_buffer, 2> wire = {asio::buffer(head), asio::buffer(res.body())};
    auto [write_ec, written] = co_await asio::async_write(stream, wire, kTuple);
    if (write_ec || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
  std::lock_guard lock(mu_);
  connections_.erase(connection);
}

Server::Server(const Router& router, ServerOptions options)
    : router_(router), options_(std::move(options)), acceptor_([&]() -> asio::io_context& {
        for (unsigned i = 0; i < std::max(1u, options_.threads); ++i) {
          contexts_.push_back(std::make_unique<asio::io_context>(1));
          work_.push_back(asio::make_work_guard(*contexts_.back()));
        }
        return *contexts_.front();
      }()) {}

Server::~Server() = default;

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

asio::awaitable<void> Server::Accept() {
  for (size_t next = 0;; next = (next + 1) % contexts_.size()) {
    // Round robin: the new connection lives on context `next` from now on.
    auto [ec, socket] = co_await acceptor_.async_accept(*contexts_[next], kTuple);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) continue;  // e.g. too many open files: keep serving the others
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(*contexts_[next], RunSession(std::move(socket)), asio::detached);
  }
}

void Server::Run() {
  asio::co_spawn(main_context(), Accept(), asio::detached);
  std::vector<std::thread> threads;
  for (size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([this, i] {
      core::NameCurrentThread("http-" + std::to_string(i));
      contexts_[i]->run();
    });
  }
  core::NameCurrentThread("http-0");
  contexts_.front()->run();
  for (auto& t : threads) t.join();
}

void Server::Shutdown() {
  if (stopping_.exchange(true)) return;
  asio::post(main_context(), [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
    asio::co_spawn(main_context(), Drain(), asio::detached);
  });
  std::lock_guard lock(mu_);
  for (const auto& connection : connections_) {
    // On the connection's context, so `idle` is read in step with the session.
    asio::post(connection->stream->get_executor(), [connection] {
      if (connection->idle) connection->stream->cancel();
    });
  }
}

asio::awaitable<void> Server::Drain() {
  asio::steady_timer timer(main_context());
  auto deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
  while (connections() > 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      // A client that never lets go must not hold the process forever.
      core::LogWarn("connections still open after the shutdown grace period; stopping anyway",
                    {{"connections", int64_t(connections())}});
      for (auto& context : contexts_) context->stop();
      co_return;
    }
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
  }
  // No connection left: let every context run out of work, so Run returns.
  for (auto& guard : work_) guard.reset();
}

size_t Server::connections() const {
  std::lock_guard lock(mu_);
  return connections_.size();
}

}  // namespace datafast::http
