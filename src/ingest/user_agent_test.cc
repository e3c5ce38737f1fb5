#include "ingest/user_agent.h"

#include <gtest/gtest.h>

#include <atomic>
#include <iterator>
#include <thread>
#include <vector>

#include "core/embedded.h"

namespace datafast::ingest {
namespace {

class UserAgentParserTest : public ::testing::Test {
 protected:
  // Compiling the 1,175 rules takes about half a second, so the tests share
  // one parser; it is immutable apart from its cache, which must not change
  // results anyway.
  static void SetUpTestSuite() {
    const core::EmbeddedFile* file = core::FindEmbedded("data/uap-regexes.json");
    ASSERT_NE(file, nullptr);
    auto parser = UserAgentParser::Create(file->raw);
    ASSERT_TRUE(parser.ok()) << parser.status().message();
    parser_ = std::move(parser).value().release();
  }
  static void TearDownTestSuite() {
    delete parser_;
    parser_ = nullptr;
  }

  static UserAgentParser* parser_;
};

UserAgentParser* UserAgentParserTest::parser_ = nullptr;

struct Case {
  const char* user_agent;
  UserAgentInfo want;
};

const Case kCases[] = {
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36",
     {"Chrome", "131", "Windows", "10", DeviceType::kDesktop}},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 "
     "Safari/605.1.15",
     {"Safari", "17", "Mac OS X", "10", DeviceType::kDesktop}},
    {"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
     {"Firefox", "133", "Ubuntu", "", DeviceType::kDesktop}},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
     {"Chrome", "131", "Linux", "", DeviceType::kDesktop}},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36 Edg/131.0.2903.86",
     {"Edge", "131", "Windows", "10", DeviceType::kDesktop}},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
     "Safari/537.36 OPR/115.0.0.0",
     {"Opera", "115", "Windows", "10", DeviceType::kDesktop}},
    {"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36",
     {"Chrome", "131", "Chrome OS", "14541", DeviceType::kDesktop}},
    // "Tablet PC 2.0" is an IE-era Windows token, not a tablet.
    {"Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; SLCC2; .NET CLR 2.0.50727; Media Center PC 6.0; Tablet PC "
     "2.0; rv:11.0) like Gecko",
     {"IE", "11", "Windows", "7", DeviceType::kDesktop}},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.6 Mobile/15E148 Safari/604.1",
     {"Mobile Safari", "17", "iOS", "17", DeviceType::kMobile}},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
     {"Chrome Mobile iOS", "131", "iOS", "18", DeviceType::kMobile}},
    {"Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 "
     "Mobile/15E148 Safari/604.1",
     {"Mobile Safari", "17", "iOS", "17", DeviceType::kTablet}},
    // Chrome's reduced Android UA: the model is always "K".
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
     "Safari/537.36",
     {"Chrome Mobile", "131", "Android", "10", DeviceType::kMobile}},
    {"Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.135 "
     "Mobile Safari/537.36",
     {"Chrome Mobile", "131", "Android", "14", DeviceType::kMobile}},
    // An Android tablet: no "Mobile" token, and uap calls the browser plain Chrome.
    {"Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.135 "
     "Safari/537.36",
     {"Chrome", "131", "Android", "13", DeviceType::kTablet}},
    {"Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
     {"Samsung Internet", "26", "Android", "14", DeviceType::kMobile}},
    {"Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
     {"Firefox Mobile", "133", "Android", "14", DeviceType::kMobile}},
    {"Mozilla/5.0 (Linux; Android 11; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/131.4.1 like "
     "Chrome/131.0.6778.200 Safari/537.36",
     {"Amazon Silk", "131", "Android", "11", DeviceType::kTablet}},
    // Says "Mobile" but uap knows the KFTT model code as a Kindle Fire HD.
    {"Mozilla/5.0 (Linux; U; Android 4.0.3; en-us; KFTT Build/IML74K) AppleWebKit/534.30 (KHTML, like Gecko) "
     "Version/4.0 Mobile Safari/534.30",
     {"Android", "4", "Android", "4", DeviceType::kTablet}},
    {"Mozilla/5.0 (Series40; Nokia2055/03.20; Profile/MIDP-2.1 Configuration/CLDC-1.1) Gecko/20100401 "
     "S40OviBrowser/5.0.0.0.31",
     {"Ovi Browser", "5", "Nokia Series 40", "", DeviceType::kMobile}},
    {"Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like "
     "Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.14977",
     {"Edge Mobile", "15", "Windows Phone", "10", DeviceType::kMobile}},
    {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     {"Googlebot", "2", "Other", "", DeviceType::kDesktop}},
};

TEST_F(UserAgentParserTest, ParsesRealUserAgents) {
  for (const Case& c : kCases) {
    EXPECT_EQ(parser_->Parse(c.user_agent), c.want) << c.user_agent;
  }
}

TEST_F(UserAgentParserTest, CachedResultsMatchFreshOnes) {
  for (int round = 0; round < 3; ++round) {
    for (const Case& c : kCases) EXPECT_EQ(parser_->Parse(c.user_agent), c.want) << c.user_agent;
  }
}

TEST_F(UserAgentParserTest, UnknownAndEmptyAreOther) {
  UserAgentInfo other{"Other", "", "Other", "", DeviceType::kDesktop};
  EXPECT_EQ(parser_->Parse(""), other);
  EXPECT_EQ(parser_->Parse("zzzz"), other);
}

TEST_F(UserAgentParserTest, SkipsFewRules) {
  // Every one of uap-core 0.18.0's 1,175 rules compiles under RE2 (0 skipped);
  // a handful may appear when the rules gain lookarounds upstream.
  EXPECT_LE(parser_->ParsersSkipped(), 5u);
}

TEST_F(UserAgentParserTest, ParsesFromManyThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> mismatches = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        const Case& c = kCases[i % std::size(kCases)];
        if (!(parser_->Parse(c.user_agent) == c.want)) ++mismatches;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches, 0);
}

TEST(UserAgentParserCreateTest, RejectsMalformedRules) {
  EXPECT_FALSE(UserAgentParser::Create("not json").ok());
  EXPECT_FALSE(UserAgentParser::Create(R"({"user_agent_parsers": []})").ok());
}

TEST(UserAgentParserCreateTest, DeviceTypeNames) {
  EXPECT_EQ(ToString(DeviceType::kDesktop), "desktop");
  EXPECT_EQ(ToString(DeviceType::kMobile), "mobile");
  EXPECT_EQ(ToString(DeviceType::kTablet), "tablet");
}

}  // namespace
}  // namespace datafast::ingest
