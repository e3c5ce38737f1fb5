// MetaStore: sites, users, accounts (teams), sessions and API keys (and, as
// the product grows, payments).
// The embedded backend is SQLite in WAL mode (store/sqlite); the scale-out
// backend is PostgreSQL (store/postgres). Thread-safe: every method may be
// called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datafast::store {

struct Site {
  std::string id;                              // dfid_…
  std::string domain;                          // root domain, lowercase, no scheme or path
  std::string timezone;                        // IANA name, e.g. "Europe/Paris"
  std::string currency;                        // ISO 4217, e.g. "EUR"
  std::vector<std::string> allowed_hostnames;  // extra hosts besides domain and its subdomains
  int64_t created_at_micros = 0;
  std::string account_id;  // "" until an account adopts a site made on the command line
  int32_t retention_days = 730;
  // How far back a payment looks for the visit that earned it (1 to 90).
  int32_t attribution_window_days = 30;
  bool operator==(const Site&) const = default;
};

struct User {
  std::string id;             // usr_…
  std::string email;          // lowercase
  std::string password_hash;  // Argon2id PHC string
  bool email_verified = false;
  int64_t created_at_micros = 0;
  bool operator==(const User&) const = default;
};

enum class Role { kOwner, kAdmin, kViewer };
std::string_view ToString(Role role);  // "owner", "admin", "viewer"
std::optional<Role> ParseRole(std::string_view s);

// A team: it owns sites, a plan and the usage counted against it.
struct Account {
  std::string id;  // acc_…
  std::string name;
  std::string plan;
  std::string over_limit = "keep";  // keep | pause
  int64_t created_at_micros = 0;
  std::string billing_customer_id;  // Stripe cus_…, "" until the first checkout
  bool operator==(const Account&) const = default;
};

struct Membership {
  Account account;
  std::string user_id;
  std::string email;
  Role role = Role::kViewer;
  int64_t joined_at_micros = 0;
};

struct Session {
  std::string id_hash;  // SHA-256 of the cookie value, hex
  std::string user_id;
  std::string csrf_token;
  int64_t created_at_micros = 0;
  int64_t expires_at_micros = 0;
};

// A site key (df_…, site_id set) or an account token (dft_…, account_id set).
struct ApiKey {
  std::string id;           // key_…
  std::string secret_hash;  // SHA-256 of the whole key, hex
  std::string prefix;       // shown in lists
  std::string site_id;
  std::string account_id;
  std::string name;
  std::vector<std::string> scopes;
  int64_t created_at_micros = 0;
  int64_t last_used_at_micros = 0;  // 0: never
  int64_t revoked_at_micros = 0;    // 0: active
  bool operator==(const ApiKey&) const = default;
};

enum class TokenPurpose { kPasswordReset, kEmailVerification };

struct Invite {
  std::string id;  // inv_…
  std::string account_id;
  std::string email;
  Role role = Role::kViewer;
  std::string token_hash;
  int64_t created_at_micros = 0;
  int64_t expires_at_micros = 0;
  bool operator==(const Invite&) const = default;
};

// A note pinned to a local date of a site ("launched on Product Hunt").
struct Note {
  std::string id;  // note_…
  std::string site_id;
  std::string date;  // YYYY-MM-DD, the site's local date
  std::string text;
  std::vector<std::string> tags;  // none contains a comma
  std::string author_user_id;
  int64_t created_at_micros = 0;
  bool operator==(const Note&) const = default;
};

// A payment of a site, purchase to refund: what the provider (or the site,
// through the payments API) reported, in its currency and the site's, and
// the visitor it is credited to. Its revenue event in the EventStore has the
// payment's id as event id.
struct Payment {
  std::string id;  // pay_…
  std::string site_id;
  std::string provider;        // stripe, lemonsqueezy, polar, shopify, api
  std::string transaction_id;  // the provider's id; unique per site and provider
  std::string kind;            // purchase, renewal, free_trial, refund
  int64_t amount_minor = 0;    // in `currency`'s minor unit; positive, refunds too
  std::string currency;        // ISO 4217
  // In the site's currency, in millionths; negative for a refund. Valid once
  // `converted`: a currency without a loaded rate waits for one.
  int64_t site_amount_micros = 0;
  bool converted = false;
  int64_t ts_micros = 0;
  std::string customer_id;
  std::string email_hash;  // keyed hash of the customer's email, never the email
  std::string subscription_id;
  int64_t monthly_amount_minor = 0;  // subscriptions: the price per month, for MRR
  // Refunds: the payment returned ("" until it has arrived) and the
  // provider's name for it.
  std::string refunds_payment_id;
  std::string refunds_transaction_id;
  // Attribution: the visitor and session credited, and the rule that found
  // them: metadata, identified, customer, email, renewal or none.
  std::string visitor_id;
  std::string session_id;
  std::string attribution = "none";
  // The sessions the attribution models share the payment among, oldest
  // first; session_id, the last-touch one, is the last of them.
  std::vector<std::string> touch_session_ids;
  bool event_written = false;  // its revenue event is durable in the EventStore
  int64_t created_at_micros = 0;
  bool operator==(const Payment&) const = default;
};

// Which payments of a site ListPayments returns; empty fields match all.
struct PaymentQuery {
  std::string site_id;
  std::string visitor_id;
  std::string customer_id;
  std::string email_hash;
  std::string subscription_id;
  std::string refunds_payment_id;
  std::string refunds_transaction_id;
  int64_t from_micros = 0;  // [from, to) on ts; to 0: no upper bound
  int64_t to_micros = 0;
  // Only payments whose revenue event is not written yet (across all sites
  // when site_id is empty): the recorder's outbox.
  bool unwritten_only = false;
};

// Units of a currency that one US dollar buys on a date (ECB and most rate
// feeds publish in this form, against one base).
struct ExchangeRate {
  std::string date;      // YYYY-MM-DD
  std::string currency;  // ISO 4217
  double per_usd = 0;
  bool operator==(const ExchangeRate&) const = default;
};

// A site's connection to a payment provider. The secrets are sealed by the
// caller before they reach a store; the store never sees them in clear.
struct Connection {
  std::string site_id;
  std::string provider;  // stripe, lemonsqueezy, polar, shopify
  std::string api_key_sealed;
  std::string webhook_secret_sealed;
  std::string api_key_hint;  // the key's last four characters
  std::string shop;          // Shopify: name.myshopify.com
  int64_t connected_at_micros = 0;
  // The latest delivery to the webhook URL, accepted or not; at 0: none.
  int64_t last_delivery_at_micros = 0;
  std::string last_delivery_event;
  bool last_delivery_ok = false;
  std::string last_delivery_result;
  bool operator==(const Connection&) const = default;
};

// An import of a site's past payments from a provider's list API. `cursor`
// is the provider's own (a page number, the last id, a link) for the page
// after the last one done, so an interrupted import resumes there.
struct Backfill {
  std::string site_id;
  std::string provider;
  int64_t since_micros = 0;  // payments from then on
  std::string state;         // running, done, failed
  std::string cursor;
  int64_t pages = 0;
  int64_t payments = 0;  // reported by the provider, new or known
  std::string error;     // why it failed
  int64_t started_at_micros = 0;
  int64_t updated_at_micros = 0;
  bool operator==(const Backfill&) const = default;
};

// X (Twitter): an account a site posts from, and a post it registered
// (revenue/x_posts.h).
struct XAccount {
  std::string site_id;
  std::string handle;  // without the @, as the site wrote it
  int64_t added_at_micros = 0;
  bool operator==(const XAccount&) const = default;
};
struct XPost {
  std::string site_id;
  std::string post_id;  // digits
  std::string handle;   // its author, from the URL or the X API; "" unknown
  int64_t added_at_micros = 0;
  // From the X API; fetched_at_micros 0: never fetched.
  std::string text;
  int64_t posted_at_micros = 0;
  int64_t likes = 0, reposts = 0, replies = 0, quotes = 0, impressions = 0;
  int64_t fetched_at_micros = 0;
  std::string fetch_error;  // why the last fetch failed ("" when it did not)
  bool operator==(const XPost&) const = default;
};

// A public, read-only link to a site's dashboard.
struct Share {
  std::string id;  // shr_…
  std::string site_id;
  std::string token;          // the secret in the link
  std::string password_hash;  // Argon2id; "" when the link has no password
  int64_t created_at_micros = 0;
  bool operator==(const Share&) const = default;
};

class MetaStore {
 public:
  virtual ~MetaStore() = default;

  // Whether several instances may use this store at once (PostgreSQL): what
  // they must agree on, like rate limits, is then kept in it rather than in
  // each one's memory.
  virtual bool IsShared() const = 0;

  // Sites. CreateSite fails with kConflict when the id exists.
  virtual Status CreateSite(const Site& site) = 0;
  virtual Result<std::optional<Site>> FindSite(std::string_view site_id) = 0;
  virtual Result<std::vector<Site>> ListSites() = 0;
  virtual Result<std::vector<Site>> ListSitesOfAccount(std::string_view account_id) = 0;
  // Replaces the mutable fields (domain, timezone, currency, allowed
  // hostnames, retention); kNotFound when there is no such site.
  virtual Status UpdateSite(const Site& site) = 0;
  // Deletes the site and its keys. Its events live in the EventStore.
  virtual Status DeleteSite(std::string_view site_id) = 0;
  // Gives every site without an account to `account_id`; returns how many.
  virtual Result<int> AdoptUnownedSites(std::string_view account_id) = 0;

  // Users. CreateUser fails with kConflict when the email is taken.
  virtual Status CreateUser(const User& user) = 0;
  virtual Result<std::optional<User>> FindUser(std::string_view user_id) = 0;
  virtual Result<std::optional<User>> FindUserByEmail(std::string_view email) = 0;
  virtual Result<int64_t> CountUsers() = 0;
  virtual Status SetPasswordHash(std::string_view user_id, std::string_view password_hash) = 0;
  virtual Status SetEmailVerified(std::string_view user_id) = 0;
  // Deletes the user with their sessions, memberships and tokens.
  virtual Status DeleteUser(std::string_view user_id) = 0;

  // Accounts and their members. CreateAccount adds `owner_user_id` as owner
  // in the same transaction.
  virtual Status CreateAccount(const Account& account, std::string_view owner_user_id) = 0;
  virtual Result<std::optional<Account>> FindAccount(std::string_view account_id) = 0;
  virtual Result<std::optional<Account>> FindAccountByBillingCustomer(std::string_view customer_id) = 0;
  // Every account, oldest first (the first is the owner's).
  virtual Result<std::vector<Account>> ListAccounts() = 0;
  virtual Status UpdateAccount(const Account& account) = 0;
  // Deletes the account, its sites and their keys.
  virtual Status DeleteAccount(std::string_view account_id) = 0;
  // The accounts `user_id` belongs to, with their role in each.
  virtual Result<std::vector<Membership>> ListMembershipsOfUser(std::string_view user_id) = 0;
  virtual Result<std::vector<Membership>> ListMembersOfAccount(std::string_view account_id) = 0;
  // Adds the member, or sets their role when they already are one.
  virtual Status AddMember(std::string_view account_id, std::string_view user_id, Role role, int64_t now_micros) = 0;
  // kNotFound when the user is not a member.
  virtual Status RemoveMember(std::string_view account_id, std::string_view user_id) = 0;

  // Invitations. ListInvites gives the pending (not accepted) ones.
  virtual Status CreateInvite(const Invite& invite) = 0;
  virtual Result<std::vector<Invite>> ListInvites(std::string_view account_id) = 0;
  virtual Result<std::optional<Invite>> FindInvite(std::string_view token_hash) = 0;
  // kNotFound unless a pending invite `invite_id` belongs to `account_id`.
  virtual Status DeleteInvite(std::string_view account_id, std::string_view invite_id) = 0;
  // Marks the invite accepted and makes `user_id` a member with its role, in
  // one transaction; kNotFound when it is no longer pending and valid.
  virtual Status AcceptInvite(std::string_view invite_id, std::string_view user_id, int64_t now_micros) = 0;

  // Records that the usage warning `level` went out for `month` (YYYY-MM);
  // false when it already had.
  virtual Result<bool> RecordUsageWarning(std::string_view account_id, std::string_view month, int level,
                                          int64_t now_micros) = 0;

  // Webhook deliveries already handled, per provider: HasWebhookDelivery
  // before handling one, RecordWebhookDelivery after.
  virtual Result<bool> HasWebhookDelivery(std::string_view provider, std::string_view delivery_id) = 0;
  virtual Status RecordWebhookDelivery(std::string_view provider, std::string_view delivery_id, int64_t now_micros) = 0;

  // Payments. CreatePayment stores the payment with the other ids it may be
  // named by (aliases) in one transaction; kConflict, writing nothing, when
  // the site has the provider's transaction_id already (a repeated delivery).
  virtual Status CreatePayment(const Payment& payment, const std::vector<std::string>& aliases) = 0;
  // By the provider's transaction id or one of its aliases.
  virtual Result<std::optional<Payment>> FindPayment(std::string_view site_id, std::string_view provider,
                                                     std::string_view transaction_id) = 0;
  // Oldest first.
  virtual Result<std::vector<Payment>> ListPayments(const PaymentQuery& query) = 0;
  // Rewrites every field but the id, site, provider and transaction id;
  // kNotFound when there is no such payment.
  virtual Status UpdatePayment(const Payment& payment) = 0;
  virtual Status DeletePayments(std::string_view site_id, const std::vector<std::string>& payment_ids) = 0;

  // Identified visitors: the site's own user id (and the keyed hash of their
  // email, or "") linked to a tracker visitor id; the latest link wins.
  virtual Status Identify(std::string_view site_id, std::string_view user_id, std::string_view email_hash,
                          std::string_view visitor_id, int64_t now_micros) = 0;
  // The visitor last identified with `user_id`, or else with `email_hash`
  // (either may be ""), if any.
  virtual Result<std::optional<std::string>> IdentifiedVisitor(std::string_view site_id, std::string_view user_id,
                                                               std::string_view email_hash) = 0;

  // Connections. PutConnection adds or replaces the site's connection to its
  // provider, keeping the last delivery.
  virtual Status PutConnection(const Connection& connection) = 0;
  virtual Result<std::optional<Connection>> FindConnection(std::string_view site_id, std::string_view provider) = 0;
  virtual Result<std::vector<Connection>> ListConnections(std::string_view site_id) = 0;
  // kNotFound when there is none.
  virtual Status DeleteConnection(std::string_view site_id, std::string_view provider) = 0;
  // Notes a delivery to the connection's webhook URL; nothing when the
  // connection is gone.
  virtual Status RecordConnectionDelivery(std::string_view site_id, std::string_view provider, int64_t at_micros,
                                          std::string_view event, bool ok, std::string_view result) = 0;

  // Backfills: one per site and provider, replaced as it goes.
  virtual Status PutBackfill(const Backfill& backfill) = 0;
  virtual Result<std::optional<Backfill>> FindBackfill(std::string_view site_id, std::string_view provider) = 0;
  // Every backfill in `state`, of every site.
  virtual Result<std::vector<Backfill>> ListBackfills(std::string_view state) = 0;

  // X accounts and posts. Put adds or replaces; Delete is kNotFound when
  // there is none. Posts list newest added first; ListXPosts("") lists
  // every site's.
  virtual Status PutXAccount(const XAccount& account) = 0;
  virtual Status DeleteXAccount(std::string_view site_id, std::string_view handle) = 0;
  virtual Result<std::vector<XAccount>> ListXAccounts(std::string_view site_id) = 0;
  virtual Status PutXPost(const XPost& post) = 0;
  virtual Status DeleteXPost(std::string_view site_id, std::string_view post_id) = 0;
  virtual Result<std::vector<XPost>> ListXPosts(std::string_view site_id) = 0;

  // Counters per key and time window (rate limits): adds `hits` (0: only
  // reads) to the count of `key` in the window that starts at
  // `window_start_micros`, and returns the new count.
  virtual Result<int64_t> AddToCounter(std::string_view key, int64_t window_start_micros, int64_t hits) = 0;
  // Forgets every window of `key`.
  virtual Status DeleteCounter(std::string_view key) = 0;
  virtual Status DeleteCountersBefore(int64_t window_start_micros) = 0;

  // Exchange rates, loaded by the operator; a rate for the same date and
  // currency replaces the one before.
  virtual Status PutExchangeRates(const std::vector<ExchangeRate>& rates) = 0;
  // The latest rate of `currency` dated `date` or earlier.
  virtual Result<std::optional<ExchangeRate>> FindExchangeRate(std::string_view currency, std::string_view date) = 0;

  // Sessions, by the hash of their cookie value.
  // Notes of a site, by date then creation, with from <= date <= to
  // (YYYY-MM-DD; empty bounds are open).
  virtual Status CreateNote(const Note& note) = 0;
  virtual Result<std::vector<Note>> ListNotes(std::string_view site_id, std::string_view from_date,
                                              std::string_view to_date) = 0;
  virtual Result<std::optional<Note>> FindNote(std::string_view site_id, std::string_view note_id) = 0;
  virtual Status UpdateNote(const Note& note) = 0;  // date, text and tags
  // kNotFound when the site has no such note.
  virtual Status DeleteNote(std::string_view site_id, std::string_view note_id) = 0;

  virtual Status CreateShare(const Share& share) = 0;
  virtual Result<std::vector<Share>> ListShares(std::string_view site_id) = 0;
  virtual Result<std::optional<Share>> FindShareByToken(std::string_view token) = 0;
  // kNotFound when the site has no such share.
  virtual Status DeleteShare(std::string_view site_id, std::string_view share_id) = 0;

  virtual Status CreateSession(const Session& session) = 0;
  virtual Result<std::optional<Session>> FindSession(std::string_view id_hash) = 0;
  virtual Status DeleteSession(std::string_view id_hash) = 0;
  // Revokes every session of the user except `keep_id_hash` (may be "").
  virtual Status DeleteSessionsOfUser(std::string_view user_id, std::string_view keep_id_hash) = 0;

  // API keys. FindApiKey looks up by secret hash and returns revoked keys
  // too, so the caller can say why it refuses.
  virtual Status CreateApiKey(const ApiKey& key) = 0;
  virtual Result<std::optional<ApiKey>> FindApiKey(std::string_view secret_hash) = 0;
  virtual Result<std::vector<ApiKey>> ListApiKeysOfSite(std::string_view site_id) = 0;
  virtual Result<std::vector<ApiKey>> ListApiKeysOfAccount(std::string_view account_id) = 0;
  // kNotFound unless an active key `key_id` belongs to `owner_id` (a site or account id).
  virtual Status RevokeApiKey(std::string_view owner_id, std::string_view key_id, int64_t now_micros) = 0;
  virtual Status TouchApiKey(std::string_view key_id, int64_t now_micros) = 0;

  // One-time tokens of emailed links, by hash. ConsumeAuthToken marks the
  // token used and returns its user, atomically: a second use, an expired
  // token or one of another purpose gives nullopt.
  virtual Status CreateAuthToken(std::string_view token_hash, std::string_view user_id, TokenPurpose purpose,
                                 int64_t expires_at_micros) = 0;
  virtual Result<std::optional<std::string>> ConsumeAuthToken(std::string_view token_hash, TokenPurpose purpose,
                                                              int64_t now_micros) = 0;

  // The cookieless visitor hash salt of UTC day `day` (days since the epoch):
  // created at random on first use, identical for every caller afterwards.
  virtual Result<std::string> SaltForDay(int64_t day) = 0;
  // Forgets every salt of a day before `day`; once gone, visitor hashes of
  // those days can never be recomputed.
  virtual Status DeleteSaltsBefore(int64_t day) = 0;
};

}  // namespace datafast::store
