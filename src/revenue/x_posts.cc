#include "revenue/x_posts.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "core/clock.h"
#include "core/http_client.h"
#include "core/log.h"
#include "core/time_zone.h"

namespace datafast::revenue {
namespace {

namespace json = boost::json;

constexpr int64_t kStaleMicros = 6 * 3'600'000'000LL;
constexpr size_t kLookupLimit = 100;  // ids per lookup, the API's maximum

bool IsDigits(std::string_view s) {
  return !s.empty() && s.size() <= 25 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsHandle(std::string_view s) {
  return !s.empty() && s.size() <= 15 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '/')) s.remove_suffix(1);
  return s;
}

// The path of an x.com or twitter.com URL ("" for the bare host), with its
// query and fragment cut; nullopt for another host.
std::optional<std::string_view> XPath(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (url.starts_with(scheme)) url.remove_prefix(scheme.size());
  }
  url = url.substr(0, url.find_first_of("?#"));
  std::string_view host = url.substr(0, url.find('/'));
  std::string lower(host);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string_view prefix : {"www.", "mobile."}) {
    if (std::string_view(lower).starts_with(prefix)) lower.erase(0, prefix.size());
  }
  if (lower != "x.com" && lower != "twitter.com") return std::nullopt;
  url.remove_prefix(host.size());
  while (url.starts_with('/')) url.remove_prefix(1);
  return url;
}

// The path's segments.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    if (slash != 0) out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

int64_t MetricOf(const json::object& metrics, std::string_view name) {
  const json::value* v = metrics.if_contains(name);
  return v && v->is_int64() ? v->get_int64() : 0;
}

std::string TextOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

}  // namespace

Result<PostRef> ParsePostUrl(std::string_view url) {
  url = Trim(url);
  if (IsDigits(url)) return PostRef{std::string(url), ""};
  auto path = XPath(url);
  if (!path) return Status::InvalidArgument("url: not a post on x.com or twitter.com");
  std::vector<std::string_view> parts = Segments(*path);
  // HANDLE/status/ID, i/web/status/ID, i/status/ID, then anything (/photo/1).
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    if ((parts[i] != "status" && parts[i] != "statuses") || !IsDigits(parts[i + 1])) continue;
    std::string handle = i == 1 && parts[0] != "i" && IsHandle(parts[0]) ? std::string(parts[0]) : "";
    return PostRef{std::string(parts[i + 1]), std::move(handle)};
  }
  return Status::InvalidArgument("url: not a link to a post (x.com/HANDLE/status/ID)");
}

Result<std::string> ParseHandle(std::string_view text) {
  text = Trim(text);
  if (auto path = XPath(text)) text = path->substr(0, path->find('/'));
  if (text.starts_with('@')) text.remove_prefix(1);
  if (!IsHandle(text)) return Status::InvalidArgument("handle: must be 1 to 15 letters, digits or underscores");
  return std::string(text);
}

json::object XPostJson(const store::XPost& p) {
  std::string author = p.handle.empty() ? "i/web" : p.handle;
  return json::object{{"post_id", p.post_id},
                      {"url", "https://x.com/" + author + "/status/" + p.post_id},
                      {"handle", p.handle},
                      {"text", p.text},
                      {"posted_at", p.posted_at_micros == 0 ? "" : core::FormatIsoTime(p.posted_at_micros)},
                      {"likes", p.likes},
                      {"reposts", p.reposts},
                      {"replies", p.replies},
                      {"quotes", p.quotes},
                      {"impressions", p.impressions},
                      {"fetched_at", p.fetched_at_micros == 0 ? "" : core::FormatIsoTime(p.fetched_at_micros)},
                      {"fetch_error", p.fetch_error}};
}

Result<store::XAccount> XPosts::AddAccount(const store::Site& site, std::string_view handle) {
  auto parsed = ParseHandle(handle);
  if (!parsed.ok()) return parsed.status();
  auto known = meta_.ListXAccounts(site.id);
  if (!known.ok()) return known.status();
  for (const store::XAccount& a : *known) {
    if (std::equal(a.handle.begin(), a.handle.end(), parsed->begin(), parsed->end(),
                   [](char x, char y) { return std::tolower(x) == std::tolower(y); })) {
      return a;
    }
  }
  store::XAccount account{site.id, std::move(*parsed), clock_.NowMicros()};
  DF_RETURN_IF_ERROR(meta_.PutXAccount(account));
  return account;
}

Result<store::XPost> XPosts::AddPost(const store::Site& site, std::string_view url) {
  auto ref = ParsePostUrl(url);
  if (!ref.ok()) return ref.status();
  auto known = meta_.ListXPosts(site.id);
  if (!known.ok()) return known.status();
  std::vector<store::XPost> post(1);
  auto same =
      std::find_if(known->begin(), known->end(), [&](const store::XPost& p) { return p.post_id == ref->post_id; });
  if (same != known->end()) {
    post[0] = *same;
  } else {
    post[0].site_id = site.id;
    post[0].post_id = ref->post_id;
    post[0].added_at_micros = clock_.NowMicros();
  }
  if (post[0].handle.empty()) post[0].handle = ref->handle;
  DF_RETURN_IF_ERROR(meta_.PutXPost(post[0]));
  if (api_configured()) DF_RETURN_IF_ERROR(Fetch(post));
  return post[0];
}

Status XPosts::RefreshStale() {
  if (!api_configured()) return Status::Ok();
  auto posts = meta_.ListXPosts("");
  if (!posts.ok()) return posts.status();
  int64_t now = clock_.NowMicros();
  std::vector<store::XPost> stale;
  for (store::XPost& p : *posts) {
    if (now - p.fetched_at_micros < kStaleMicros) continue;
    stale.push_back(std::move(p));
    if (stale.size() == kLookupLimit) {
      DF_RETURN_IF_ERROR(Fetch(stale));
      stale.clear();
    }
  }
  return stale.empty() ? Status::Ok() : Fetch(stale);
}

Status XPosts::Fetch(std::vector<store::XPost>& posts) {
  std::string ids;
  for (const store::XPost& p : posts) ids += (ids.empty() ? "" : ",") + p.post_id;
  std::string url = options_.base_url + "/2/tweets?ids=" + ids +
                    "&tweet.fields=created_at,public_metrics,author_id&expansions=author_id&user.fields=username";
  auto answer = core::HttpExchange("X", "GET", url, {"Authorization: Bearer " + options_.bearer_token});
  int64_t now = clock_.NowMicros();
  std::string failure;
  json::object body;
  if (!answer.ok()) {
    failure = answer.status().message();
  } else if (answer->status == 401 || answer->status == 403) {
    failure = "the X API refused the operator's token (HTTP " + std::to_string(answer->status) + ")";
  } else if (answer->status == 429) {
    failure = "the X API's rate limit was reached; the figures are fetched again later";
  } else if (answer->status != 200) {
    failure = "the X API answered HTTP " + std::to_string(answer->status);
  } else {
    boost::system::error_code ec;
    json::value parsed = json::parse(answer->body, ec);
    if (ec || !parsed.is_object()) {
      failure = "the X API's answer is not JSON";
    } else {
      body = std::move(parsed.get_object());
    }
  }

  // Authors by id, then each post found.
  std::map<std::string, std::string> usernames;
  if (const json::value* includes = body.if_contains("includes"); includes && includes->is_object()) {
    if (const json::value* users = includes->get_object().if_contains("users"); users && users->is_array()) {
      for (const json::value& u : users->get_array()) {
        if (u.is_object()) usernames[TextOf(u.get_object(), "id")] = TextOf(u.get_object(), "username");
      }
    }
  }
  std::map<std::string, const json::object*> found;
  if (const json::value* data = body.if_contains("data"); data && data->is_array()) {
    for (const json::value& d : data->get_array()) {
      if (d.is_object()) found[TextOf(d.get_object(), "id")] = &d.get_object();
    }
  }
  for (store::XPost& p : posts) {
    p.fetched_at_micros = now;
    auto it = found.find(p.post_id);
    if (it == found.end()) {
      p.fetch_error = failure.empty() ? "not found on X (deleted, or from a protected account)" : failure;
    } else {
      const json::object& d = *it->second;
      p.fetch_error.clear();
      p.text = TextOf(d, "text");
      p.posted_at_micros = core::ParseIsoTime(TextOf(d, "created_at")).value_or(0);
      if (auto author = usernames.find(TextOf(d, "author_id")); author != usernames.end() && !author->second.empty()) {
        p.handle = author->second;
      }
      if (const json::value* m = d.if_contains("public_metrics"); m && m->is_object()) {
        const json::object& metrics = m->get_object();
        p.likes = MetricOf(metrics, "like_count");
        p.reposts = MetricOf(metrics, "retweet_count");
        p.replies = MetricOf(metrics, "reply_count");
        p.quotes = MetricOf(metrics, "quote_count");
        p.impressions = MetricOf(metrics, "impression_count");
      }
    }
    DF_RETURN_IF_ERROR(meta_.PutXPost(p));
  }
  if (!failure.empty()) core::LogWarn("X post lookup failed", {{"error", failure}, {"posts", int64_t(posts.size())}});
  return Status::Ok();
}

}  // namespace datafast::revenue
