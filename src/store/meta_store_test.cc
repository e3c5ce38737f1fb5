// Conformance suite for MetaStore, instantiated for every backend.
#include "store/meta_store.h"

#include <gtest/gtest.h>

#include <functional>

#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::store {
namespace {

struct Backend {
  std::string name;
  std::function<Result<std::unique_ptr<MetaStore>>(const testing::TempDir& dir)> open;
};

class MetaStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  std::unique_ptr<MetaStore> Open() {
    auto store = GetParam().open(dir_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  testing::TempDir dir_;
};

Site MakeSite(std::string id, int64_t created) {
  return Site{
      std::move(id), "example.com", "Europe/Paris", "EUR", {"shop.example.net", "example.org"}, created, "", 730};
}

TEST_P(MetaStoreTest, CreatesFindsAndListsSites) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_bbbbbbbbbbbbbbbb", 2)).ok());
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_aaaaaaaaaaaaaaaa", 1)).ok());
  auto found = store->FindSite("dfid_bbbbbbbbbbbbbbbb");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, MakeSite("dfid_bbbbbbbbbbbbbbbb", 2));
  auto missing = store->FindSite("dfid_cccccccccccccccc");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto all = store->ListSites();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "dfid_aaaaaaaaaaaaaaaa");  // creation order
}

TEST_P(MetaStoreTest, DuplicateSiteIdIsAConflict) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_aaaaaaaaaaaaaaaa", 1)).ok());
  Status again = store->CreateSite(MakeSite("dfid_aaaaaaaaaaaaaaaa", 1));
  EXPECT_EQ(again.code(), StatusCode::kConflict);
}

TEST_P(MetaStoreTest, SaltsAreStablePerDayAndDeletable) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto day1 = store->SaltForDay(20000);
  auto day1_again = store->SaltForDay(20000);
  auto day2 = store->SaltForDay(20001);
  ASSERT_TRUE(day1.ok() && day1_again.ok() && day2.ok());
  EXPECT_EQ(*day1, *day1_again);
  EXPECT_NE(*day1, *day2);
  EXPECT_EQ(day1->size(), 64u);
  ASSERT_TRUE(store->DeleteSaltsBefore(20001).ok());
  auto day1_new = store->SaltForDay(20000);
  ASSERT_TRUE(day1_new.ok());
  EXPECT_NE(*day1_new, *day1);  // the old salt is gone for good
  EXPECT_EQ(*store->SaltForDay(20001), *day2);
}

TEST_P(MetaStoreTest, DataSurvivesReopening) {
  {
    auto store = Open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->CreateSite(MakeSite("dfid_aaaaaaaaaaaaaaaa", 1)).ok());
  }
  auto reopened = Open();
  ASSERT_TRUE(reopened);
  auto found = reopened->FindSite("dfid_aaaaaaaaaaaaaaaa");
  ASSERT_TRUE(found.ok() && found->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, MetaStoreTest,
                         ::testing::Values(Backend{
                             "sqlite",
                             [](const testing::TempDir& dir) { return OpenSqliteMetaStore(dir.File("meta.sqlite")); }}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace datafast::store
