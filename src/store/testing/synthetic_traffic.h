// Seeded, varied traffic for store tests: returning visitors, sessions that
// cross midnight and a DST change, attributes that change after the first
// pageview, goals, outbound clicks, payments and refunds.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "store/event.h"

namespace datafast::store::testing {

// 2026-09-20 00:00 UTC; Europe/Paris leaves summer time 35 days later.
inline constexpr int64_t kTrafficStartSeconds = 1'789'862'400;
inline constexpr int kTrafficDays = 60;

// The events of `visitors` visitors to `site` over `days` days from
// `start_seconds`, in time order. Visitor ids are the same for every seed
// (v0, v1…); session and event ids differ.
inline std::vector<Event> SyntheticTraffic(const std::string& site, int visitors, uint64_t seed,
                                           int64_t start_seconds = kTrafficStartSeconds, int days = kTrafficDays) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
  auto chance = [&rng](int percent) { return static_cast<int>(rng() % 100) < percent; };
  const std::vector<std::string> pages = {"/", "/", "/", "/pricing", "/blog/a", "/blog/b", "/docs", "/docs/start"};
  const std::vector<std::string> hosts = {"example.com", "example.com", "docs.example.com"};
  struct Source {
    std::string channel, source, domain, utm_source, utm_campaign, ref;
  };
  const std::vector<Source> sources = {{"direct", "", "", "", "", ""},
                                       {"organic_search", "Google", "google.com", "", "", ""},
                                       {"social", "X", "x.com", "x", "launch", ""},
                                       {"social", "Reddit", "reddit.com", "", "", "friend"},
                                       {"referral", "", "blog.example.org", "", "", ""},
                                       {"email", "", "", "newsletter", "nov", ""}};
  struct Place {
    std::string country, region, city;
  };
  const std::vector<Place> places = {
      {"FR", "Île-de-France", "Paris"}, {"US", "Georgia", "Atlanta"}, {"GE", "Georgia", "Tbilisi"}, {"", "", ""}};
  const std::vector<std::string> browsers = {"Chrome", "Firefox", "Safari"};
  const std::vector<std::string> devices = {"desktop", "mobile", "tablet"};

  std::vector<Event> out;
  int64_t event_number = 0;
  auto event = [&](const std::string& visitor, const std::string& session, int64_t ts, EventType type) {
    Event e;
    e.event_id = "ev-" + std::to_string(seed) + "-" + std::to_string(event_number++);
    e.site_id = site;
    e.ts_micros = ts;
    e.type = type;
    e.visitor_id = visitor;
    e.session_id = session;
    e.hostname = pick(hosts);
    e.pathname = pick(pages);
    return e;
  };
  int session_number = 0;
  for (int v = 0; v < visitors; ++v) {
    std::string visitor = "v" + std::to_string(v);
    int sessions = 1 + static_cast<int>(rng() % (chance(30) ? 6 : 2));
    std::vector<Event> visitor_pageviews;
    for (int s = 0; s < sessions; ++s) {
      std::string session = "s" + std::to_string(seed) + "-" + std::to_string(session_number++);
      int64_t ts = (start_seconds + static_cast<int64_t>(rng() % (days * 86'400))) * 1'000'000;
      const Source& source = sources[rng() % sources.size()];
      const Place& place = places[rng() % places.size()];
      std::string browser = pick(browsers), device = pick(devices);
      int pageviews = 1 + static_cast<int>(rng() % 4);
      for (int p = 0; p < pageviews; ++p) {
        Event e = event(visitor, session, ts, EventType::kPageview);
        // Only the first pageview's attributes are the session's.
        const Source& seen = p == 0 ? source : sources[rng() % sources.size()];
        e.channel = seen.channel;
        e.source = seen.source;
        e.referrer_domain = seen.domain;
        e.referrer = seen.domain.empty() ? "" : "https://" + seen.domain + "/";
        e.utm_source = seen.utm_source;
        e.utm_campaign = seen.utm_campaign;
        e.ref_param = seen.ref;
        e.country = place.country;
        e.region = place.region;
        e.city = place.city;
        e.browser = browser;
        e.os = device == "desktop" ? "Linux" : "Android";
        e.device = device;
        visitor_pageviews.push_back(e);
        out.push_back(std::move(e));
        ts += static_cast<int64_t>(1 + rng() % 900) * 1'000'000;
      }
      if (chance(20)) {
        Event goal = event(visitor, session, ts, EventType::kGoal);
        goal.goal_name = chance(50) ? "signup" : "download";
        out.push_back(std::move(goal));
      }
      if (chance(10)) {
        Event outbound = event(visitor, session, ts + 1'000'000, EventType::kOutbound);
        outbound.outbound_url = "https://elsewhere.example/";
        out.push_back(std::move(outbound));
      }
    }
    if (chance(20)) {
      // A payment under the attribution of one of the visitor's pageviews,
      // sometimes refunded in part.
      Event pay = visitor_pageviews[rng() % visitor_pageviews.size()];
      pay.event_id = "ev-" + std::to_string(seed) + "-" + std::to_string(event_number++);
      pay.type = EventType::kRevenue;
      pay.ts_micros += 120'000'000;
      pay.revenue_micros = static_cast<int64_t>(1 + rng() % 100) * 1'000'000;
      out.push_back(pay);
      if (chance(25)) {
        pay.event_id = "ev-" + std::to_string(seed) + "-" + std::to_string(event_number++);
        pay.ts_micros += 86'400'000'000;
        pay.revenue_micros = -pay.revenue_micros / 2;
        out.push_back(std::move(pay));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Event& a, const Event& b) { return a.ts_micros < b.ts_micros; });
  return out;
}

}  // namespace datafast::store::testing
