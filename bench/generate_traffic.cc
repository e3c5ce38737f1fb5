// Writes realistic traffic for one site straight into an events database,
// for the dashboard benchmark (bench/dashboard.sh): sessions of one to a
// dozen pageviews spread over the 13 months before now, pages, sources,
// countries and campaigns drawn from power laws, goals in 6 % of sessions
// and payments (with their visit's attribution) in 1.5 %. Deterministic for
// a given seed.
//
// usage: generate_traffic EVENTS_DB SITE_ID EVENT_COUNT [SEED]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/duckdb/duckdb_event_store.h"

namespace {

using datafast::store::Event;
using datafast::store::EventType;

// Index i with probability proportional to 1/(i+1)^s: a few pages and
// sources get most of the traffic, as on real sites.
class Zipf {
 public:
  Zipf(size_t n, double s) {
    double total = 0;
    for (size_t i = 0; i < n; ++i) cumulative_.push_back(total += 1.0 / std::pow(double(i + 1), s));
  }
  size_t operator()(std::mt19937_64& rng) const {
    double x = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
    return std::lower_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin();
  }

 private:
  std::vector<double> cumulative_;
};

struct Source {
  const char* name;
  const char* domain;
  const char* channel;
};

constexpr Source kSources[] = {
    {"", "", "direct"},
    {"Google", "google.com", "organic_search"},
    {"X", "x.com", "social"},
    {"Reddit", "reddit.com", "social"},
    {"Hacker News", "news.ycombinator.com", "social"},
    {"Bing", "bing.com", "organic_search"},
    {"DuckDuckGo", "duckduckgo.com", "organic_search"},
    {"LinkedIn", "linkedin.com", "social"},
    {"ChatGPT", "chatgpt.com", "referral"},
    {"Product Hunt", "producthunt.com", "referral"},
    {"Facebook", "facebook.com", "social"},
    {"YouTube", "youtube.com", "social"},
    {"Newsletter", "", "email"},
    {"Perplexity", "perplexity.ai", "referral"},
    {"GitHub", "github.com", "referral"},
};
constexpr const char* kCountries[][3] = {
    {"US", "California", "San Francisco"}, {"GB", "England", "London"},  {"DE", "Berlin", "Berlin"},
    {"FR", "Île-de-France", "Paris"},     {"IN", "Karnataka", "Bengaluru"}, {"CA", "Ontario", "Toronto"},
    {"NL", "North Holland", "Amsterdam"},  {"BR", "São Paulo", "São Paulo"}, {"ES", "Madrid", "Madrid"},
    {"AU", "New South Wales", "Sydney"},   {"JP", "Tokyo", "Tokyo"},      {"SE", "Stockholm", "Stockholm"},
    {"PL", "Mazovia", "Warsaw"},           {"IT", "Lombardy", "Milan"},   {"US", "New York", "New York"},
};
constexpr const char* kDevices[][3] = {
    {"desktop", "Chrome", "Windows"}, {"mobile", "Mobile Safari", "iOS"}, {"desktop", "Safari", "Mac OS"},
    {"mobile", "Chrome Mobile", "Android"}, {"desktop", "Firefox", "Linux"}, {"desktop", "Edge", "Windows"},
    {"tablet", "Mobile Safari", "iOS"},
};
constexpr const char* kCampaigns[] = {"launch", "black_friday", "newsletter_42", "retargeting", "webinar"};
constexpr const char* kGoals[] = {"signup", "initiate_checkout", "newsletter", "demo_request", "download"};
constexpr int64_t kPrices[] = {9, 19, 49, 99, 299};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s EVENTS_DB SITE_ID EVENT_COUNT [SEED]\n", argv[0]);
    return 2;
  }
  auto store = datafast::store::OpenDuckDbEventStore(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  const std::string site = argv[2];
  const uint64_t total = std::stoull(argv[3]);
  std::mt19937_64 rng(argc > 4 ? std::stoull(argv[4]) : 42);

  std::vector<std::string> pages = {"/", "/pricing", "/blog", "/docs", "/signup", "/checkout", "/about"};
  for (int i = 0; pages.size() < 2000; ++i) pages.push_back("/blog/post-" + std::to_string(i));
  Zipf page_of(pages.size(), 1.1), source_of(std::size(kSources), 1.2), country_of(std::size(kCountries), 1.0),
      device_of(std::size(kDevices), 1.0);
  std::uniform_real_distribution<double> unit(0, 1);

  const int64_t end = datafast::core::SystemClock().NowMicros();
  const int64_t span = int64_t{395} * 86'400 * 1'000'000;  // 13 months
  const uint64_t visitors = std::max<uint64_t>(1, total / 5);  // about 1.5 sessions each

  std::vector<Event> batch;
  uint64_t written = 0;
  for (uint64_t s = 0; written < total; ++s) {
    int64_t ts = end - span + int64_t(double(written) / double(total) * double(span));
    Event base;
    base.site_id = site;
    base.visitor_id = "v" + std::to_string(std::uniform_int_distribution<uint64_t>(0, visitors - 1)(rng));
    base.session_id = "s" + std::to_string(s);
    base.hostname = "example.com";
    const Source& source = kSources[source_of(rng)];
    base.source = source.name;
    base.referrer_domain = source.domain;
    base.referrer = *source.domain ? std::string("https://") + source.domain + "/" : "";
    base.channel = source.channel;
    if (unit(rng) < 0.12) {
      base.utm_campaign = kCampaigns[std::uniform_int_distribution<size_t>(0, std::size(kCampaigns) - 1)(rng)];
      base.utm_source = *source.name ? source.name : "newsletter";
      base.utm_medium = base.channel == "email" ? "email" : "cpc";
    }
    const auto& place = kCountries[country_of(rng)];
    base.country = place[0];
    base.region = place[1];
    base.city = place[2];
    const auto& device = kDevices[device_of(rng)];
    base.device = device[0];
    base.browser = device[1];
    base.os = device[2];

    int views = unit(rng) < 0.45 ? 1 : 1 + int(std::floor(-std::log(1 - unit(rng)) * 2.5));
    std::string entry;
    for (int v = 0; v < views && written < total; ++v) {
      Event e = base;
      e.type = EventType::kPageview;
      e.ts_micros = ts + int64_t(v) * 40'000'000;
      e.pathname = pages[page_of(rng)];
      if (v == 0) {
        entry = e.pathname;
      } else {  // later pageviews come from the site itself
        e.source = e.referrer_domain = e.referrer = e.utm_campaign = e.utm_source = e.utm_medium = "";
        e.channel = "direct";
      }
      e.event_id = base.session_id + "-" + std::to_string(v);
      batch.push_back(std::move(e));
      ++written;
    }
    if (unit(rng) < 0.06 && written < total) {
      Event goal = base;
      goal.type = EventType::kGoal;
      goal.ts_micros = ts + int64_t(views) * 40'000'000;
      goal.pathname = entry;
      goal.goal_name = kGoals[std::uniform_int_distribution<size_t>(0, std::size(kGoals) - 1)(rng)];
      goal.event_id = base.session_id + "-goal";
      batch.push_back(std::move(goal));
      ++written;
    }
    if (unit(rng) < 0.015 && written < total) {
      Event paid = base;  // with the visit's attribution, as the integrations store it
      paid.type = EventType::kRevenue;
      paid.ts_micros = ts + int64_t(views + 1) * 40'000'000;
      paid.pathname = entry;
      paid.revenue_micros = kPrices[std::uniform_int_distribution<size_t>(0, std::size(kPrices) - 1)(rng)] * 1'000'000;
      paid.event_id = base.session_id + "-paid";
      batch.push_back(std::move(paid));
      ++written;
    }
    if (batch.size() >= 200'000) {
      if (auto status = (*store)->Append(batch); !status.ok()) {
        std::fprintf(stderr, "%s\n", status.message().c_str());
        return 1;
      }
      batch.clear();
    }
  }
  if (auto status = (*store)->Append(batch); !status.ok()) {
    std::fprintf(stderr, "%s\n", status.message().c_str());
    return 1;
  }
  std::printf("%llu\n", static_cast<unsigned long long>(written));
  return 0;
}
