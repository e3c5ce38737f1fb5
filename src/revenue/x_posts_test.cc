#include "revenue/x_posts.h"

#include <gtest/gtest.h>

namespace datafast::revenue {
namespace {

TEST(ParsePostUrl, FindsThePostInEveryFormOfItsLink) {
  struct Case {
    std::string url, id, handle;
  };
  for (const Case& c : std::vector<Case>{
           {"https://x.com/ShopMaker/status/1850000000000000001", "1850000000000000001", "ShopMaker"},
           {"https://twitter.com/shop_news/status/1850000000000000002?s=20&t=abc", "1850000000000000002", "shop_news"},
           {"http://mobile.twitter.com/a/statuses/42/", "42", "a"},
           {"www.x.com/ShopMaker/status/7/photo/1", "7", "ShopMaker"},
           {"https://X.com/i/web/status/1850000000000000003#top", "1850000000000000003", ""},
           {"https://x.com/i/status/99", "99", ""},
           {"  1850000000000000004 ", "1850000000000000004", ""},
       }) {
    auto ref = ParsePostUrl(c.url);
    ASSERT_TRUE(ref.ok()) << c.url << ": " << ref.status().message();
    EXPECT_EQ(ref->post_id, c.id) << c.url;
    EXPECT_EQ(ref->handle, c.handle) << c.url;
  }
}

TEST(ParsePostUrl, RefusesWhatIsNoPostLink) {
  for (std::string_view url :
       {"", "https://x.com/ShopMaker", "https://x.com/ShopMaker/status/abc", "https://example.com/ShopMaker/status/1",
        "https://notx.com/a/status/1", "12345678901234567890123456", "javascript:alert(1)"}) {
    auto ref = ParsePostUrl(url);
    ASSERT_FALSE(ref.ok()) << url;
    EXPECT_EQ(ref.status().code(), StatusCode::kInvalidArgument) << url;
    EXPECT_TRUE(ref.status().message().starts_with("url: ")) << ref.status().message();
  }
}

TEST(ParseHandle, TakesTheHandleAsPeopleWriteIt) {
  for (std::string_view text : {"ShopMaker", "@ShopMaker", " @ShopMaker ", "x.com/ShopMaker",
                                "https://twitter.com/ShopMaker/", "https://x.com/ShopMaker?lang=en"}) {
    auto handle = ParseHandle(text);
    ASSERT_TRUE(handle.ok()) << text << ": " << handle.status().message();
    EXPECT_EQ(*handle, "ShopMaker") << text;
  }
  for (std::string_view text :
       {"", "@", "shop maker", "a_handle_far_too_long", "@shop-maker", "https://example.com/x"}) {
    EXPECT_EQ(ParseHandle(text).status().message(), "handle: must be 1 to 15 letters, digits or underscores") << text;
  }
}

}  // namespace
}  // namespace datafast::revenue
