// X (Twitter) beyond the referrer: the accounts a site posts from and the
// posts it registers, so the revenue view can list every post, visited or
// not, by account. With an X API bearer token from the operator, each
// post's text, time and engagement are fetched through the X API v2 post
// lookup (GET /2/tweets, up to 100 ids a call) at a configurable base URL,
// when a post is registered and again once its figures are six hours old.
// Without a token everything works on post ids and URLs. Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/meta_store.h"

namespace datafast::revenue {

struct PostRef {
  std::string post_id;
  std::string handle;  // "" when the URL does not name the author
};

// The post a URL points to (x.com or twitter.com, www. or mobile., with or
// without a scheme, query or trailing path: /HANDLE/status/ID and
// /i/web/status/ID), or a bare post id. kInvalidArgument "url: …" for
// anything else.
Result<PostRef> ParsePostUrl(std::string_view url);

// "ShopMaker" from "@ShopMaker", "x.com/ShopMaker" or
// "https://twitter.com/ShopMaker". kInvalidArgument "handle: …" unless it is
// 1 to 15 letters, digits or underscores.
Result<std::string> ParseHandle(std::string_view text);

// The post as the app and the reports show it: its id, a link to it, its
// author and, once fetched, text, time (ISO 8601, "" unknown) and
// engagement.
boost::json::object XPostJson(const store::XPost& post);

struct XApiOptions {
  std::string base_url = "https://api.x.com";
  std::string bearer_token;  // "": the X API is not called
};

class XPosts {
 public:
  XPosts(store::MetaStore& meta, XApiOptions options, const core::Clock& clock)
      : meta_(meta), options_(std::move(options)), clock_(clock) {}

  bool api_configured() const { return !options_.bearer_token.empty(); }

  Result<store::XAccount> AddAccount(const store::Site& site, std::string_view handle);

  // Registers the post `url` points to (again: keeps what was fetched) and,
  // with a token, fetches its details; a failed fetch is kept in the post's
  // fetch_error, never refused.
  Result<store::XPost> AddPost(const store::Site& site, std::string_view url);

  // Fetches the details of every post, of every site, never fetched or
  // fetched more than six hours ago. Nothing without a token.
  Status RefreshStale();

 private:
  // Fetches and stores the details of `posts` (at most 100).
  Status Fetch(std::vector<store::XPost>& posts);

  store::MetaStore& meta_;
  const XApiOptions options_;
  const core::Clock& clock_;
};

}  // namespace datafast::revenue
