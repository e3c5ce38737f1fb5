#include "ingest/bot_filter.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <boost/json.hpp>
#include <string>

#include "ingest/lru_cache.h"

namespace datafast::ingest {
namespace {

namespace json = boost::json;

// Headless browsers and HTTP libraries that crawler-user-agents does not
// always list. Each is a token no real browser sends; "Playwright" and
// "Puppeteer" only appear when a script sets them, since both otherwise send
// HeadlessChrome, which is listed too.
constexpr const char* kAutomationPatterns[] = {
    "HeadlessChrome", "PhantomJS", "Puppeteer",       "Playwright",     "Selenium",   "Lighthouse",
    "curl/",          "Wget/",     "python-requests", "Go-http-client", "node-fetch", "axios/",
};

// Real browsers send well over 50 characters; anything this short is a script
// or a placeholder.
constexpr size_t kMinBrowserLength = 10;

// The ~1,500 patterns compile within 2 MiB, but below 8 MiB the DFA cache
// thrashes (a check measured 600 ns instead of 400); 16 MiB leaves room for
// the list to grow.
constexpr int64_t kSetMaxMem = 16 << 20;

class CrawlerFilter final : public BotFilter {
 public:
  // The patterns are ASCII, so Latin-1 matching is equivalent on real headers
  // and keeps the DFA smaller than UTF-8 would.
  CrawlerFilter() : set_(Options(), RE2::UNANCHORED) {}

  Status Load(std::string_view crawler_json) {
    json::error_code ec;
    json::value root = json::parse(crawler_json, ec);
    if (ec || !root.is_array()) {
      return Status::InvalidArgument("crawler-user-agents: not a JSON array: " + ec.message());
    }
    for (const json::value& item : root.get_array()) {
      const json::object* object = item.if_object();
      const json::value* pattern = object ? object->if_contains("pattern") : nullptr;
      if (pattern == nullptr || !pattern->is_string()) {
        return Status::InvalidArgument("crawler-user-agents: entry without a pattern");
      }
      // Set::Add rejects what RE2 cannot parse (lookarounds, backreferences).
      if (set_.Add(std::string_view(pattern->get_string()), nullptr) < 0) ++skipped_;
    }
    for (const char* pattern : kAutomationPatterns) {
      if (set_.Add(RE2::QuoteMeta(pattern), nullptr) < 0) {
        return Status::Internal(std::string("bot filter: cannot add ") + pattern);
      }
    }
    if (!set_.Compile()) return Status::Internal("bot filter: cannot compile the crawler pattern set");
    return Status::Ok();
  }

  bool IsBot(std::string_view user_agent) const override {
    if (user_agent.size() < kMinBrowserLength) return true;
    if (std::optional<bool> cached = verdicts_.Get(user_agent)) return *cached;
    // Without a result vector the set only answers whether anything matched,
    // so it can stop at the first match.
    bool bot = set_.Match(user_agent, nullptr);
    verdicts_.Put(user_agent, bot);
    return bot;
  }

  size_t PatternsSkipped() const override { return skipped_; }

 private:
  static RE2::Options Options() {
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingLatin1);
    options.set_log_errors(false);
    options.set_max_mem(kSetMaxMem);
    return options;
  }

  RE2::Set set_;
  size_t skipped_ = 0;
  LruCache<bool> verdicts_;
};

}  // namespace

Result<std::unique_ptr<BotFilter>> BotFilter::Create(std::string_view crawler_json) {
  auto filter = std::make_unique<CrawlerFilter>();
  DF_RETURN_IF_ERROR(filter->Load(crawler_json));
  return std::unique_ptr<BotFilter>(std::move(filter));
}

}  // namespace datafast::ingest
