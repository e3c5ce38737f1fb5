// Which address a request came from. Behind a reverse proxy the TCP peer is
// the proxy, so forwarded headers (x-datafast-real-ip, X-Forwarded-For) are
// believed only when the peer is a configured trusted proxy. The address is
// for geolocation and cookieless hashing in memory: never store or log it.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datafast::http {

class ProxyTrust {
 public:
  // `cidrs`: e.g. {"127.0.0.0/8", "::1/128", "10.0.0.0/8"}; a bare address
  // means that one host. An empty list trusts nobody.
  static Result<ProxyTrust> Parse(const std::vector<std::string>& cidrs);

  // The client's address: the peer itself unless it is trusted, then
  // x-datafast-real-ip if valid, else the right-most X-Forwarded-For entry
  // that is not itself a trusted proxy.
  std::string ClientIp(const boost::asio::ip::address& peer, std::string_view real_ip_header,
                       std::string_view forwarded_for) const;

 private:
  struct Network {
    boost::asio::ip::address base;
    unsigned prefix;
  };
  bool Trusts(const boost::asio::ip::address& address) const;

  std::vector<Network> networks_;
};

}  // namespace datafast::http
