#include "http/client_ip.h"

#include <array>
#include <charconv>

namespace datafast::http {
namespace {

namespace ip = boost::asio::ip;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// IPv4-mapped IPv6 peers (::ffff:1.2.3.4) are compared as IPv4.
ip::address Unmapped(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  return a;
}

std::array<unsigned char, 16> Bytes(const ip::address& a) {
  std::array<unsigned char, 16> out{};
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), out.begin());
  } else {
    out = a.to_v6().to_bytes();
  }
  return out;
}

bool PrefixMatches(const ip::address& a, const ip::address& base, unsigned prefix) {
  if (a.is_v4() != base.is_v4()) return false;
  auto x = Bytes(a);
  auto y = Bytes(base);
  unsigned full = prefix / 8;
  for (unsigned i = 0; i < full; ++i) {
    if (x[i] != y[i]) return false;
  }
  unsigned rest = prefix % 8;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (x[full] & mask) == (y[full] & mask);
}

}  // namespace

Result<ProxyTrust> ProxyTrust::Parse(const std::vector<std::string>& cidrs) {
  ProxyTrust trust;
  for (const std::string& cidr : cidrs) {
    std::string_view text = Trim(cidr);
    if (text.empty()) continue;
    size_t slash = text.find('/');
    boost::system::error_code ec;
    ip::address base = ip::make_address(std::string(text.substr(0, slash)), ec);
    if (ec) return Status::InvalidArgument("trusted proxy \"" + cidr + "\" is not an address or CIDR range");
    unsigned max_prefix = base.is_v4() ? 32 : 128;
    unsigned prefix = max_prefix;
    if (slash != std::string_view::npos) {
      std::string_view bits = text.substr(slash + 1);
      auto [end, err] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
      if (err != std::errc() || end != bits.data() + bits.size() || prefix > max_prefix) {
        return Status::InvalidArgument("trusted proxy \"" + cidr + "\" has an invalid prefix length");
      }
    }
    trust.networks_.push_back({base, prefix});
  }
  return trust;
}

bool ProxyTrust::Trusts(const ip::address& address) const {
  ip::address a = Unmapped(address);
  for (const Network& n : networks_) {
    if (PrefixMatches(a, n.base, n.prefix)) return true;
  }
  return false;
}

std::string ProxyTrust::ClientIp(const ip::address& peer, std::string_view real_ip_header,
                                 std::string_view forwarded_for) const {
  ip::address client = Unmapped(peer);
  if (!Trusts(client)) return client.to_string();
  boost::system::error_code ec;
  if (!real_ip_header.empty()) {
    ip::address real = ip::make_address(std::string(Trim(real_ip_header)), ec);
    if (!ec) return Unmapped(real).to_string();
  }
  // Walk X-Forwarded-For from the right: each trusted hop vouches for the
  // one before it; the first untrusted address is the client.
  while (!forwarded_for.empty()) {
    size_t comma = forwarded_for.rfind(',');
    std::string_view hop = Trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    ip::address a = ip::make_address(std::string(hop), ec);
    if (ec) break;
    client = Unmapped(a);
    if (!Trusts(client)) break;
  }
  return client.to_string();
}

}  // namespace datafast::http
