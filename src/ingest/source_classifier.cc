#include "ingest/source_classifier.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace datafast::ingest {
namespace {

namespace json = boost::json;

// The database's media. "referral" and "unknown" (the package's name for a
// service page such as support.google.com) both count as a plain referral.
enum class Medium { kSearch, kSocial, kEmail, kPaid, kReferral };
constexpr size_t kMediumCount = static_cast<size_t>(Medium::kReferral) + 1;

struct Entry {
  std::string name;
  Medium medium = Medium::kReferral;
};

// Transparent hashing lets lookups take string_views without copying.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using EntryMap = std::unordered_map<std::string, Entry, StringHash, std::equal_to<>>;

// utm_medium values that mean a paid click. "affiliate" is deliberately not
// here: an affiliate link is a referral.
constexpr std::string_view kPaidMediums[] = {
    "cpc",         "ppc", "paid", "paidsearch", "paid_search", "paid-search", "paidsocial", "paid_social",
    "paid-social", "cpm", "cpv",  "display",    "banner",      "ads",         "ad",
};
// utm_medium or utm_source values that mean an email campaign, as in GA4's
// channel rules, where a bare utm_source=newsletter counts as email too.
constexpr std::string_view kEmailValues[] = {"email", "e-mail", "e_mail", "newsletter"};
// utm_medium values that name a channel for a tagged link without a referrer.
constexpr std::string_view kSocialMediums[] = {"social", "social-media",   "social_media",
                                               "sm",     "social-network", "social_network"};
constexpr std::string_view kOrganicMediums[] = {"organic"};

template <size_t N>
bool IsOneOf(std::string_view value, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), value) != std::end(set);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view StripWww(std::string_view host) {
  if (host.starts_with("www.")) host.remove_prefix(4);
  return host;
}

// `host` equals `domain` or is a subdomain of it.
bool IsUnder(std::string_view host, std::string_view domain) {
  if (domain.empty()) return false;
  if (host == domain) return true;
  return host.size() > domain.size() && host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.';
}

Channel FromMedium(Medium medium) {
  switch (medium) {
    case Medium::kSearch:
      return Channel::kOrganicSearch;
    case Medium::kSocial:
      return Channel::kSocial;
    case Medium::kEmail:
      return Channel::kEmail;
    case Medium::kPaid:
      return Channel::kPaid;
    case Medium::kReferral:
      return Channel::kReferral;
  }
  return Channel::kReferral;
}

// Parses one {host: {source, medium}} file into `hosts`, overwriting what is
// there. Keys are lowercased and lose "www." so that one lookup serves both
// spellings; the package's keys with a path ("google.com/imgres") are skipped
// because the classifier only ever sees a host. `order` receives the keys in
// file order.
Status ParseDatabase(std::string_view text, std::string_view what, EntryMap& hosts,
                     std::vector<std::pair<std::string, std::string>>* order) {
  json::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) {
    return Status::InvalidArgument(std::string(what) + ": not a JSON object: " + ec.message());
  }
  for (const auto& [key, value] : root.get_object()) {
    const json::object* object = value.if_object();
    const json::value* source = object ? object->if_contains("source") : nullptr;
    const json::value* medium = object ? object->if_contains("medium") : nullptr;
    if (source == nullptr || !source->is_string() || medium == nullptr || !medium->is_string()) {
      return Status::InvalidArgument(std::string(what) + ": " + std::string(key) + " needs a source and a medium");
    }
    std::string_view medium_name = medium->get_string();
    Entry entry{std::string(source->get_string()), Medium::kReferral};
    if (medium_name == "search") {
      entry.medium = Medium::kSearch;
    } else if (medium_name == "social") {
      entry.medium = Medium::kSocial;
    } else if (medium_name == "email") {
      entry.medium = Medium::kEmail;
    } else if (medium_name == "paid") {
      entry.medium = Medium::kPaid;
    } else if (medium_name != "referral" && medium_name != "unknown") {
      return Status::InvalidArgument(std::string(what) + ": " + std::string(key) + " has an unknown medium " +
                                     std::string(medium_name));
    }
    if (key.find('/') != std::string_view::npos) continue;
    std::string host(StripWww(Lower(key)));
    if (order) order->emplace_back(host, entry.name);
    hosts.insert_or_assign(std::move(host), std::move(entry));
  }
  return Status::Ok();
}

class DatabaseClassifier final : public SourceClassifier {
 public:
  Status Load(std::string_view referrers_json, std::string_view extra_json) {
    std::vector<std::pair<std::string, std::string>> package_order;
    DF_RETURN_IF_ERROR(ParseDatabase(referrers_json, "referrers.json", hosts_, &package_order));
    DF_RETURN_IF_ERROR(ParseDatabase(extra_json, "referrers-extra.json", hosts_, nullptr));
    IndexNames(package_order);
    return Status::Ok();
  }

  Source Classify(const SourceInput& input) const override {
    std::string_view referrer = input.referrer_host;
    if (IsInternal(referrer, input.page_host, input.site_domain)) referrer = {};

    Source source;
    const Entry* entry = nullptr;
    std::string_view utm_source = Trim(input.utm_source);
    if (!referrer.empty()) {
      source.referrer_domain = std::string(StripWww(referrer));
      entry = FindHost(source.referrer_domain);
      source.name = entry ? entry->name : source.referrer_domain;
    } else if (!utm_source.empty()) {
      entry = FindUtmSource(utm_source);
      source.name = entry ? entry->name : std::string(utm_source);
    }

    std::string medium = Lower(Trim(input.utm_medium));
    if (input.has_paid_click_id || IsOneOf(medium, kPaidMediums) || (entry && entry->medium == Medium::kPaid)) {
      source.channel = Channel::kPaid;
    } else if (IsOneOf(medium, kEmailValues) || IsOneOf(Lower(utm_source), kEmailValues) ||
               (entry && entry->medium == Medium::kEmail)) {
      source.channel = Channel::kEmail;
    } else if (!referrer.empty()) {
      // A real referrer says where the visit came from; the database decides.
      source.channel = entry ? FromMedium(entry->medium) : Channel::kReferral;
    } else if (!utm_source.empty()) {
      // A tagged link without a referrer (apps, privacy settings): the tag's
      // medium decides, then what we know of the named source.
      if (IsOneOf(medium, kSocialMediums)) {
        source.channel = Channel::kSocial;
      } else if (IsOneOf(medium, kOrganicMediums)) {
        source.channel = Channel::kOrganicSearch;
      } else {
        source.channel = entry ? FromMedium(entry->medium) : Channel::kReferral;
      }
    }
    return source;
  }

 private:
  static bool IsInternal(std::string_view referrer, std::string_view page_host, std::string_view site_domain) {
    if (referrer.empty()) return false;
    if (!page_host.empty() && StripWww(referrer) == StripWww(page_host)) return true;
    return IsUnder(referrer, StripWww(site_domain));
  }

  // The host itself, then its parent domains down to two labels, so that
  // "l.facebook.com" and "de.m.wikipedia.org" find their site's entry.
  const Entry* FindHost(std::string_view host) const {
    while (true) {
      if (auto it = hosts_.find(host); it != hosts_.end()) return &it->second;
      size_t dot = host.find('.');
      if (dot == std::string_view::npos) return nullptr;
      host.remove_prefix(dot + 1);
      if (host.find('.') == std::string_view::npos) return nullptr;
    }
  }

  // utm_source as a source name ("google", "X", case-insensitive), else as a
  // host ("news.ycombinator.com").
  const Entry* FindUtmSource(std::string_view utm_source) const {
    std::string key = Lower(utm_source);
    if (auto it = names_.find(key); it != names_.end()) return &it->second;
    return FindHost(StripWww(key));
  }

  // Builds names_: each final source name, lowercased, with the medium most
  // of its hosts have (so "google" is search, not the paid or service hosts).
  // A package name that referrers-extra.json replaced ("Twitter") points at
  // the replacement ("X"), so utm_source=twitter still finds it.
  void IndexNames(const std::vector<std::pair<std::string, std::string>>& package_order) {
    std::map<std::string, std::pair<std::string, std::array<int, kMediumCount>>> votes;
    for (const auto& [host, entry] : hosts_) {
      auto& [name, counts] = votes[Lower(entry.name)];
      // Spellings that differ only in case: keep one, the same on every run.
      if (name.empty() || entry.name < name) name = entry.name;
      ++counts[static_cast<size_t>(entry.medium)];
    }
    for (const auto& [key, vote] : votes) {
      const auto& counts = vote.second;
      auto winner = std::max_element(counts.begin(), counts.end()) - counts.begin();
      names_.emplace(key, Entry{vote.first, static_cast<Medium>(winner)});
    }
    for (const auto& [host, package_name] : package_order) {
      std::string alias = Lower(package_name);
      if (names_.contains(alias)) continue;
      const Entry& renamed = hosts_.find(host)->second;
      names_.emplace(std::move(alias), names_.find(Lower(renamed.name))->second);
    }
  }

  EntryMap hosts_;
  EntryMap names_;
};

}  // namespace

std::string_view ToString(Channel channel) {
  switch (channel) {
    case Channel::kDirect:
      return "direct";
    case Channel::kOrganicSearch:
      return "organic_search";
    case Channel::kSocial:
      return "social";
    case Channel::kEmail:
      return "email";
    case Channel::kPaid:
      return "paid";
    case Channel::kReferral:
      return "referral";
  }
  return "direct";
}

Result<std::unique_ptr<SourceClassifier>> SourceClassifier::Create(std::string_view referrers_json,
                                                                   std::string_view extra_json) {
  auto classifier = std::make_unique<DatabaseClassifier>();
  DF_RETURN_IF_ERROR(classifier->Load(referrers_json, extra_json));
  return std::unique_ptr<SourceClassifier>(std::move(classifier));
}

}  // namespace datafast::ingest
