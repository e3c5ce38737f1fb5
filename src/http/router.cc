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

}  // namespace

Router::Match Router::Find(beast_http::verb method, std::string_view path) const {
  Match match;
  const Route* pattern_route = nullptr;
  std::vector<std::string> pattern_params;
  std::vector<std::string> params;
  size_t best_prefix = 0;
  bool specific_known = false;  // an exact or pattern route has this path, with another method
  for (const Route& r : routes_) {
    bool is_pattern = !r.prefix && r.path.find("{}") != std::string::npos;
    bool hit = r.prefix ? path.starts_with(r.path) : is_pattern ? MatchPattern(r.path, path, params) : path == r.path;
    if (!hit) continue;
    // HEAD is answered by the GET handler; the session drops the body.
    bool method_ok = r.method == method || (method == beast_http::verb::head && r.method == beast_http::verb::get);
    if (!method_ok) {
      match.path_known = true;
      if (!r.prefix) specific_known = true;
      continue;
    }
    if (is_pattern) {
      if (!pattern_route) {
        pattern_route = &r;
        pattern_params = params;
      }
    } else if (!r.prefix) {
      return Match{&r, true, {}};
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
