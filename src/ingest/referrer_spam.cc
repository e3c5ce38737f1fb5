#include "ingest/referrer_spam.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <string>
#include <unordered_set>
#include <utility>

namespace datafast::ingest {
namespace {

// Transparent hashing lets IsSpam look up string_views without copying.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using Domains = std::unordered_set<std::string, StringHash, std::equal_to<>>;

class DomainSet final : public ReferrerSpamList {
 public:
  explicit DomainSet(Domains domains) : domains_(std::move(domains)) {}

  bool IsSpam(std::string_view host) const override {
    // Try the host, then each parent domain: "a.b.semalt.com" is checked as
    // itself, "b.semalt.com", "semalt.com" and "com". Whole labels only, so
    // "notsemalt.com" never matches "semalt.com".
    while (!host.empty()) {
      if (domains_.contains(host)) return true;
      size_t dot = host.find('.');
      if (dot == std::string_view::npos) return false;
      host.remove_prefix(dot + 1);
    }
    return false;
  }

  size_t size() const override { return domains_.size(); }

 private:
  Domains domains_;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::unique_ptr<ReferrerSpamList>> ReferrerSpamList::Create(std::string_view list_text) {
  Domains domains;
  while (!list_text.empty()) {
    size_t end = list_text.find('\n');
    std::string_view line = Trim(list_text.substr(0, end));
    list_text.remove_prefix(end == std::string_view::npos ? list_text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;
    std::string domain(line);
    std::transform(domain.begin(), domain.end(), domain.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    domains.insert(std::move(domain));
  }
  return std::unique_ptr<ReferrerSpamList>(std::make_unique<DomainSet>(std::move(domains)));
}

}  // namespace datafast::ingest
