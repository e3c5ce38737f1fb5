#include "ingest/user_agent.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "ingest/lru_cache.h"

namespace datafast::ingest {
namespace {

namespace json = boost::json;

// uap-core's patterns are plain ASCII, so Latin-1 matching gives the same
// results as UTF-8 on real headers while keeping the DFAs smaller and faster.
RE2::Options RuleOptions(int64_t max_mem) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  options.set_max_mem(max_mem);
  return options;
}

// Memory budgets (compiled program plus DFA cache). A set holds a whole
// section in one automaton: the device section needs more than 8 MiB to
// compile, and 32 MiB leaves its DFA cache room (budgets up to 128 MiB
// measured no faster). A single rule only runs once the set has chosen it, on
// one header, so a small budget is plenty and keeps 1,175 rules from adding up.
constexpr int64_t kSetMaxMem = 32 << 20;
constexpr int64_t kRuleMaxMem = 128 << 10;

// uap-core allows $1…$9 in replacements.
constexpr int kMaxGroups = 9;

struct Rule {
  std::unique_ptr<RE2> regex;
  // The replacement for the first and second output field (family and major
  // version, or the device family alone); a missing one takes the group of
  // the same position.
  std::array<std::optional<std::string>, 2> replacements;
};

// The rules of one regexes.yaml section in file order. An RE2::Set finds every
// matching rule in one pass; the lowest index wins, as in uap-core.
class Section {
 public:
  Section() : set_(RuleOptions(kSetMaxMem), RE2::UNANCHORED) {}

  // Loads `rules` (a JSON array of objects with "regex", optional
  // "regex_flag" and the two replacement keys named in `fields`).
  Status Load(const json::value* rules, const char* section_name, std::array<const char*, 2> fields) {
    if (rules == nullptr || !rules->is_array()) {
      return Status::InvalidArgument(std::string("uap regexes: missing array ") + section_name);
    }
    for (const json::value& item : rules->get_array()) {
      const json::object* object = item.if_object();
      const json::value* regex = object ? object->if_contains("regex") : nullptr;
      if (regex == nullptr || !regex->is_string()) {
        return Status::InvalidArgument(std::string("uap regexes: rule without regex in ") + section_name);
      }
      std::string pattern(regex->get_string());
      if (const json::value* flag = object->if_contains("regex_flag");
          flag && flag->is_string() && flag->get_string() == "i") {
        pattern.insert(0, "(?i)");
      }
      auto compiled = std::make_unique<RE2>(pattern, RuleOptions(kRuleMaxMem));
      if (!compiled->ok() || set_.Add(pattern, nullptr) < 0) {
        ++skipped_;
        continue;
      }
      Rule rule{std::move(compiled), {}};
      for (size_t i = 0; i < fields.size(); ++i) {
        if (fields[i] == nullptr) continue;
        if (const json::value* r = object->if_contains(fields[i]); r && r->is_string()) {
          rule.replacements[i] = std::string(r->get_string());
        }
      }
      rules_.push_back(std::move(rule));
    }
    if (!set_.Compile()) {
      return Status::Internal(std::string("uap regexes: cannot compile the ") + section_name + " set");
    }
    return Status::Ok();
  }

  // Runs the first matching rule and returns its two output fields ("" when
  // absent); nullopt when no rule matches.
  std::optional<std::array<std::string, 2>> Match(std::string_view text) const {
    const Rule* rule = FirstMatch(text);
    if (rule == nullptr) return std::nullopt;
    std::array<re2::StringPiece, kMaxGroups + 1> groups;
    int n = std::min(rule->regex->NumberOfCapturingGroups(), kMaxGroups) + 1;
    if (!rule->regex->Match(text, 0, text.size(), RE2::UNANCHORED, groups.data(), n)) {
      return std::nullopt;
    }
    std::array<std::string, 2> out;
    for (size_t i = 0; i < out.size(); ++i) {
      out[i] = rule->replacements[i] ? Substitute(*rule->replacements[i], groups, n)
                                     : std::string(i + 1 < static_cast<size_t>(n) ? groups[i + 1] : "");
      Trim(out[i]);
    }
    return out;
  }

  size_t skipped() const { return skipped_; }

 private:
  const Rule* FirstMatch(std::string_view text) const {
    // A set's DFA never gives up for being slow; it fails only when its budget
    // cannot hold a single state, which kSetMaxMem rules out.
    std::vector<int> hits;
    if (!set_.Match(text, &hits)) return nullptr;
    return &rules_[*std::min_element(hits.begin(), hits.end())];
  }

  static std::string Substitute(std::string_view replacement,
                                const std::array<re2::StringPiece, kMaxGroups + 1>& groups, int n) {
    std::string out;
    for (size_t i = 0; i < replacement.size(); ++i) {
      if (replacement[i] == '$' && i + 1 < replacement.size() &&
          std::isdigit(static_cast<unsigned char>(replacement[i + 1]))) {
        int group = replacement[++i] - '0';
        if (group > 0 && group < n) out.append(groups[group].data(), groups[group].size());
        continue;
      }
      out += replacement[i];
    }
    return out;
  }

  static void Trim(std::string& s) {
    size_t begin = s.find_first_not_of(" \t");
    if (begin == std::string::npos) {
      s.clear();
      return;
    }
    s.erase(s.find_last_not_of(" \t") + 1);
    s.erase(0, begin);
  }

  RE2::Set set_;
  std::vector<Rule> rules_;
  size_t skipped_ = 0;
};

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != haystack.end();
}

// `device_family` is uap's device family, which adds what the header's tokens
// miss: "Generic Tablet", "Kindle Fire HD…" from model codes, and phones that
// never say "Mobi". "MIDP" is the Java ME profile of feature phones.
DeviceType ClassifyDevice(std::string_view ua, std::string_view device_family) {
  // Tablets first: iPad and Android-tablet headers also say "Mobile" or
  // "Android". "Tablet PC" is a Windows desktop token from the IE era.
  bool says_tablet = Contains(ua, "Tablet") && !Contains(ua, "Tablet PC");
  if (Contains(ua, "iPad") || says_tablet || Contains(ua, "Kindle") || Contains(ua, "Silk/") ||
      (Contains(ua, "Android") && !Contains(ua, "Mobile")) || ContainsIgnoreCase(device_family, "tablet") ||
      Contains(device_family, "Kindle")) {
    return DeviceType::kTablet;
  }
  if (Contains(ua, "iPhone") || Contains(ua, "iPod") || Contains(ua, "Mobi") || Contains(ua, "Windows Phone") ||
      Contains(ua, "BlackBerry") || Contains(ua, "Opera Mini") || Contains(ua, "MIDP") ||
      device_family == "Generic Smartphone" || device_family == "Generic Feature Phone") {
    return DeviceType::kMobile;
  }
  return DeviceType::kDesktop;
}

class UapParser final : public UserAgentParser {
 public:
  Status Load(std::string_view regexes_json) {
    json::error_code ec;
    json::value root = json::parse(regexes_json, ec);
    if (ec || !root.is_object()) {
      return Status::InvalidArgument("uap regexes: not a JSON object: " + ec.message());
    }
    const json::object& object = root.get_object();
    DF_RETURN_IF_ERROR(browsers_.Load(object.if_contains("user_agent_parsers"), "user_agent_parsers",
                                      {"family_replacement", "v1_replacement"}));
    DF_RETURN_IF_ERROR(
        oses_.Load(object.if_contains("os_parsers"), "os_parsers", {"os_replacement", "os_v1_replacement"}));
    DF_RETURN_IF_ERROR(
        devices_.Load(object.if_contains("device_parsers"), "device_parsers", {"device_replacement", nullptr}));
    return Status::Ok();
  }

  UserAgentInfo Parse(std::string_view user_agent) const override {
    if (std::optional<UserAgentInfo> cached = cache_.Get(user_agent)) return *std::move(cached);
    UserAgentInfo info = ParseUncached(user_agent);
    cache_.Put(user_agent, info);
    return info;
  }

  size_t ParsersSkipped() const override { return browsers_.skipped() + oses_.skipped() + devices_.skipped(); }

 private:
  UserAgentInfo ParseUncached(std::string_view user_agent) const {
    UserAgentInfo info;
    info.browser = "Other";
    info.os = "Other";
    if (auto browser = browsers_.Match(user_agent); browser && !(*browser)[0].empty()) {
      info.browser = std::move((*browser)[0]);
      info.browser_version = std::move((*browser)[1]);
    }
    if (auto os = oses_.Match(user_agent); os && !(*os)[0].empty()) {
      info.os = std::move((*os)[0]);
      info.os_version = std::move((*os)[1]);
    }
    auto device = devices_.Match(user_agent);
    info.device = ClassifyDevice(user_agent, device ? (*device)[0] : std::string_view());
    return info;
  }

  Section browsers_;
  Section oses_;
  Section devices_;
  LruCache<UserAgentInfo> cache_;
};

}  // namespace

std::string_view ToString(DeviceType type) {
  switch (type) {
    case DeviceType::kDesktop:
      return "desktop";
    case DeviceType::kMobile:
      return "mobile";
    case DeviceType::kTablet:
      return "tablet";
  }
  return "desktop";
}

Result<std::unique_ptr<UserAgentParser>> UserAgentParser::Create(std::string_view regexes_json) {
  auto parser = std::make_unique<UapParser>();
  DF_RETURN_IF_ERROR(parser->Load(regexes_json));
  return std::unique_ptr<UserAgentParser>(std::move(parser));
}

}  // namespace datafast::ingest
