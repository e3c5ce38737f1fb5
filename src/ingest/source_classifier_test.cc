#include "ingest/source_classifier.h"

#include <gtest/gtest.h>

#include "core/embedded.h"

namespace datafast::ingest {
namespace {

class SourceClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const core::EmbeddedFile* referrers = core::FindEmbedded("data/referrers.json");
    const core::EmbeddedFile* extra = core::FindEmbedded("data/referrers-extra.json");
    ASSERT_NE(referrers, nullptr);
    ASSERT_NE(extra, nullptr);
    auto classifier = SourceClassifier::Create(referrers->raw, extra->raw);
    ASSERT_TRUE(classifier.ok()) << classifier.status().message();
    classifier_ = std::move(classifier).value();
  }

  // A visit to https://example.com (site domain example.com).
  Source Classify(std::string_view referrer_host, std::string_view utm_source = "", std::string_view utm_medium = "",
                  bool has_paid_click_id = false) const {
    SourceInput input;
    input.referrer_host = referrer_host;
    input.page_host = "example.com";
    input.site_domain = "example.com";
    input.utm_source = utm_source;
    input.utm_medium = utm_medium;
    input.has_paid_click_id = has_paid_click_id;
    return classifier_->Classify(input);
  }
  Source FromReferrer(std::string_view referrer_host) const { return Classify(referrer_host); }
  Source FromUtm(std::string_view utm_source, std::string_view utm_medium = "") const {
    return Classify("", utm_source, utm_medium);
  }

  std::unique_ptr<SourceClassifier> classifier_;
};

TEST_F(SourceClassifierTest, SearchEngines) {
  EXPECT_EQ(FromReferrer("www.google.com"), (Source{"google.com", "Google", Channel::kOrganicSearch}));
  EXPECT_EQ(FromReferrer("www.google.co.uk"), (Source{"google.co.uk", "Google", Channel::kOrganicSearch}));
  EXPECT_EQ(FromReferrer("duckduckgo.com"), (Source{"duckduckgo.com", "DuckDuckGo", Channel::kOrganicSearch}));
  // Listed only as www.baidu.com in the package: the key loses its "www.".
  EXPECT_EQ(FromReferrer("baidu.com"), (Source{"baidu.com", "Baidu", Channel::kOrganicSearch}));
  EXPECT_EQ(FromReferrer("kagi.com"), (Source{"kagi.com", "Kagi", Channel::kOrganicSearch}));
}

TEST_F(SourceClassifierTest, SocialNetworks) {
  EXPECT_EQ(FromReferrer("t.co"), (Source{"t.co", "X", Channel::kSocial}));
  EXPECT_EQ(FromReferrer("x.com"), (Source{"x.com", "X", Channel::kSocial}));
  EXPECT_EQ(FromReferrer("mobile.twitter.com"), (Source{"mobile.twitter.com", "X", Channel::kSocial}));
  EXPECT_EQ(FromReferrer("l.facebook.com"), (Source{"l.facebook.com", "Facebook", Channel::kSocial}));
  // Not listed itself: found through its parent domain.
  EXPECT_EQ(FromReferrer("web.facebook.com"), (Source{"web.facebook.com", "Facebook", Channel::kSocial}));
  EXPECT_EQ(FromReferrer("m.youtube.com"), (Source{"m.youtube.com", "YouTube", Channel::kSocial}));
  EXPECT_EQ(FromReferrer("www.threads.net"), (Source{"threads.net", "Threads", Channel::kSocial}));
  EXPECT_EQ(FromReferrer("bsky.app"), (Source{"bsky.app", "Bluesky", Channel::kSocial}));
  EXPECT_EQ(FromReferrer("news.ycombinator.com"), (Source{"news.ycombinator.com", "Hacker News", Channel::kSocial}));
  EXPECT_EQ(FromReferrer("www.producthunt.com"), (Source{"producthunt.com", "Product Hunt", Channel::kSocial}));
  EXPECT_EQ(FromReferrer("lnkd.in"), (Source{"lnkd.in", "LinkedIn", Channel::kSocial}));
  EXPECT_EQ(FromReferrer("old.reddit.com"), (Source{"old.reddit.com", "Reddit", Channel::kSocial}));
}

TEST_F(SourceClassifierTest, AiAssistantsAreReferrals) {
  EXPECT_EQ(FromReferrer("chatgpt.com"), (Source{"chatgpt.com", "ChatGPT", Channel::kReferral}));
  EXPECT_EQ(FromReferrer("chat.openai.com"), (Source{"chat.openai.com", "ChatGPT", Channel::kReferral}));
  EXPECT_EQ(FromReferrer("www.perplexity.ai"), (Source{"perplexity.ai", "Perplexity", Channel::kReferral}));
  EXPECT_EQ(FromReferrer("claude.ai"), (Source{"claude.ai", "Claude", Channel::kReferral}));
  // More specific than google.com, which would say organic search.
  EXPECT_EQ(FromReferrer("gemini.google.com"), (Source{"gemini.google.com", "Gemini", Channel::kReferral}));
  EXPECT_EQ(FromReferrer("copilot.microsoft.com"), (Source{"copilot.microsoft.com", "Copilot", Channel::kReferral}));
}

TEST_F(SourceClassifierTest, UnknownSitesAreReferralsNamedByDomain) {
  EXPECT_EQ(FromReferrer("www.someblog.dev"), (Source{"someblog.dev", "someblog.dev", Channel::kReferral}));
  EXPECT_EQ(FromReferrer("de.m.wikipedia.org"), (Source{"de.m.wikipedia.org", "Wikipedia", Channel::kReferral}));
}

TEST_F(SourceClassifierTest, InternalReferrerIsDirect) {
  EXPECT_EQ(FromReferrer("example.com"), Source{});
  EXPECT_EQ(FromReferrer("www.example.com"), Source{});
  EXPECT_EQ(FromReferrer("blog.example.com"), Source{});
  EXPECT_EQ(FromReferrer("notexample.com"), (Source{"notexample.com", "notexample.com", Channel::kReferral}));
  // Without a site domain, only the page's own host is internal.
  SourceInput input;
  input.referrer_host = "www.shop.test";
  input.page_host = "shop.test";
  EXPECT_EQ(classifier_->Classify(input), Source{});
  input.referrer_host = "blog.shop.test";
  EXPECT_EQ(classifier_->Classify(input), (Source{"blog.shop.test", "blog.shop.test", Channel::kReferral}));
  // An internal referrer leaves the UTM tags to decide.
  EXPECT_EQ(Classify("blog.example.com", "twitter"), (Source{"", "X", Channel::kSocial}));
}

TEST_F(SourceClassifierTest, PaidClicks) {
  EXPECT_EQ(Classify("www.google.com", "", "", true), (Source{"google.com", "Google", Channel::kPaid}));
  EXPECT_EQ(FromUtm("google", "CPC"), (Source{"", "Google", Channel::kPaid}));
  EXPECT_EQ(FromUtm("facebook", "paid_social"), (Source{"", "Facebook", Channel::kPaid}));
  EXPECT_EQ(FromReferrer("googleads.g.doubleclick.net"),
            (Source{"googleads.g.doubleclick.net", "Google", Channel::kPaid}));
  EXPECT_EQ(Classify("", "", "", true), (Source{"", "", Channel::kPaid}));
}

TEST_F(SourceClassifierTest, Email) {
  EXPECT_EQ(FromUtm("newsletter", "email"), (Source{"", "newsletter", Channel::kEmail}));
  EXPECT_EQ(FromUtm("weekly-digest", "E-Mail"), (Source{"", "weekly-digest", Channel::kEmail}));
  // GA4's rule: utm_source=newsletter alone is email too.
  EXPECT_EQ(FromUtm("newsletter"), (Source{"", "newsletter", Channel::kEmail}));
  EXPECT_EQ(FromReferrer("mail.google.com"), (Source{"mail.google.com", "Gmail", Channel::kEmail}));
}

TEST_F(SourceClassifierTest, UtmSourceWithoutReferrer) {
  EXPECT_EQ(FromUtm("google"), (Source{"", "Google", Channel::kOrganicSearch}));
  EXPECT_EQ(FromUtm("twitter"), (Source{"", "X", Channel::kSocial}));
  EXPECT_EQ(FromUtm("x"), (Source{"", "X", Channel::kSocial}));
  EXPECT_EQ(FromUtm("Facebook"), (Source{"", "Facebook", Channel::kSocial}));
  EXPECT_EQ(FromUtm("youtube"), (Source{"", "YouTube", Channel::kSocial}));
  EXPECT_EQ(FromUtm("news.ycombinator.com"), (Source{"", "Hacker News", Channel::kSocial}));
  // ChatGPT tags its links utm_source=chatgpt.com.
  EXPECT_EQ(FromUtm("chatgpt.com"), (Source{"", "ChatGPT", Channel::kReferral}));
  EXPECT_EQ(FromUtm("acme-app"), (Source{"", "acme-app", Channel::kReferral}));
  EXPECT_EQ(FromUtm("acme-app", "social"), (Source{"", "acme-app", Channel::kSocial}));
  EXPECT_EQ(FromUtm("acme-app", "organic"), (Source{"", "acme-app", Channel::kOrganicSearch}));
  EXPECT_EQ(FromUtm("partner", "affiliate"), (Source{"", "partner", Channel::kReferral}));
}

TEST_F(SourceClassifierTest, ReferrerWinsOverUtmSource) {
  EXPECT_EQ(Classify("t.co", "launch"), (Source{"t.co", "X", Channel::kSocial}));
}

TEST_F(SourceClassifierTest, NothingIsDirect) {
  EXPECT_EQ(FromUtm(""), Source{});
  EXPECT_EQ(FromUtm("", "social"), Source{});
}

TEST(SourceClassifierCreateTest, RejectsMalformedDatabases) {
  EXPECT_FALSE(SourceClassifier::Create("[]", "{}").ok());
  EXPECT_FALSE(SourceClassifier::Create("{}", R"({"a.com": {"source": "A"}})").ok());
  EXPECT_FALSE(SourceClassifier::Create("{}", R"({"a.com": {"source": "A", "medium": "sociall"}})").ok());
}

TEST(SourceClassifierCreateTest, ExtraFileWins) {
  auto classifier = SourceClassifier::Create(R"({"a.com": {"source": "Old", "medium": "search"}})",
                                             R"({"a.com": {"source": "New", "medium": "social"}})");
  ASSERT_TRUE(classifier.ok());
  SourceInput input;
  input.referrer_host = "a.com";
  EXPECT_EQ((*classifier)->Classify(input), (Source{"a.com", "New", Channel::kSocial}));
  // The replaced name still finds the source.
  input.referrer_host = "";
  input.utm_source = "old";
  EXPECT_EQ((*classifier)->Classify(input), (Source{"", "New", Channel::kSocial}));
}

TEST(SourceClassifierCreateTest, ChannelNames) {
  EXPECT_EQ(ToString(Channel::kDirect), "direct");
  EXPECT_EQ(ToString(Channel::kOrganicSearch), "organic_search");
  EXPECT_EQ(ToString(Channel::kSocial), "social");
  EXPECT_EQ(ToString(Channel::kEmail), "email");
  EXPECT_EQ(ToString(Channel::kPaid), "paid");
  EXPECT_EQ(ToString(Channel::kReferral), "referral");
}

}  // namespace
}  // namespace datafast::ingest
