#include "http/client_ip.h"

#include <gtest/gtest.h>

namespace datafast::http {
namespace {

namespace ip = boost::asio::ip;

TEST(ProxyTrust, UntrustedPeerIsTheClientWhateverItClaims) {
  auto trust = ProxyTrust::Parse({"127.0.0.0/8"});
  ASSERT_TRUE(trust.ok());
  EXPECT_EQ(trust->ClientIp(ip::make_address("203.0.113.9"), "198.51.100.1", "198.51.100.2"), "203.0.113.9");
}

TEST(ProxyTrust, TrustedPeerPassesTheRealIpHeader) {
  auto trust = ProxyTrust::Parse({"127.0.0.0/8", "::1"});
  ASSERT_TRUE(trust.ok());
  EXPECT_EQ(trust->ClientIp(ip::make_address("127.0.0.1"), "198.51.100.1", "10.0.0.1"), "198.51.100.1");
  EXPECT_EQ(trust->ClientIp(ip::make_address("::1"), "2001:db8::7", ""), "2001:db8::7");
}

TEST(ProxyTrust, ForwardedForIsWalkedFromTheRightThroughTrustedHops) {
  auto trust = ProxyTrust::Parse({"127.0.0.1/32", "10.0.0.0/8"});
  ASSERT_TRUE(trust.ok());
  // spoofed, real client, inner proxy
  EXPECT_EQ(trust->ClientIp(ip::make_address("127.0.0.1"), "", "1.1.1.1, 198.51.100.7, 10.1.2.3"), "198.51.100.7");
  // Garbage stops the walk at the last good hop.
  EXPECT_EQ(trust->ClientIp(ip::make_address("127.0.0.1"), "not-an-ip", "junk"), "127.0.0.1");
}

TEST(ProxyTrust, MappedIpv4PeersMatchIpv4Ranges) {
  auto trust = ProxyTrust::Parse({"127.0.0.0/8"});
  ASSERT_TRUE(trust.ok());
  EXPECT_EQ(trust->ClientIp(ip::make_address("::ffff:127.0.0.1"), "", "192.0.2.4"), "192.0.2.4");
}

TEST(ProxyTrust, EmptyListTrustsNobody) {
  auto trust = ProxyTrust::Parse({});
  ASSERT_TRUE(trust.ok());
  EXPECT_EQ(trust->ClientIp(ip::make_address("127.0.0.1"), "192.0.2.4", "192.0.2.5"), "127.0.0.1");
}

TEST(ProxyTrust, RefusesMalformedRanges) {
  EXPECT_FALSE(ProxyTrust::Parse({"10.0.0.0/33"}).ok());
  EXPECT_FALSE(ProxyTrust::Parse({"10.0.0/8"}).ok());
  EXPECT_FALSE(ProxyTrust::Parse({"::1/129"}).ok());
  EXPECT_FALSE(ProxyTrust::Parse({"10.0.0.0/x"}).ok());
}

}  // namespace
}  // namespace datafast::http
