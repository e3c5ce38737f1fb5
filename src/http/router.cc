#include "http/router.h"

namespace datafast::http {

Router::Match Router::Find(beast_http::verb method, std::string_view path) const {
  Match match;
  size_t best_prefix = 0;
  for (const Route& r : routes_) {
    bool hit = r.prefix ? path.starts_with(r.path) : path == r.path;
    if (!hit) continue;
    // HEAD is answered by the GET handler; the session drops the body.
    bool method_ok = r.method == method || (method == beast_http::verb::head && r.method == beast_http::verb::get);
    if (!method_ok) {
      match.path_known = true;
      continue;
    }
    if (!r.prefix) return Match{&r, true};
    if (r.path.size() >= best_prefix) {
      best_prefix = r.path.size();
      match.route = &r;
    }
  }
  return match;
}

}  // namespace datafast::http
