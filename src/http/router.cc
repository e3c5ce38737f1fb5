#include "http/router.h"

namespace datafast::http {
namespace {

// Matches `path` against a pattern of literal and "{}" segments, collecting
// what the "{}" segments matched.
bool MatchPattern(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  params.clear();
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    size_t pattern_end = std::min(pattern.find('/'), pattern.size());
    size_t path_end = std::min(path.find('/'), path.size());
    std::string_view want = pattern.substr(0, pattern_end);
    std::string_view have = path.substr(0, path_end);
    if (want == "{}") {
      if (have.empty()) return false;
      params.emplace_back(have);
    } else if (want != have) {
      return false;
    }
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
  }
  return true;
}

// HEAD is answered by the GET handler; the session drops the body.
bool Serves(const Route& route, beast_http::verb method) {
  return route.method == method || (method == beast_http::verb::head && route.method == beast_http::verb::get);
}

}  // namespace

void Router::Add(Route route) {
  routes_.push_back(std::move(route));
  const Route& added = routes_.back();
  if (added.prefix || added.path.find("{}") != std::string::npos) {
    others_.push_back(routes_.size() - 1);
  } else {
    exact_[added.path].push_back(routes_.size() - 1);
  }
}

Router::Match Router::Find(beast_http::verb method, std::string_view path) const {
  Match match;
  bool specific_known = false;  // an exact or pattern route has this path, with another method
  if (auto exact = exact_.find(path); exact != exact_.end()) {
    for (size_t i : exact->second) {
      if (Serves(routes_[i], method)) return Match{&routes_[i], true, {}};
    }
    match.path_known = specific_known = true;
  }
  const Route* pattern_route = nullptr;
  std::vector<std::string> pattern_params;
  std::vector<std::string> params;
  size_t best_prefix = 0;
  for (size_t i : others_) {
    const Route& r = routes_[i];
    bool hit = r.prefix ? path.starts_with(r.path) : MatchPattern(r.path, path, params);
    if (!hit) continue;
    if (!Serves(r, method)) {
      match.path_known = true;
      if (!r.prefix) specific_known = true;
      continue;
    }
    if (!r.prefix) {
      if (!pattern_route) {
        pattern_route = &r;
        pattern_params = params;
      }
    } else if (r.path.size() >= best_prefix) {
      best_prefix = r.path.size();
      match.route = &r;
    }
  }
  if (pattern_route) {
    match.route = pattern_route;
    match.params = std::move(pattern_params);
  } else if (specific_known) {
    match.route = nullptr;  // 405 for that path, not a catch-all prefix's answer
  }
  return match;
}

}  // namespace datafast::http
