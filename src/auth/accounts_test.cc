// Accounts over a real SQLite meta store.
#include "auth/accounts.h"

#include <gtest/gtest.h>

#include "auth/secrets.h"
#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::auth {
namespace {

constexpr int64_t kHour = 3600LL * 1'000'000;

// Keeps the mails instead of sending them.
class MailBox final : public Mailer {
 public:
  Status Send(const Mail& mail) override {
    sent.push_back(mail);
    return Status::Ok();
  }
  std::string_view delivery() const override { return "log"; }
  // The token of the newest mail's link.
  std::string LastToken() const {
    const std::string& text = sent.back().text;
    size_t at = text.find("?token=") + 7;
    return text.substr(at, text.find('\n', at) - at);
  }
  std::vector<Mail> sent;
};

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    meta_ = std::move(*store::OpenSqliteMetaStore(dir_.File("meta.sqlite")));
    accounts_ = std::make_unique<Accounts>(*meta_, clock_, mail_, AccountOptions{.public_url = "https://df.test"});
  }
  Accounts& accounts() { return *accounts_; }

  store::testing::TempDir dir_;
  core::ManualClock clock_{1'790'000'000'000'000};
  MailBox mail_;
  std::unique_ptr<store::MetaStore> meta_;
  std::unique_ptr<Accounts> accounts_;
};

TEST_F(AccountsTest, FirstSignUpIsTheOwnerAndAdoptsCommandLineSites) {
  ASSERT_TRUE(meta_->CreateSite({"dfid_0123456789abcdef", "example.com", "UTC", "USD", {}, 1, "", 730}).ok());
  EXPECT_TRUE(*accounts().NeedsOwner());
  auto session = accounts().SignUp(" Founder@Example.COM ", "a long enough password");
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(session->user.email, "founder@example.com");
  EXPECT_FALSE(*accounts().NeedsOwner());
  auto memberships = *meta_->ListMembershipsOfUser(session->user.id);
  ASSERT_EQ(memberships.size(), 1u);
  EXPECT_EQ(memberships[0].role, store::Role::kOwner);
  EXPECT_EQ((*meta_->FindSite("dfid_0123456789abcdef"))->account_id, memberships[0].account.id);
  // The verification mail went out with a link to this server.
  ASSERT_EQ(mail_.sent.size(), 1u);
  EXPECT_NE(mail_.sent[0].text.find("https://df.test/verify?token="), std::string::npos);
  // The cookie value is never stored: only its hash is.
  EXPECT_FALSE((*meta_->FindSession(session->cookie_value)).has_value());
  EXPECT_TRUE((*meta_->FindSession(HashSecret(session->cookie_value))).has_value());
}

TEST_F(AccountsTest, AfterTheOwnerSignUpIsByInvitationUnlessOpen) {
  ASSERT_TRUE(accounts().SignUp("owner@example.com", "a long enough password").ok());
  auto second = accounts().SignUp("someone@example.com", "a long enough password");
  EXPECT_EQ(second.status().code(), StatusCode::kPermissionDenied);
  EXPECT_FALSE((*meta_->FindUserByEmail("someone@example.com")).has_value());

  Accounts open(*meta_, clock_, mail_, AccountOptions{.open_signup = true});
  EXPECT_TRUE(open.SignUp("someone@example.com", "a long enough password").ok());
}

TEST_F(AccountsTest, SignUpNamesTheFieldAtFault) {
  EXPECT_TRUE(accounts().SignUp("not-an-email", "a long enough password").status().message().starts_with("email: "));
  EXPECT_TRUE(accounts().SignUp("a@example.com", "short").status().message().starts_with("password: "));
  ASSERT_TRUE(accounts().SignUp("a@example.com", "a long enough password").ok());
  Accounts open(*meta_, clock_, mail_, AccountOptions{.open_signup = true});
  auto taken = open.SignUp("A@example.com", "a long enough password");
  EXPECT_EQ(taken.status().code(), StatusCode::kConflict);
  EXPECT_TRUE(taken.status().message().starts_with("email: "));
}

TEST_F(AccountsTest, LoginAcceptsTheRightPasswordOnlyAndSaysTheSameForUnknownEmails) {
  ASSERT_TRUE(accounts().SignUp("owner@example.com", "a long enough password").ok());
  EXPECT_TRUE(accounts().LogIn("OWNER@example.com", "a long enough password", "c1").ok());
  auto wrong = accounts().LogIn("owner@example.com", "a wrong password!", "c1");
  auto unknown = accounts().LogIn("nobody@example.com", "a long enough password", "c1");
  EXPECT_EQ(wrong.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
}

TEST_F(AccountsTest, TooManyFailuresAreRateLimitedEvenWithTheRightPassword) {
  ASSERT_TRUE(accounts().SignUp("owner@example.com", "a long enough password").ok());
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(accounts()
                  .LogIn("owner@example.com", "guess " + std::to_string(i) + "xxxxx", "c" + std::to_string(i))
                  .status()
                  .code(),
              StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(accounts().LogIn("owner@example.com", "a long enough password", "fresh").status().code(),
            StatusCode::kRateLimited);
  clock_.Advance(kHour / 4 + 1'000'000);
  EXPECT_TRUE(accounts().LogIn("owner@example.com", "a long enough password", "fresh").ok());
}

TEST_F(AccountsTest, SessionsAuthenticateUntilLogoutOrExpiry) {
  auto session = *accounts().SignUp("owner@example.com", "a long enough password");
  auto who = *accounts().Authenticate(session.cookie_value);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->user.email, "owner@example.com");
  EXPECT_EQ(who->session.csrf_token, session.csrf_token);
  EXPECT_FALSE((*accounts().Authenticate("forged")).has_value());
  EXPECT_FALSE((*accounts().Authenticate("")).has_value());

  ASSERT_TRUE(accounts().LogOut(session.cookie_value).ok());
  EXPECT_FALSE((*accounts().Authenticate(session.cookie_value)).has_value());

  auto later = *accounts().LogIn("owner@example.com", "a long enough password", "c");
  clock_.Advance(kSessionLifetimeMicros);
  EXPECT_FALSE((*accounts().Authenticate(later.cookie_value)).has_value());
}

TEST_F(AccountsTest, ChangingThePasswordRevokesOtherSessions) {
  auto first = *accounts().SignUp("owner@example.com", "a long enough password");
  auto second = *accounts().LogIn("owner@example.com", "a long enough password", "c");
  auto who = **accounts().Authenticate(first.cookie_value);
  EXPECT_TRUE(accounts()
                  .ChangePassword(who, "a wrong password", "another long password")
                  .message()
                  .starts_with("current_password: "));
  ASSERT_TRUE(accounts().ChangePassword(who, "a long enough password", "another long password").ok());
  EXPECT_TRUE((*accounts().Authenticate(first.cookie_value)).has_value());
  EXPECT_FALSE((*accounts().Authenticate(second.cookie_value)).has_value());
  EXPECT_TRUE(accounts().LogIn("owner@example.com", "another long password", "c").ok());
}

TEST_F(AccountsTest, ResetLinksWorkOnceWithinTheHour) {
  auto session = *accounts().SignUp("owner@example.com", "a long enough password");
  ASSERT_TRUE(accounts().RequestPasswordReset("nobody@example.com").ok());  // silent
  size_t mails = mail_.sent.size();
  ASSERT_TRUE(accounts().RequestPasswordReset("owner@example.com").ok());
  ASSERT_EQ(mail_.sent.size(), mails + 1);
  std::string token = mail_.LastToken();
  ASSERT_TRUE(accounts().ResetPassword(token, "a brand new password").ok());
  EXPECT_FALSE((*accounts().Authenticate(session.cookie_value)).has_value());  // everyone is logged out
  EXPECT_EQ(accounts().ResetPassword(token, "yet another password").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(accounts().LogIn("owner@example.com", "a brand new password", "c").ok());

  ASSERT_TRUE(accounts().RequestPasswordReset("owner@example.com").ok());
  std::string late = mail_.LastToken();
  clock_.Advance(kHour + 1);
  EXPECT_EQ(accounts().ResetPassword(late, "a too late password").code(), StatusCode::kInvalidArgument);
}

TEST_F(AccountsTest, EmailVerificationLinkVerifiesOnce) {
  auto session = *accounts().SignUp("owner@example.com", "a long enough password");
  std::string token = mail_.LastToken();
  ASSERT_TRUE(accounts().VerifyEmail(token).ok());
  EXPECT_TRUE((*meta_->FindUser(session.user.id))->email_verified);
  EXPECT_FALSE(accounts().VerifyEmail(token).ok());
  // A verification token is no reset token.
  EXPECT_FALSE(accounts().ResetPassword(token, "a long enough password").ok());
}

TEST_F(AccountsTest, DeletingAUserDeletesTheAccountsTheyAloneOwn) {
  ASSERT_TRUE(meta_->CreateSite({"dfid_0123456789abcdef", "example.com", "UTC", "USD", {}, 1, "", 730}).ok());
  auto session = *accounts().SignUp("owner@example.com", "a long enough password");
  auto who = **accounts().Authenticate(session.cookie_value);
  EXPECT_FALSE(accounts().DeleteUser(who, "a wrong password").ok());
  auto deleted = accounts().DeleteUser(who, "a long enough password");
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  EXPECT_EQ(*deleted, std::vector<std::string>{"dfid_0123456789abcdef"});
  EXPECT_FALSE((*meta_->FindSite("dfid_0123456789abcdef")).has_value());
  EXPECT_FALSE((*meta_->FindUser(session.user.id)).has_value());
  EXPECT_FALSE((*accounts().Authenticate(session.cookie_value)).has_value());
}

}  // namespace
}  // namespace datafast::auth
