#include "http/router.h"

#include <gtest/gtest.h>

namespace datafast::http {
namespace {

Handler Noop() {
  return [](RequestContext&) -> boost::asio::awaitable<Response> { co_return Response{}; };
}

TEST(Router, ExactBeatsPrefixAndLongestPrefixWins) {
  Router router;
  router.Add({beast_http::verb::get, "/app/", true, 0, Noop()});
  router.Add({beast_http::verb::get, "/app/assets/", true, 0, Noop()});
  router.Add({beast_http::verb::get, "/app/assets/x.js", false, 0, Noop()});
  EXPECT_EQ(router.Find(beast_http::verb::get, "/app/assets/x.js").route->path, "/app/assets/x.js");
  EXPECT_EQ(router.Find(beast_http::verb::get, "/app/assets/y.js").route->path, "/app/assets/");
  EXPECT_EQ(router.Find(beast_http::verb::get, "/app/settings").route->path, "/app/");
}

TEST(Router, PatternsCaptureSegmentsAndRankBetweenExactAndPrefix) {
  Router router;
  router.Add({beast_http::verb::get, "/api/app/", true, 0, Noop()});
  router.Add({beast_http::verb::get, "/api/app/sites/{}", false, 0, Noop()});
  router.Add({beast_http::verb::delete_, "/api/app/sites/{}/keys/{}", false, 0, Noop()});
  router.Add({beast_http::verb::get, "/api/app/sites/new", false, 0, Noop()});
  auto site = router.Find(beast_http::verb::get, "/api/app/sites/dfid_1");
  EXPECT_EQ(site.route->path, "/api/app/sites/{}");
  EXPECT_EQ(site.params, std::vector<std::string>{"dfid_1"});
  EXPECT_EQ(router.Find(beast_http::verb::get, "/api/app/sites/new").route->path, "/api/app/sites/new");
  auto key = router.Find(beast_http::verb::delete_, "/api/app/sites/dfid_1/keys/key_2");
  EXPECT_EQ(key.params, (std::vector<std::string>{"dfid_1", "key_2"}));
  // No empty segment, no extra segment: those fall through to the prefix.
  EXPECT_EQ(router.Find(beast_http::verb::get, "/api/app/sites/").route->path, "/api/app/");
  EXPECT_EQ(router.Find(beast_http::verb::get, "/api/app/sites/a/b").route->path, "/api/app/");
  EXPECT_TRUE(router.Find(beast_http::verb::get, "/api/app/sites/a/keys/b").path_known);
}

TEST(Router, WrongMethodIsKnownPathUnknownPathIsNot) {
  Router router;
  router.Add({beast_http::verb::post, "/api/events", false, 8192, Noop()});
  auto wrong = router.Find(beast_http::verb::get, "/api/events");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.path_known);
  auto missing = router.Find(beast_http::verb::get, "/nope");
  EXPECT_EQ(missing.route, nullptr);
  EXPECT_FALSE(missing.path_known);
  EXPECT_EQ(router.Find(beast_http::verb::post, "/api/events").route->body_limit, 8192u);
}

TEST(Router, AKnownPathWithAnotherMethodIsNotTakenByACatchAll) {
  Router router;
  router.Add({beast_http::verb::get, "/", true, 0, Noop()});
  router.Add({beast_http::verb::post, "/api/events", false, 0, Noop()});
  auto get = router.Find(beast_http::verb::get, "/api/events");
  EXPECT_EQ(get.route, nullptr);
  EXPECT_TRUE(get.path_known);
  EXPECT_EQ(router.Find(beast_http::verb::get, "/sites").route->path, "/");
}

TEST(Router, HeadIsServedByGet) {
  Router router;
  router.Add({beast_http::verb::get, "/healthz", false, 0, Noop()});
  EXPECT_NE(router.Find(beast_http::verb::head, "/healthz").route, nullptr);
}

}  // namespace
}  // namespace datafast::http
