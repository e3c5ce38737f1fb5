// Maps a method and path to a handler, with each route's own body limit so
// that small endpoints (POST /api/events: 8 KB) refuse large bodies before
// reading them. Built at start-up, read-only afterwards: thread-safe to read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/types.h"

namespace datafast::http {

inline constexpr size_t kDefaultBodyLimit = 1024 * 1024;

struct Route {
  beast_http::verb method;
  // An exact path; a pattern where each "{}" segment matches one non-empty
  // segment ("/api/app/sites/{}/keys"); or a prefix when `prefix` is set.
  std::string path;
  bool prefix = false;
  size_t body_limit = kDefaultBodyLimit;
  Handler handler;
};

class Router {
 public:
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;     // nullptr: nothing to run
    bool path_known = false;          // the path exists with another method: 405
    std::vector<std::string> params;  // the segments the pattern's "{}" matched
  };
  // `path` is the request target without the query string. Exact routes win
  // over patterns, patterns over prefixes; the longest prefix wins among
  // prefixes. A path that an exact or pattern route serves with other
  // methods only is a 405, whatever prefix routes might take it.
  Match Find(beast_http::verb method, std::string_view path) const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<Route> routes_;
  // Indexes into routes_, in the order added: exact routes by path (found
  // with one lookup, as every tracker request is), and the patterns and
  // prefixes, tried one by one.
  std::unordered_map<std::string, std::vector<size_t>, StringHash, std::equal_to<>> exact_;
  std::vector<size_t> others_;
};

}  // namespace datafast::http
