#include "ingest/bot_filter.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "core/embedded.h"

namespace datafast::ingest {
namespace {

std::string_view CrawlerJson() {
  const core::EmbeddedFile* file = core::FindEmbedded("data/crawler-user-agents.json");
  EXPECT_NE(file, nullptr);
  return file ? file->raw : std::string_view();
}

std::unique_ptr<BotFilter> NewFilter() {
  auto filter = BotFilter::Create(CrawlerJson());
  EXPECT_TRUE(filter.ok()) << filter.status().message();
  return std::move(filter).value();
}

TEST(BotFilterTest, DetectsRealBots) {
  auto filter = NewFilter();
  const char* bots[] = {
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
      "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
      "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
      "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
      "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
      "Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 "
      "Safari/537.36",
      "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/131.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
      "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1",
      "curl/8.5.0",
      "Wget/1.21.4",
      "python-requests/2.32.3",
      "Go-http-client/2.0",
      "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
      "axios/1.7.9",
      "",
      "Mozilla",
  };
  for (const char* ua : bots) EXPECT_TRUE(filter->IsBot(ua)) << ua;
}

TEST(BotFilterTest, LetsRealBrowsersThrough) {
  auto filter = NewFilter();
  const char* browsers[] = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
      "Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 "
      "Safari/605.1.15",
      "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
      "Safari/537.36 Edg/131.0.2903.86",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/17.6 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 "
      "Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
      "Safari/537.36",
      "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
      "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
      "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
      "Safari/537.36 OPR/115.0.0.0",
      "Mozilla/5.0 (Linux; Android 11; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/131.4.1 like "
      "Chrome/131.0.6778.200 Safari/537.36",
  };
  for (const char* ua : browsers) EXPECT_FALSE(filter->IsBot(ua)) << ua;
}

TEST(BotFilterTest, DetectsEveryListedInstance) {
  // The package ships sample User-Agents for each pattern; all must be caught.
  auto filter = NewFilter();
  boost::json::value root = boost::json::parse(CrawlerJson());
  int checked = 0;
  for (const boost::json::value& entry : root.as_array()) {
    const boost::json::value* instances = entry.as_object().if_contains("instances");
    if (instances == nullptr) continue;
    for (const boost::json::value& instance : instances->as_array()) {
      std::string ua(instance.as_string());
      EXPECT_TRUE(filter->IsBot(ua)) << ua;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(BotFilterTest, SkipsFewPatterns) {
  // crawler-user-agents 1.60.0 has no pattern RE2 rejects (0 skipped).
  EXPECT_LE(NewFilter()->PatternsSkipped(), 5u);
}

TEST(BotFilterTest, CountsPatternsRe2Rejects) {
  auto filter =
      BotFilter::Create(R"json([{"pattern": "Googlebot"}, {"pattern": "foo(?=bar)"}, {"pattern": "(a)\\1"}])json");
  ASSERT_TRUE(filter.ok()) << filter.status().message();
  EXPECT_EQ((*filter)->PatternsSkipped(), 2u);
  EXPECT_TRUE((*filter)->IsBot("Mozilla/5.0 (compatible; Googlebot/2.1)"));
  EXPECT_FALSE((*filter)->IsBot("Mozilla/5.0 (X11; Linux x86_64) foobar aa"));
}

TEST(BotFilterTest, RejectsMalformedList) {
  EXPECT_FALSE(BotFilter::Create("{}").ok());
  EXPECT_FALSE(BotFilter::Create(R"([{"url": "x"}])").ok());
}

}  // namespace
}  // namespace datafast::ingest
