// Conformance suite for MetaStore, instantiated for every backend.
#include "store/meta_store.h"

#include <gtest/gtest.h>

#include <functional>

#include "store/postgres/postgres_meta_store.h"
#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/postgres.h"
#include "store/testing/temp_dir.h"

namespace datafast::store {
namespace {

struct Backend {
  std::string name;
  std::function<Result<std::unique_ptr<MetaStore>>(const testing::TempDir& dir)> open;
};

// Test names show the backend, not the bytes of the parameter.
void PrintTo(const Backend& backend, std::ostream* out) { *out << backend.name; }

class MetaStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  // A backend that cannot open fails each test here, before its body runs.
  void SetUp() override {
    auto store = GetParam().open(dir_);
    ASSERT_TRUE(store.ok()) << store.status().message();
  }

  std::unique_ptr<MetaStore> Open() {
    auto store = GetParam().open(dir_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  testing::TempDir dir_;
};

Site MakeSite(std::string id, int64_t created) {
  return Site{
      std::move(id), "example.com", "Europe/Paris", "EUR", {"shop.example.net", "example.org"}, created, "", 730, 14};
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

TEST_P(MetaStoreTest, UsersAccountsAndMembershipsWithCascadingDeletes) {
  auto store = Open();
  ASSERT_TRUE(store);
  User owner{"usr_1", "owner@example.com", "$argon2id$x", false, 1};
  ASSERT_TRUE(store->CreateUser(owner).ok());
  EXPECT_EQ(store->CreateUser({"usr_2", "owner@example.com", "x", false, 2}).code(), StatusCode::kConflict);
  ASSERT_TRUE(store->CreateUser({"usr_2", "viewer@example.com", "x", false, 2}).ok());
  EXPECT_EQ(**store->FindUserByEmail("owner@example.com"), owner);
  EXPECT_EQ(*store->CountUsers(), 2);

  Account account{"acc_1", "Acme", "self-hosted", "keep", 3, ""};
  ASSERT_TRUE(store->CreateAccount(account, "usr_1").ok());
  ASSERT_TRUE(store->AddMember("acc_1", "usr_2", Role::kViewer, 4).ok());
  auto members = *store->ListMembersOfAccount("acc_1");
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].role, Role::kOwner);
  EXPECT_EQ(members[1].email, "viewer@example.com");
  EXPECT_EQ((*store->ListMembershipsOfUser("usr_2"))[0].account, account);

  account.plan = "growth";
  account.billing_customer_id = "cus_1";
  ASSERT_TRUE(store->UpdateAccount(account).ok());
  EXPECT_EQ(**store->FindAccountByBillingCustomer("cus_1"), account);
  EXPECT_FALSE(store->FindAccountByBillingCustomer("")->has_value());

  Site site = MakeSite("dfid_aaaaaaaaaaaaaaaa", 5);
  ASSERT_TRUE(store->CreateSite(site).ok());
  EXPECT_EQ(*store->AdoptUnownedSites("acc_1"), 1);
  EXPECT_EQ(store->ListSitesOfAccount("acc_1")->size(), 1u);
  ASSERT_TRUE(store->CreateApiKey({"key_1", "hash1", "df_abc", site.id, "", "k", {}, 6, 0, 0}).ok());

  ASSERT_TRUE(store->RemoveMember("acc_1", "usr_2").ok());
  EXPECT_EQ(store->RemoveMember("acc_1", "usr_2").code(), StatusCode::kNotFound);
  // An account takes its sites and their keys with it.
  ASSERT_TRUE(store->DeleteAccount("acc_1").ok());
  EXPECT_FALSE(store->FindSite(site.id)->has_value());
  EXPECT_FALSE(store->FindApiKey("hash1")->has_value());
  ASSERT_TRUE(store->DeleteUser("usr_1").ok());
  EXPECT_FALSE(store->FindUser("usr_1")->has_value());
}

TEST_P(MetaStoreTest, SessionsKeysTokensAndInvites) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->CreateUser({"usr_1", "owner@example.com", "x", false, 1}).ok());
  ASSERT_TRUE(store->CreateAccount({"acc_1", "Acme", "p", "keep", 1, ""}, "usr_1").ok());
  ASSERT_TRUE(store->CreateSession({"s1", "usr_1", "csrf1", 1, 100}).ok());
  ASSERT_TRUE(store->CreateSession({"s2", "usr_1", "csrf2", 1, 100}).ok());
  EXPECT_EQ((*store->FindSession("s1"))->csrf_token, "csrf1");
  ASSERT_TRUE(store->DeleteSessionsOfUser("usr_1", "s1").ok());
  EXPECT_TRUE(store->FindSession("s1")->has_value());
  EXPECT_FALSE(store->FindSession("s2")->has_value());

  ASSERT_TRUE(store->CreateApiKey({"key_1", "h1", "dft_ab", "", "acc_1", "t", {"analytics:read"}, 2, 0, 0}).ok());
  ASSERT_TRUE(store->TouchApiKey("key_1", 9).ok());
  EXPECT_EQ((*store->FindApiKey("h1"))->last_used_at_micros, 9);
  EXPECT_EQ(store->RevokeApiKey("acc_other", "key_1", 10).code(), StatusCode::kNotFound);
  ASSERT_TRUE(store->RevokeApiKey("acc_1", "key_1", 10).ok());
  EXPECT_EQ((*store->FindApiKey("h1"))->revoked_at_micros, 10);
  EXPECT_TRUE(store->ListApiKeysOfAccount("acc_1")->empty());

  ASSERT_TRUE(store->CreateAuthToken("t1", "usr_1", TokenPurpose::kPasswordReset, 50).ok());
  EXPECT_FALSE(store->ConsumeAuthToken("t1", TokenPurpose::kEmailVerification, 10)->has_value());
  EXPECT_FALSE(store->ConsumeAuthToken("t1", TokenPurpose::kPasswordReset, 50)->has_value());  // expired
  EXPECT_EQ(**store->ConsumeAuthToken("t1", TokenPurpose::kPasswordReset, 49), "usr_1");
  EXPECT_FALSE(store->ConsumeAuthToken("t1", TokenPurpose::kPasswordReset, 49)->has_value());  // used

  ASSERT_TRUE(store->CreateUser({"usr_2", "v@example.com", "x", false, 1}).ok());
  Invite invite{"inv_1", "acc_1", "v@example.com", Role::kAdmin, "ih", 1, 100};
  ASSERT_TRUE(store->CreateInvite(invite).ok());
  EXPECT_EQ(**store->FindInvite("ih"), invite);
  EXPECT_EQ(store->AcceptInvite("inv_1", "usr_2", 100).code(), StatusCode::kNotFound);  // expired
  ASSERT_TRUE(store->AcceptInvite("inv_1", "usr_2", 99).ok());
  EXPECT_EQ((*store->ListMembershipsOfUser("usr_2"))[0].role, Role::kAdmin);
  EXPECT_FALSE(store->FindInvite("ih")->has_value());
  EXPECT_EQ(store->DeleteInvite("acc_1", "inv_1").code(), StatusCode::kNotFound);

  EXPECT_TRUE(*store->RecordUsageWarning("acc_1", "2026-11", 80, 1));
  EXPECT_FALSE(*store->RecordUsageWarning("acc_1", "2026-11", 80, 2));
  EXPECT_FALSE(*store->HasWebhookDelivery("stripe", "evt_1"));
  ASSERT_TRUE(store->RecordWebhookDelivery("stripe", "evt_1", 1).ok());
  EXPECT_TRUE(*store->HasWebhookDelivery("stripe", "evt_1"));
  EXPECT_FALSE(*store->HasWebhookDelivery("polar", "evt_1"));
}

TEST_P(MetaStoreTest, NotesAndSharesBelongToTheirSite) {
  auto store = Open();
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_aaaaaaaaaaaaaaaa", 1)).ok());
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_bbbbbbbbbbbbbbbb", 2)).ok());
  Note launch{"note_1", "dfid_aaaaaaaaaaaaaaaa", "2026-11-03", "Launched", {"launch", "ph"}, "usr_1", 10};
  Note ad{"note_2", "dfid_aaaaaaaaaaaaaaaa", "2026-11-01", "Ads on", {}, "usr_1", 20};
  ASSERT_TRUE(store->CreateNote(launch).ok());
  ASSERT_TRUE(store->CreateNote(ad).ok());
  EXPECT_EQ(*store->ListNotes("dfid_aaaaaaaaaaaaaaaa", "", ""), (std::vector<Note>{ad, launch}));
  EXPECT_EQ(*store->ListNotes("dfid_aaaaaaaaaaaaaaaa", "2026-11-02", "2026-11-30"), std::vector<Note>{launch});
  EXPECT_TRUE(store->ListNotes("dfid_bbbbbbbbbbbbbbbb", "", "")->empty());
  EXPECT_FALSE(store->FindNote("dfid_bbbbbbbbbbbbbbbb", "note_1")->has_value());
  launch.text = "Launched on Product Hunt";
  launch.tags = {"launch"};
  ASSERT_TRUE(store->UpdateNote(launch).ok());
  EXPECT_EQ(**store->FindNote("dfid_aaaaaaaaaaaaaaaa", "note_1"), launch);
  EXPECT_EQ(store->DeleteNote("dfid_bbbbbbbbbbbbbbbb", "note_2").code(), StatusCode::kNotFound);
  ASSERT_TRUE(store->DeleteNote("dfid_aaaaaaaaaaaaaaaa", "note_2").ok());

  Share share{"shr_1", "dfid_aaaaaaaaaaaaaaaa", "tok", "", 5};
  ASSERT_TRUE(store->CreateShare(share).ok());
  EXPECT_EQ(**store->FindShareByToken("tok"), share);
  EXPECT_EQ(*store->ListShares("dfid_aaaaaaaaaaaaaaaa"), std::vector<Share>{share});
  EXPECT_EQ(store->DeleteShare("dfid_bbbbbbbbbbbbbbbb", "shr_1").code(), StatusCode::kNotFound);

  // Deleting the site deletes its notes and links.
  ASSERT_TRUE(store->DeleteSite("dfid_aaaaaaaaaaaaaaaa").ok());
  EXPECT_FALSE(store->FindShareByToken("tok")->has_value());
  EXPECT_FALSE(store->FindNote("dfid_aaaaaaaaaaaaaaaa", "note_1")->has_value());
}

Payment MakePayment(std::string id, std::string site_id, std::string transaction_id, int64_t ts) {
  Payment p;
  p.id = std::move(id);
  p.site_id = std::move(site_id);
  p.provider = "stripe";
  p.transaction_id = std::move(transaction_id);
  p.kind = "purchase";
  p.amount_minor = 2900;
  p.currency = "USD";
  p.site_amount_micros = 26'680'000;
  p.converted = true;
  p.ts_micros = ts;
  p.customer_id = "cus_1";
  p.email_hash = "e1";
  p.visitor_id = "v1";
  p.session_id = "s1";
  p.attribution = "metadata";
  p.event_written = true;
  p.created_at_micros = ts + 1;
  return p;
}

TEST_P(MetaStoreTest, PaymentsAreUniquePerTransactionAndFoundByTheirAliases) {
  auto store = Open();
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_aaaaaaaaaaaaaaaa", 1)).ok());
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_bbbbbbbbbbbbbbbb", 2)).ok());
  Payment first = MakePayment("pay_1", "dfid_aaaaaaaaaaaaaaaa", "in_1", 100);
  first.touch_session_ids = {"s-google", "s-x"};
  ASSERT_TRUE(store->CreatePayment(first, {"pi_1", "cs_1"}).ok());
  EXPECT_EQ(**store->FindPayment("dfid_aaaaaaaaaaaaaaaa", "stripe", "in_1"), first);
  EXPECT_EQ(**store->FindPayment("dfid_aaaaaaaaaaaaaaaa", "stripe", "pi_1"), first);
  EXPECT_FALSE(store->FindPayment("dfid_aaaaaaaaaaaaaaaa", "polar", "in_1")->has_value());
  EXPECT_FALSE(store->FindPayment("dfid_bbbbbbbbbbbbbbbb", "stripe", "in_1")->has_value());

  // The same transaction again is a conflict and writes nothing, not even
  // its new aliases; another site may have the same id.
  Payment again = MakePayment("pay_2", "dfid_aaaaaaaaaaaaaaaa", "in_1", 200);
  EXPECT_EQ(store->CreatePayment(again, {"pi_2"}).code(), StatusCode::kConflict);
  EXPECT_FALSE(store->FindPayment("dfid_aaaaaaaaaaaaaaaa", "stripe", "pi_2")->has_value());
  ASSERT_TRUE(store->CreatePayment(MakePayment("pay_3", "dfid_bbbbbbbbbbbbbbbb", "in_1", 150), {}).ok());

  Payment refund = MakePayment("pay_4", "dfid_aaaaaaaaaaaaaaaa", "ch_1:refund:500", 300);
  refund.kind = "refund";
  refund.amount_minor = 500;
  refund.site_amount_micros = -4'600'000;
  refund.refunds_transaction_id = "pi_1";
  refund.event_written = false;
  ASSERT_TRUE(store->CreatePayment(refund, {}).ok());
  PaymentQuery of_site{.site_id = "dfid_aaaaaaaaaaaaaaaa"};
  EXPECT_EQ(*store->ListPayments(of_site), (std::vector<Payment>{first, refund}));
  EXPECT_EQ(*store->ListPayments({.site_id = "dfid_aaaaaaaaaaaaaaaa", .refunds_transaction_id = "pi_1"}),
            std::vector<Payment>{refund});
  EXPECT_EQ(*store->ListPayments({.site_id = "dfid_aaaaaaaaaaaaaaaa", .from_micros = 101, .to_micros = 301}),
            std::vector<Payment>{refund});
  EXPECT_EQ(*store->ListPayments({.unwritten_only = true}), std::vector<Payment>{refund});

  refund.refunds_payment_id = first.id;
  refund.event_written = true;
  ASSERT_TRUE(store->UpdatePayment(refund).ok());
  EXPECT_EQ(*store->ListPayments({.site_id = "dfid_aaaaaaaaaaaaaaaa", .refunds_payment_id = "pay_1"}),
            std::vector<Payment>{refund});
  EXPECT_TRUE(store->ListPayments({.unwritten_only = true})->empty());
  EXPECT_EQ(store->UpdatePayment(MakePayment("pay_9", "dfid_aaaaaaaaaaaaaaaa", "x", 1)).code(), StatusCode::kNotFound);

  ASSERT_TRUE(store->DeletePayments("dfid_aaaaaaaaaaaaaaaa", {"pay_1", "pay_3"}).ok());  // pay_3 is another site's
  EXPECT_FALSE(store->FindPayment("dfid_aaaaaaaaaaaaaaaa", "stripe", "pi_1")->has_value());
  EXPECT_TRUE(store->FindPayment("dfid_bbbbbbbbbbbbbbbb", "stripe", "in_1")->has_value());
  // The transaction can be recorded again once deleted.
  ASSERT_TRUE(store->CreatePayment(first, {"pi_1"}).ok());
  ASSERT_TRUE(store->DeleteSite("dfid_aaaaaaaaaaaaaaaa").ok());
  EXPECT_TRUE(store->ListPayments(of_site)->empty());
}

TEST_P(MetaStoreTest, IdentitiesLinkUsersAndEmailsToTheLatestVisitor) {
  auto store = Open();
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_aaaaaaaaaaaaaaaa", 1)).ok());
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_bbbbbbbbbbbbbbbb", 2)).ok());
  ASSERT_TRUE(store->Identify("dfid_aaaaaaaaaaaaaaaa", "user_1", "hash_1", "v1", 10).ok());
  ASSERT_TRUE(store->Identify("dfid_aaaaaaaaaaaaaaaa", "user_2", "", "v2", 20).ok());
  EXPECT_EQ(**store->IdentifiedVisitor("dfid_aaaaaaaaaaaaaaaa", "user_1", ""), "v1");
  EXPECT_EQ(**store->IdentifiedVisitor("dfid_aaaaaaaaaaaaaaaa", "", "hash_1"), "v1");
  EXPECT_EQ(**store->IdentifiedVisitor("dfid_aaaaaaaaaaaaaaaa", "user_2", "hash_1"), "v2");  // the user id first
  EXPECT_FALSE(store->IdentifiedVisitor("dfid_bbbbbbbbbbbbbbbb", "user_1", "hash_1")->has_value());
  EXPECT_FALSE(store->IdentifiedVisitor("dfid_aaaaaaaaaaaaaaaa", "", "")->has_value());
  // A later identify moves the user to a new visitor and keeps a known email.
  ASSERT_TRUE(store->Identify("dfid_aaaaaaaaaaaaaaaa", "user_1", "", "v3", 30).ok());
  EXPECT_EQ(**store->IdentifiedVisitor("dfid_aaaaaaaaaaaaaaaa", "", "hash_1"), "v3");
}

TEST_P(MetaStoreTest, ConnectionsBelongToTheirSiteAndKeepTheirLastDelivery) {
  auto store = Open();
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_aaaaaaaaaaaaaaaa", 1)).ok());
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_bbbbbbbbbbbbbbbb", 2)).ok());
  Connection stripe{"dfid_aaaaaaaaaaaaaaaa", "stripe", "sealed-key", "sealed-secret", "ab12", "", 10};
  ASSERT_TRUE(store->PutConnection(stripe).ok());
  EXPECT_EQ(**store->FindConnection("dfid_aaaaaaaaaaaaaaaa", "stripe"), stripe);
  EXPECT_FALSE(store->FindConnection("dfid_bbbbbbbbbbbbbbbb", "stripe")->has_value());
  ASSERT_TRUE(
      store->RecordConnectionDelivery("dfid_aaaaaaaaaaaaaaaa", "stripe", 20, "invoice.paid", true, "1 payment").ok());
  // Connecting again replaces the secrets and keeps the last delivery.
  stripe.api_key_sealed = "sealed-key-2";
  stripe.connected_at_micros = 30;
  ASSERT_TRUE(store->PutConnection(stripe).ok());
  Connection found = **store->FindConnection("dfid_aaaaaaaaaaaaaaaa", "stripe");
  EXPECT_EQ(found.api_key_sealed, "sealed-key-2");
  EXPECT_EQ(found.last_delivery_at_micros, 20);
  EXPECT_EQ(found.last_delivery_event, "invoice.paid");
  EXPECT_TRUE(found.last_delivery_ok);
  EXPECT_EQ(found.last_delivery_result, "1 payment");
  Connection shopify{"dfid_aaaaaaaaaaaaaaaa", "shopify", "k", "s", "zz99", "shop.myshopify.com", 40};
  ASSERT_TRUE(store->PutConnection(shopify).ok());
  EXPECT_EQ(store->ListConnections("dfid_aaaaaaaaaaaaaaaa")->size(), 2u);
  EXPECT_EQ(store->DeleteConnection("dfid_bbbbbbbbbbbbbbbb", "shopify").code(), StatusCode::kNotFound);
  ASSERT_TRUE(store->DeleteConnection("dfid_aaaaaaaaaaaaaaaa", "shopify").ok());
  ASSERT_TRUE(store->DeleteSite("dfid_aaaaaaaaaaaaaaaa").ok());
  EXPECT_TRUE(store->ListConnections("dfid_aaaaaaaaaaaaaaaa")->empty());
}

TEST_P(MetaStoreTest, ABackfillIsKeptPerSiteAndProviderAndReplacedAsItGoes) {
  auto store = Open();
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_aaaaaaaaaaaaaaaa", 1)).ok());
  Backfill b{"dfid_aaaaaaaaaaaaaaaa", "stripe", 100, "running", "", 0, 0, "", 5, 5};
  ASSERT_TRUE(store->PutBackfill(b).ok());
  b.cursor = "cs_100";
  b.pages = 1;
  b.payments = 100;
  b.updated_at_micros = 9;
  ASSERT_TRUE(store->PutBackfill(b).ok());
  EXPECT_EQ(**store->FindBackfill("dfid_aaaaaaaaaaaaaaaa", "stripe"), b);
  EXPECT_EQ(*store->ListBackfills("running"), std::vector<Backfill>{b});
  EXPECT_TRUE(store->ListBackfills("done")->empty());
  EXPECT_FALSE(store->FindBackfill("dfid_aaaaaaaaaaaaaaaa", "polar")->has_value());
  ASSERT_TRUE(store->DeleteSite("dfid_aaaaaaaaaaaaaaaa").ok());
  EXPECT_FALSE(store->FindBackfill("dfid_aaaaaaaaaaaaaaaa", "stripe")->has_value());
}

TEST_P(MetaStoreTest, XAccountsAndPostsBelongToTheirSite) {
  auto store = Open();
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_aaaaaaaaaaaaaaaa", 1)).ok());
  ASSERT_TRUE(store->CreateSite(MakeSite("dfid_bbbbbbbbbbbbbbbb", 2)).ok());
  ASSERT_TRUE(store->PutXAccount({"dfid_aaaaaaaaaaaaaaaa", "ShopMaker", 10}).ok());
  ASSERT_TRUE(store->PutXAccount({"dfid_aaaaaaaaaaaaaaaa", "shop_news", 20}).ok());
  ASSERT_TRUE(store->PutXAccount({"dfid_bbbbbbbbbbbbbbbb", "other", 30}).ok());
  EXPECT_EQ(
      *store->ListXAccounts("dfid_aaaaaaaaaaaaaaaa"),
      (std::vector<XAccount>{{"dfid_aaaaaaaaaaaaaaaa", "ShopMaker", 10}, {"dfid_aaaaaaaaaaaaaaaa", "shop_news", 20}}));
  // Handles are the same whatever their case.
  ASSERT_TRUE(store->DeleteXAccount("dfid_aaaaaaaaaaaaaaaa", "shopmaker").ok());
  EXPECT_EQ(store->DeleteXAccount("dfid_aaaaaaaaaaaaaaaa", "other").code(), StatusCode::kNotFound);
  EXPECT_EQ(store->ListXAccounts("dfid_aaaaaaaaaaaaaaaa")->size(), 1u);

  XPost launch{.site_id = "dfid_aaaaaaaaaaaaaaaa",
               .post_id = "1850000000000000001",
               .handle = "ShopMaker",
               .added_at_micros = 100,
               .fetch_error = ""};
  XPost other{.site_id = "dfid_bbbbbbbbbbbbbbbb",
              .post_id = "1850000000000000002",
              .handle = "",
              .added_at_micros = 200,
              .fetch_error = "not found on X"};
  ASSERT_TRUE(store->PutXPost(launch).ok());
  ASSERT_TRUE(store->PutXPost(other).ok());
  // Fetched details replace the row.
  launch.text = "We launched!";
  launch.posted_at_micros = 90;
  launch.likes = 12;
  launch.reposts = 3;
  launch.replies = 2;
  launch.quotes = 1;
  launch.impressions = 4000;
  launch.fetched_at_micros = 110;
  ASSERT_TRUE(store->PutXPost(launch).ok());
  EXPECT_EQ(*store->ListXPosts("dfid_aaaaaaaaaaaaaaaa"), std::vector<XPost>{launch});
  EXPECT_EQ(*store->ListXPosts(""), (std::vector<XPost>{other, launch}));  // newest added first
  EXPECT_EQ(store->DeleteXPost("dfid_aaaaaaaaaaaaaaaa", other.post_id).code(), StatusCode::kNotFound);
  ASSERT_TRUE(store->DeleteSite("dfid_aaaaaaaaaaaaaaaa").ok());
  EXPECT_TRUE(store->ListXPosts("dfid_aaaaaaaaaaaaaaaa")->empty());
  EXPECT_TRUE(store->ListXAccounts("dfid_aaaaaaaaaaaaaaaa")->empty());
  ASSERT_TRUE(store->DeleteXPost("dfid_bbbbbbbbbbbbbbbb", other.post_id).ok());
}

TEST_P(MetaStoreTest, CountersAddUpPerKeyAndWindow) {
  auto store = Open();
  EXPECT_EQ(store->IsShared(), GetParam().name == "postgres");
  EXPECT_EQ(*store->AddToCounter("rate:k1", 60, 1), 1);
  EXPECT_EQ(*store->AddToCounter("rate:k1", 60, 1), 2);
  EXPECT_EQ(*store->AddToCounter("rate:k1", 60, 0), 2);   // reading adds nothing
  EXPECT_EQ(*store->AddToCounter("rate:k1", 120, 1), 1);  // a new window
  EXPECT_EQ(*store->AddToCounter("rate:k2", 60, 5), 5);
  ASSERT_TRUE(store->DeleteCountersBefore(120).ok());
  EXPECT_EQ(*store->AddToCounter("rate:k1", 60, 0), 0);
  EXPECT_EQ(*store->AddToCounter("rate:k1", 120, 0), 1);
  ASSERT_TRUE(store->DeleteCounter("rate:k1").ok());
  EXPECT_EQ(*store->AddToCounter("rate:k1", 120, 0), 0);
}

TEST_P(MetaStoreTest, ExchangeRatesAreFoundOnOrBeforeADate) {
  auto store = Open();
  ASSERT_TRUE(store->PutExchangeRates({{"2026-11-02", "EUR", 0.92}, {"2026-11-05", "EUR", 0.95}}).ok());
  EXPECT_FALSE(store->FindExchangeRate("EUR", "2026-11-01")->has_value());
  EXPECT_EQ(**store->FindExchangeRate("EUR", "2026-11-04"), (ExchangeRate{"2026-11-02", "EUR", 0.92}));
  EXPECT_EQ(**store->FindExchangeRate("EUR", "2026-12-01"), (ExchangeRate{"2026-11-05", "EUR", 0.95}));
  ASSERT_TRUE(store->PutExchangeRates({{"2026-11-05", "EUR", 0.94}}).ok());
  EXPECT_EQ((*store->FindExchangeRate("EUR", "2026-11-05"))->per_usd, 0.94);
  EXPECT_FALSE(store->FindExchangeRate("GBP", "2026-11-05")->has_value());
}

INSTANTIATE_TEST_SUITE_P(
    Backends, MetaStoreTest,
    ::testing::Values(Backend{"sqlite",
                              [](const testing::TempDir& dir) { return OpenSqliteMetaStore(dir.File("meta.sqlite")); }},
                      Backend{"postgres",
                              [](const testing::TempDir& dir) -> Result<std::unique_ptr<MetaStore>> {
                                auto url = testing::PostgresDatabaseFor(dir);
                                if (!url.ok()) return url.status();
                                return OpenPostgresMetaStore(*url);
                              }}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace datafast::store
