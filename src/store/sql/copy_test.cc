// Copying an embedded MetaStore (SQLite) into PostgreSQL, as `datafast
// migrate` does: every table, resumable, counts checked.
#include <gtest/gtest.h>

#include <set>

#include "store/postgres/postgres_meta_store.h"
#include "store/sql/sql_meta_store.h"
#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/postgres.h"
#include "store/testing/temp_dir.h"

namespace datafast::store {
namespace {

TEST(CopyMetaStore, EveryTableArrivesWholeAndACopyAgainChangesNothing) {
  testing::TempDir dir;
  std::string path = dir.File("meta.sqlite");
  {
    auto meta = OpenSqliteMetaStore(path);
    ASSERT_TRUE(meta.ok()) << meta.status().message();
    Site site{"dfid_aaaaaaaaaaaaaaaa", "shop.example", "UTC", "EUR", {"www.shop.example"}, 1, "", 730, 30};
    ASSERT_TRUE((*meta)->CreateUser({"usr_1", "owner@example.com", "$argon2id$x", true, 2}).ok());
    ASSERT_TRUE((*meta)->CreateAccount({"acc_1", "Shop", "free", "keep", 3, ""}, "usr_1").ok());
    site.account_id = "acc_1";
    ASSERT_TRUE((*meta)->CreateSite(site).ok());
    Payment p;
    p.id = "pay_1";
    p.site_id = site.id;
    p.provider = "stripe";
    p.transaction_id = "in_1";
    p.kind = "purchase";
    p.amount_minor = 4900;
    p.currency = "EUR";
    p.touch_session_ids = {"s1", "s2"};
    ASSERT_TRUE((*meta)->CreatePayment(p, {"pi_1"}).ok());
    ASSERT_TRUE((*meta)->PutExchangeRates({{"2026-11-02", "USD", 1.0}, {"2026-11-02", "EUR", 0.92}}).ok());
    ASSERT_TRUE((*meta)->PutXAccount({site.id, "ShopMaker", 4}).ok());
    ASSERT_TRUE((*meta)->SaltForDay(20000).ok());
  }
  auto from = OpenSqliteConnection(path);
  ASSERT_TRUE(from.ok());

  // Every table of the schema is in the list, so none is left behind.
  std::set<std::string> tables;
  ASSERT_TRUE((*from)
                  ->Execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations'", {},
                            [&](const sql::Row& row) { tables.insert(row.Text(0)); })
                  .ok());
  std::set<std::string> listed(MetaStoreTables().begin(), MetaStoreTables().end());
  EXPECT_EQ(tables, listed);

  auto url = testing::PostgresDatabaseFor(dir);
  ASSERT_TRUE(url.ok()) << url.status().message();
  auto to = OpenPostgresConnection(*url);
  ASSERT_TRUE(to.ok()) << to.status().message();
  ASSERT_TRUE(MigrateSchema(**to).ok());
  std::vector<std::pair<std::string, int64_t>> heard;
  auto progress = [&](std::string_view table, int64_t rows) { heard.emplace_back(table, rows); };
  Status copied = CopyMetaStore(**from, **to, progress);
  ASSERT_TRUE(copied.ok()) << copied.message();
  EXPECT_EQ(heard.size(), MetaStoreTables().size());
  EXPECT_EQ(heard.front(), (std::pair<std::string, int64_t>{"users", 1}));
  // Again: nothing to add, nothing doubled.
  ASSERT_TRUE(CopyMetaStore(**from, **to, [](std::string_view, int64_t) {}).ok());

  auto there = OpenPostgresMetaStore(*url);
  ASSERT_TRUE(there.ok());
  auto here = OpenSqliteMetaStore(path);
  ASSERT_TRUE(here.ok());
  EXPECT_EQ(*(*there)->ListSites(), *(*here)->ListSites());
  EXPECT_EQ(*(*there)->ListPayments({.site_id = "dfid_aaaaaaaaaaaaaaaa"}),
            *(*here)->ListPayments({.site_id = "dfid_aaaaaaaaaaaaaaaa"}));
  EXPECT_EQ(**(*there)->FindPayment("dfid_aaaaaaaaaaaaaaaa", "stripe", "pi_1"),
            **(*here)->FindPayment("dfid_aaaaaaaaaaaaaaaa", "stripe", "pi_1"));
  EXPECT_EQ(**(*there)->FindUserByEmail("owner@example.com"), **(*here)->FindUserByEmail("owner@example.com"));
  EXPECT_EQ(**(*there)->FindExchangeRate("EUR", "2026-11-03"), **(*here)->FindExchangeRate("EUR", "2026-11-03"));
  EXPECT_EQ(*(*there)->SaltForDay(20000), *(*here)->SaltForDay(20000));
  EXPECT_EQ(*(*there)->ListXAccounts("dfid_aaaaaaaaaaaaaaaa"), *(*here)->ListXAccounts("dfid_aaaaaaaaaaaaaaaa"));
}

TEST(CopyMetaStore, RefusesStoresAtDifferentSchemaVersions) {
  testing::TempDir dir;
  auto from = OpenSqliteConnection(dir.File("meta.sqlite"));
  ASSERT_TRUE(from.ok());
  ASSERT_TRUE(MigrateSchema(**from).ok());
  auto to = OpenSqliteConnection(dir.File("empty.sqlite"));
  ASSERT_TRUE(to.ok());
  ASSERT_TRUE((*to)->ExecuteScript("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)").ok());
  Status s = CopyMetaStore(**from, **to, [](std::string_view, int64_t) {});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("schema versions"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace datafast::store
