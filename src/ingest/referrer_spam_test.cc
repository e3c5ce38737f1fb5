#include "ingest/referrer_spam.h"

#include <gtest/gtest.h>

#include "core/embedded.h"

namespace datafast::ingest {
namespace {

std::unique_ptr<ReferrerSpamList> NewList() {
  const core::EmbeddedFile* file = core::FindEmbedded("data/referrer-spam.txt");
  EXPECT_NE(file, nullptr);
  auto list = ReferrerSpamList::Create(file->raw);
  EXPECT_TRUE(list.ok()) << list.status().message();
  return std::move(list).value();
}

TEST(ReferrerSpamListTest, MatchesListedDomainsAndSubdomains) {
  auto list = NewList();
  EXPECT_TRUE(list->IsSpam("semalt.com"));
  EXPECT_TRUE(list->IsSpam("www.semalt.com"));
  EXPECT_TRUE(list->IsSpam("a.b.darodar.com"));
  EXPECT_TRUE(list->IsSpam("buttons-for-website.com"));
  EXPECT_TRUE(list->IsSpam("ilovevitaly.com"));
  EXPECT_TRUE(list->IsSpam("priceg.com"));
}

TEST(ReferrerSpamListTest, MatchesWholeLabelsOnly) {
  auto list = NewList();
  EXPECT_FALSE(list->IsSpam("notsemalt.com"));
  EXPECT_FALSE(list->IsSpam("semalt.com.example.org"));
  EXPECT_FALSE(list->IsSpam("com"));
  EXPECT_FALSE(list->IsSpam("google.com"));
  EXPECT_FALSE(list->IsSpam(""));
}

TEST(ReferrerSpamListTest, ShipsACuratedList) {
  size_t size = NewList()->size();
  EXPECT_GE(size, 100u);
  EXPECT_LE(size, 300u);
}

TEST(ReferrerSpamListTest, IgnoresCommentsBlankLinesAndCase) {
  auto list = ReferrerSpamList::Create("# header\n\n  Spam.Example  \r\n#not.listed\nother.example");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)->size(), 2u);
  EXPECT_TRUE((*list)->IsSpam("spam.example"));
  EXPECT_TRUE((*list)->IsSpam("x.other.example"));
  EXPECT_FALSE((*list)->IsSpam("not.listed"));
}

}  // namespace
}  // namespace datafast::ingest
