#include "store/sql/sql_meta_store.h"

#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "core/ids.h"
#include "store/migrations.h"

namespace datafast::store {
namespace {

// A text bound as NULL when empty (optional references between tables).
struct Nullable {
  std::string_view text;
};

sql::Value ToValue(std::string_view v) { return v; }
sql::Value ToValue(const std::string& v) { return std::string_view(v); }
sql::Value ToValue(const char* v) { return std::string_view(v); }
sql::Value ToValue(int64_t v) { return v; }
sql::Value ToValue(int v) { return int64_t{v}; }
sql::Value ToValue(double v) { return v; }
sql::Value ToValue(const Nullable& v) { return v.text.empty() ? sql::Value() : sql::Value(v.text); }

constexpr std::string_view kSelectSite =
    "SELECT id, domain, timezone, currency, allowed_hostnames, created_at, account_id, retention_days, "
    "attribution_window_days FROM sites";
constexpr std::string_view kPaymentColumns =
    "id, site_id, provider, transaction_id, kind, amount_minor, currency, site_amount_micros, converted, ts, "
    "customer_id, email_hash, subscription_id, monthly_amount_minor, refunds_payment_id, refunds_transaction_id, "
    "visitor_id, session_id, attribution, event_written, created_at, touch_sessions";
constexpr std::string_view kSelectUser = "SELECT id, email, password_hash, email_verified, created_at FROM users";
constexpr std::string_view kSelectKey =
    "SELECT id, secret_hash, prefix, coalesce(site_id, ''), coalesce(account_id, ''), name, scopes, created_at, "
    "coalesce(last_used_at, 0), coalesce(revoked_at, 0) FROM api_keys";
constexpr std::string_view kSelectMembership =
    "SELECT a.id, a.name, a.plan, a.over_limit, a.created_at, a.billing_customer_id, m.user_id, u.email, m.role, "
    "m.joined_at "
    "FROM memberships m JOIN accounts a ON a.id = m.account_id JOIN users u ON u.id = m.user_id";

constexpr std::string_view kSelectConnection =
    "SELECT site_id, provider, api_key_sealed, webhook_secret_sealed, api_key_hint, shop, connected_at, "
    "last_delivery_at, last_delivery_event, last_delivery_ok, last_delivery_result FROM connections";
constexpr std::string_view kSelectBackfill =
    "SELECT site_id, provider, since, state, cursor, pages, payments, error, started_at, updated_at FROM backfills";
constexpr std::string_view kSelectXPost =
    "SELECT site_id, post_id, handle, added_at, text, posted_at, likes, reposts, replies, quotes, impressions, "
    "fetched_at, fetch_error FROM x_posts";
constexpr std::string_view kSelectNote = "SELECT id, site_id, date, text, tags, author_user_id, created_at FROM notes";
constexpr std::string_view kSelectShare = "SELECT id, site_id, token, password_hash, created_at FROM shares";
constexpr std::string_view kSelectInvite =
    "SELECT id, account_id, email, role, token_hash, created_at, expires_at FROM invites";

std::string Sql(std::string_view select, std::string_view rest) {
  return std::string(select) + " " + std::string(rest);
}

std::string_view PurposeName(TokenPurpose purpose) {
  return purpose == TokenPurpose::kPasswordReset ? "reset" : "verify";
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string JoinCommas(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ',';
    out += p;
  }
  return out;
}

class SqlMetaStore final : public MetaStore {
 public:
  explicit SqlMetaStore(std::unique_ptr<sql::Connection> db) : db_(std::move(db)) {}

  Status Init() { return MigrateSchema(*db_); }

  bool IsShared() const override { return db_->shared(); }

  Result<int64_t> AddToCounter(std::string_view key, int64_t window_start_micros, int64_t hits) override {
    std::lock_guard lock(mu_);
    auto count = Row<int64_t>(
        "INSERT INTO counters (key, window_start, count) VALUES (?1, ?2, ?3) ON CONFLICT (key, window_start) "
        "DO UPDATE SET count = counters.count + excluded.count RETURNING count",
        "count", [](const sql::Row& st) { return st.Int(0); }, key, window_start_micros, hits);
    if (!count.ok()) return count.status();
    return count->value_or(0);
  }

  Status DeleteCounter(std::string_view key) override {
    std::lock_guard lock(mu_);
    return Run("DELETE FROM counters WHERE key = ?1", "delete counter", key);
  }

  Status DeleteCountersBefore(int64_t window_start_micros) override {
    std::lock_guard lock(mu_);
    return Run("DELETE FROM counters WHERE window_start < ?1", "delete counters", window_start_micros);
  }

  Status CreateSite(const Site& site) override {
    std::lock_guard lock(mu_);
    Status s =
        Run("INSERT INTO sites (id, domain, timezone, currency, allowed_hostnames, created_at, account_id, "
            "retention_days, attribution_window_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            "create site", site.id, site.domain, site.timezone, site.currency, JoinCommas(site.allowed_hostnames),
            site.created_at_micros, Nullable{site.account_id}, site.retention_days, site.attribution_window_days);
    if (s.code() == StatusCode::kConflict) return Status::Conflict("a site with id " + site.id + " already exists");
    return s;
  }

  Result<std::optional<Site>> FindSite(std::string_view site_id) override {
    std::lock_guard lock(mu_);
    return Row<Site>(Sql(kSelectSite, "WHERE id = ?1"), "find site", ReadSite, site_id);
  }

  Result<std::vector<Site>> ListSites() override {
    std::lock_guard lock(mu_);
    return Rows<Site>(Sql(kSelectSite, "ORDER BY created_at, id"), "list sites", ReadSite);
  }

  Result<std::vector<Site>> ListSitesOfAccount(std::string_view account_id) override {
    std::lock_guard lock(mu_);
    return Rows<Site>(Sql(kSelectSite, "WHERE account_id = ?1 ORDER BY created_at, id"), "list sites", ReadSite,
                      account_id);
  }

  Status UpdateSite(const Site& site) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(
        Run("UPDATE sites SET domain = ?2, timezone = ?3, currency = ?4, allowed_hostnames = ?5, "
            "retention_days = ?6, attribution_window_days = ?7 WHERE id = ?1",
            "update site", site.id, site.domain, site.timezone, site.currency, JoinCommas(site.allowed_hostnames),
            site.retention_days, site.attribution_window_days));
    if (changes_ == 0) return Status::NotFound("no site " + site.id);
    return Status::Ok();
  }

  Status DeleteSite(std::string_view site_id) override {
    std::lock_guard lock(mu_);
    return Run("DELETE FROM sites WHERE id = ?1", "delete site", site_id);
  }

  Result<int> AdoptUnownedSites(std::string_view account_id) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(Run("UPDATE sites SET account_id = ?1 WHERE account_id IS NULL", "adopt sites", account_id));
    return changes_;
  }

  Status CreateUser(const User& user) override {
    std::lock_guard lock(mu_);
    Status s = Run(
        "INSERT INTO users (id, email, password_hash, email_verified, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        "create user", user.id, user.email, user.password_hash, int64_t(user.email_verified), user.created_at_micros);
    if (s.code() == StatusCode::kConflict) return Status::Conflict("an account with this email already exists");
    return s;
  }

  Result<std::optional<User>> FindUser(std::string_view user_id) override {
    std::lock_guard lock(mu_);
    return Row<User>(Sql(kSelectUser, "WHERE id = ?1"), "find user", ReadUser, user_id);
  }

  Result<std::optional<User>> FindUserByEmail(std::string_view email) override {
    std::lock_guard lock(mu_);
    return Row<User>(Sql(kSelectUser, "WHERE email = ?1"), "find user", ReadUser, email);
  }

  Result<int64_t> CountUsers() override {
    std::lock_guard lock(mu_);
    auto n = Row<int64_t>("SELECT count(*) FROM users", "count users", [](const sql::Row& st) { return st.Int(0); });
    if (!n.ok()) return n.status();
    return n->value_or(0);
  }

  Status SetPasswordHash(std::string_view user_id, std::string_view password_hash) override {
    std::lock_guard lock(mu_);
    return Run("UPDATE users SET password_hash = ?2 WHERE id = ?1", "set password", user_id, password_hash);
  }

  Status SetEmailVerified(std::string_view user_id) override {
    std::lock_guard lock(mu_);
    return Run("UPDATE users SET email_verified = 1 WHERE id = ?1", "verify email", user_id);
  }

  Status DeleteUser(std::string_view user_id) override {
    std::lock_guard lock(mu_);
    return Run("DELETE FROM users WHERE id = ?1", "delete user", user_id);
  }

  Status CreateAccount(const Account& account, std::string_view owner_user_id) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(db_->Begin());
    Status s =
        Run("INSERT INTO accounts (id, name, plan, over_limit, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            "create account", account.id, account.name, account.plan, account.over_limit, account.created_at_micros);
    if (s.ok()) {
      s = Run("INSERT INTO memberships (account_id, user_id, role, joined_at) VALUES (?1, ?2, 'owner', ?3)",
              "add owner", account.id, owner_user_id, account.created_at_micros);
    }
    if (s.ok()) s = db_->ExecuteScript("COMMIT");
    if (!s.ok()) (void)db_->ExecuteScript("ROLLBACK");
    return s;
  }

  Result<std::optional<Account>> FindAccount(std::string_view account_id) override {
    std::lock_guard lock(mu_);
    return Row<Account>(
        "SELECT id, name, plan, over_limit, created_at, billing_customer_id FROM accounts WHERE id = ?1",
        "find account", ReadAccount, account_id);
  }

  Result<std::optional<Account>> FindAccountByBillingCustomer(std::string_view customer_id) override {
    std::lock_guard lock(mu_);
    if (customer_id.empty()) return std::optional<Account>();
    return Row<Account>(
        "SELECT id, name, plan, over_limit, created_at, billing_customer_id FROM accounts "
        "WHERE billing_customer_id = ?1",
        "find account", ReadAccount, customer_id);
  }

  Result<bool> HasWebhookDelivery(std::string_view provider, std::string_view delivery_id) override {
    std::lock_guard lock(mu_);
    auto row = Row<int64_t>(
        "SELECT 1 FROM webhook_deliveries WHERE provider = ?1 AND delivery_id = ?2", "find delivery",
        [](const sql::Row& st) { return st.Int(0); }, provider, delivery_id);
    if (!row.ok()) return row.status();
    return row->has_value();
  }

  Status RecordWebhookDelivery(std::string_view provider, std::string_view delivery_id, int64_t now_micros) override {
    std::lock_guard lock(mu_);
    return Run(
        "INSERT INTO webhook_deliveries (provider, delivery_id, received_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT DO NOTHING",
        "record delivery", provider, delivery_id, now_micros);
  }

  Status CreatePayment(const Payment& p, const std::vector<std::string>& aliases) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(db_->Begin());
    Status s =
        Run("INSERT INTO payments (" + std::string(kPaymentColumns) +
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                "?19, ?20, ?21, ?22)",
            "create payment", p.id, p.site_id, p.provider, p.transaction_id, p.kind, p.amount_minor, p.currency,
            p.site_amount_micros, int64_t(p.converted), p.ts_micros, p.customer_id, p.email_hash, p.subscription_id,
            p.monthly_amount_minor, p.refunds_payment_id, p.refunds_transaction_id, p.visitor_id, p.session_id,
            p.attribution, int64_t(p.event_written), p.created_at_micros, JoinCommas(p.touch_session_ids));
    if (s.code() == StatusCode::kConflict) {
      s = Status::Conflict("transaction " + p.transaction_id + " of " + p.provider + " is recorded already");
    }
    for (const std::string& alias : aliases) {
      if (!s.ok()) break;
      if (alias.empty() || alias == p.transaction_id) continue;
      // An alias another payment holds already keeps pointing there.
      s =
          Run("INSERT INTO payment_aliases (site_id, provider, alias, payment_id) VALUES (?1, ?2, ?3, ?4) "
              "ON CONFLICT DO NOTHING",
              "create payment alias", p.site_id, p.provider, alias, p.id);
    }
    if (s.ok()) s = db_->ExecuteScript("COMMIT");
    if (!s.ok()) (void)db_->ExecuteScript("ROLLBACK");
    return s;
  }

  Result<std::optional<Payment>> FindPayment(std::string_view site_id, std::string_view provider,
                                             std::string_view transaction_id) override {
    std::lock_guard lock(mu_);
    return Row<Payment>("SELECT " + std::string(kPaymentColumns) +
                            " FROM payments WHERE site_id = ?1 AND provider = ?2 AND (transaction_id = ?3 OR id = "
                            "(SELECT payment_id FROM payment_aliases WHERE site_id = ?1 AND provider = ?2 AND "
                            "alias = ?3)) ORDER BY transaction_id = ?3 DESC",
                        "find payment", ReadPayment, site_id, provider, transaction_id);
  }

  Result<std::vector<Payment>> ListPayments(const PaymentQuery& q) override {
    std::lock_guard lock(mu_);
    return Rows<Payment>(
        "SELECT " + std::string(kPaymentColumns) +
            " FROM payments WHERE (?1 = '' OR site_id = ?1) AND (?2 = '' OR visitor_id = ?2) "
            "AND (?3 = '' OR customer_id = ?3) AND (?4 = '' OR email_hash = ?4) AND (?5 = '' OR subscription_id = ?5) "
            "AND (?6 = '' OR refunds_payment_id = ?6) AND (?7 = '' OR refunds_transaction_id = ?7) AND ts >= ?8 "
            "AND (?9 = 0 OR ts < ?9) AND (?10 = 0 OR event_written = 0) ORDER BY ts, created_at, id",
        "list payments", ReadPayment, q.site_id, q.visitor_id, q.customer_id, q.email_hash, q.subscription_id,
        q.refunds_payment_id, q.refunds_transaction_id, q.from_micros, q.to_micros, int64_t(q.unwritten_only));
  }

  Status UpdatePayment(const Payment& p) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(
        Run("UPDATE payments SET kind = ?2, amount_minor = ?3, currency = ?4, site_amount_micros = ?5, converted = ?6, "
            "ts = ?7, customer_id = ?8, email_hash = ?9, subscription_id = ?10, monthly_amount_minor = ?11, "
            "refunds_payment_id = ?12, refunds_transaction_id = ?13, visitor_id = ?14, session_id = ?15, "
            "attribution = ?16, event_written = ?17, created_at = ?18, touch_sessions = ?19 WHERE id = ?1",
            "update payment", p.id, p.kind, p.amount_minor, p.currency, p.site_amount_micros, int64_t(p.converted),
            p.ts_micros, p.customer_id, p.email_hash, p.subscription_id, p.monthly_amount_minor, p.refunds_payment_id,
            p.refunds_transaction_id, p.visitor_id, p.session_id, p.attribution, int64_t(p.event_written),
            p.created_at_micros, JoinCommas(p.touch_session_ids)));
    if (changes_ == 0) return Status::NotFound("no payment " + p.id);
    return Status::Ok();
  }

  Status DeletePayments(std::string_view site_id, const std::vector<std::string>& payment_ids) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(db_->Begin());
    Status s;
    for (const std::string& id : payment_ids) {
      s = Run("DELETE FROM payments WHERE site_id = ?1 AND id = ?2", "delete payment", site_id, id);
      if (!s.ok()) break;
    }
    if (s.ok()) s = db_->ExecuteScript("COMMIT");
    if (!s.ok()) (void)db_->ExecuteScript("ROLLBACK");
    return s;
  }

  Status Identify(std::string_view site_id, std::string_view user_id, std::string_view email_hash,
                  std::string_view visitor_id, int64_t now_micros) override {
    std::lock_guard lock(mu_);
    return Run(
        "INSERT INTO identities (site_id, user_id, email_hash, visitor_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (site_id, user_id) DO UPDATE SET visitor_id = excluded.visitor_id, updated_at = "
        "excluded.updated_at, email_hash = CASE WHEN excluded.email_hash = '' THEN identities.email_hash ELSE "
        "excluded.email_hash END",
        "identify", site_id, user_id, email_hash, visitor_id, now_micros);
  }

  Result<std::optional<std::string>> IdentifiedVisitor(std::string_view site_id, std::string_view user_id,
                                                       std::string_view email_hash) override {
    std::lock_guard lock(mu_);
    return Row<std::string>(
        "SELECT visitor_id FROM identities WHERE site_id = ?1 AND ((?2 <> '' AND user_id = ?2) OR "
        "(?3 <> '' AND email_hash = ?3)) ORDER BY (?2 <> '' AND user_id = ?2) DESC, updated_at DESC",
        "find identity", [](const sql::Row& st) { return st.Text(0); }, site_id, user_id, email_hash);
  }

  Status PutConnection(const Connection& c) override {
    std::lock_guard lock(mu_);
    return Run(
        "INSERT INTO connections (site_id, provider, api_key_sealed, webhook_secret_sealed, api_key_hint, shop, "
        "connected_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (site_id, provider) DO UPDATE SET "
        "api_key_sealed = excluded.api_key_sealed, webhook_secret_sealed = excluded.webhook_secret_sealed, "
        "api_key_hint = excluded.api_key_hint, shop = excluded.shop, connected_at = excluded.connected_at",
        "put connection", c.site_id, c.provider, c.api_key_sealed, c.webhook_secret_sealed, c.api_key_hint, c.shop,
        c.connected_at_micros);
  }

  Result<std::optional<Connection>> FindConnection(std::string_view site_id, std::string_view provider) override {
    std::lock_guard lock(mu_);
    return Row<Connection>(std::string(kSelectConnection) + " WHERE site_id = ?1 AND provider = ?2", "find connection",
                           ReadConnection, site_id, provider);
  }

  Result<std::vector<Connection>> ListConnections(std::string_view site_id) override {
    std::lock_guard lock(mu_);
    return Rows<Connection>(std::string(kSelectConnection) + " WHERE site_id = ?1 ORDER BY provider",
                            "list connections", ReadConnection, site_id);
  }

  Status DeleteConnection(std::string_view site_id, std::string_view provider) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(
        Run("DELETE FROM connections WHERE site_id = ?1 AND provider = ?2", "delete connection", site_id, provider));
    if (changes_ == 0) return Status::NotFound("no " + std::string(provider) + " connection");
    return Status::Ok();
  }

  Status RecordConnectionDelivery(std::string_view site_id, std::string_view provider, int64_t at_micros,
                                  std::string_view event, bool ok, std::string_view result) override {
    std::lock_guard lock(mu_);
    return Run(
        "UPDATE connections SET last_delivery_at = ?3, last_delivery_event = ?4, last_delivery_ok = ?5, "
        "last_delivery_result = ?6 WHERE site_id = ?1 AND provider = ?2",
        "record connection delivery", site_id, provider, at_micros, event, int64_t(ok), result);
  }

  Status PutBackfill(const Backfill& b) override {
    std::lock_guard lock(mu_);
    return Run(
        "INSERT INTO backfills (site_id, provider, since, state, cursor, pages, payments, error, started_at, "
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (site_id, provider) DO UPDATE SET "
        "since = excluded.since, state = excluded.state, cursor = excluded.cursor, pages = excluded.pages, "
        "payments = excluded.payments, error = excluded.error, started_at = excluded.started_at, "
        "updated_at = excluded.updated_at",
        "put backfill", b.site_id, b.provider, b.since_micros, b.state, b.cursor, b.pages, b.payments, b.error,
        b.started_at_micros, b.updated_at_micros);
  }

  Result<std::optional<Backfill>> FindBackfill(std::string_view site_id, std::string_view provider) override {
    std::lock_guard lock(mu_);
    return Row<Backfill>(std::string(kSelectBackfill) + " WHERE site_id = ?1 AND provider = ?2", "find backfill",
                         ReadBackfill, site_id, provider);
  }

  Result<std::vector<Backfill>> ListBackfills(std::string_view state) override {
    std::lock_guard lock(mu_);
    return Rows<Backfill>(std::string(kSelectBackfill) + " WHERE state = ?1 ORDER BY started_at, site_id, provider",
                          "list backfills", ReadBackfill, state);
  }

  Status PutXAccount(const XAccount& a) override {
    std::lock_guard lock(mu_);
    return Run("INSERT INTO x_accounts (site_id, handle, added_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
               "put x account", a.site_id, a.handle, a.added_at_micros);
  }

  Status DeleteXAccount(std::string_view site_id, std::string_view handle) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(Run("DELETE FROM x_accounts WHERE site_id = ?1 AND lower(handle) = lower(?2)",
                           "delete x account", site_id, handle));
    if (changes_ == 0) return Status::NotFound("no X account @" + std::string(handle));
    return Status::Ok();
  }

  Result<std::vector<XAccount>> ListXAccounts(std::string_view site_id) override {
    std::lock_guard lock(mu_);
    return Rows<XAccount>(
        "SELECT site_id, handle, added_at FROM x_accounts WHERE site_id = ?1 ORDER BY added_at, handle",
        "list x accounts",
        [](const sql::Row& st) {
          return XAccount{st.Text(0), st.Text(1), st.Int(2)};
        },
        site_id);
  }

  Status PutXPost(const XPost& p) override {
    std::lock_guard lock(mu_);
    return Run(
        "INSERT INTO x_posts (site_id, post_id, handle, added_at, text, posted_at, likes, reposts, replies, quotes, "
        "impressions, fetched_at, fetch_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
        "ON CONFLICT (site_id, post_id) DO UPDATE SET handle = excluded.handle, added_at = excluded.added_at, "
        "text = excluded.text, posted_at = excluded.posted_at, likes = excluded.likes, reposts = excluded.reposts, "
        "replies = excluded.replies, quotes = excluded.quotes, impressions = excluded.impressions, "
        "fetched_at = excluded.fetched_at, fetch_error = excluded.fetch_error",
        "put x post", p.site_id, p.post_id, p.handle, p.added_at_micros, p.text, p.posted_at_micros, p.likes, p.reposts,
        p.replies, p.quotes, p.impressions, p.fetched_at_micros, p.fetch_error);
  }

  Status DeleteXPost(std::string_view site_id, std::string_view post_id) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(
        Run("DELETE FROM x_posts WHERE site_id = ?1 AND post_id = ?2", "delete x post", site_id, post_id));
    if (changes_ == 0) return Status::NotFound("no registered post " + std::string(post_id));
    return Status::Ok();
  }

  Result<std::vector<XPost>> ListXPosts(std::string_view site_id) override {
    std::lock_guard lock(mu_);
    return Rows<XPost>(std::string(kSelectXPost) + " WHERE ?1 = '' OR site_id = ?1 ORDER BY added_at DESC, post_id",
                       "list x posts", ReadXPost, site_id);
  }

  Status PutExchangeRates(const std::vector<ExchangeRate>& rates) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(db_->Begin());
    Status s;
    for (const ExchangeRate& r : rates) {
      s =
          Run("INSERT INTO exchange_rates (date, currency, per_usd) VALUES (?1, ?2, ?3) "
              "ON CONFLICT (currency, date) DO UPDATE SET per_usd = excluded.per_usd",
              "put exchange rate", r.date, r.currency, r.per_usd);
      if (!s.ok()) break;
    }
    if (s.ok()) s = db_->ExecuteScript("COMMIT");
    if (!s.ok()) (void)db_->ExecuteScript("ROLLBACK");
    return s;
  }

  Result<std::optional<ExchangeRate>> FindExchangeRate(std::string_view currency, std::string_view date) override {
    std::lock_guard lock(mu_);
    return Row<ExchangeRate>(
        "SELECT date, currency, per_usd FROM exchange_rates WHERE currency = ?1 AND date <= ?2 ORDER BY date DESC",
        "find exchange rate",
        [](const sql::Row& st) {
          return ExchangeRate{st.Text(0), st.Text(1), st.Double(2)};
        },
        currency, date);
  }

  Status CreateNote(const Note& note) override {
    std::lock_guard lock(mu_);
    return Run(
        "INSERT INTO notes (id, site_id, date, text, tags, author_user_id, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        "create note", note.id, note.site_id, note.date, note.text, JoinCommas(note.tags), note.author_user_id,
        note.created_at_micros);
  }

  Result<std::vector<Note>> ListNotes(std::string_view site_id, std::string_view from_date,
                                      std::string_view to_date) override {
    std::lock_guard lock(mu_);
    return Rows<Note>(Sql(kSelectNote,
                          "WHERE site_id = ?1 AND (?2 = '' OR date >= ?2) AND (?3 = '' OR date <= ?3) "
                          "ORDER BY date, created_at, id"),
                      "list notes", ReadNote, site_id, from_date, to_date);
  }

  Result<std::optional<Note>> FindNote(std::string_view site_id, std::string_view note_id) override {
    std::lock_guard lock(mu_);
    return Row<Note>(Sql(kSelectNote, "WHERE site_id = ?1 AND id = ?2"), "find note", ReadNote, site_id, note_id);
  }

  Status UpdateNote(const Note& note) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(Run("UPDATE notes SET date = ?3, text = ?4, tags = ?5 WHERE site_id = ?1 AND id = ?2",
                           "update note", note.site_id, note.id, note.date, note.text, JoinCommas(note.tags)));
    if (changes_ == 0) return Status::NotFound("no note " + note.id);
    return Status::Ok();
  }

  Status DeleteNote(std::string_view site_id, std::string_view note_id) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(Run("DELETE FROM notes WHERE site_id = ?1 AND id = ?2", "delete note", site_id, note_id));
    if (changes_ == 0) return Status::NotFound("no note " + std::string(note_id));
    return Status::Ok();
  }

  Status CreateShare(const Share& share) override {
    std::lock_guard lock(mu_);
    return Run("INSERT INTO shares (id, site_id, token, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
               "create share", share.id, share.site_id, share.token, share.password_hash, share.created_at_micros);
  }

  Result<std::vector<Share>> ListShares(std::string_view site_id) override {
    std::lock_guard lock(mu_);
    return Rows<Share>(Sql(kSelectShare, "WHERE site_id = ?1 ORDER BY created_at, id"), "list shares", ReadShare,
                       site_id);
  }

  Result<std::optional<Share>> FindShareByToken(std::string_view token) override {
    std::lock_guard lock(mu_);
    return Row<Share>(Sql(kSelectShare, "WHERE token = ?1"), "find share", ReadShare, token);
  }

  Status DeleteShare(std::string_view site_id, std::string_view share_id) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(Run("DELETE FROM shares WHERE site_id = ?1 AND id = ?2", "delete share", site_id, share_id));
    if (changes_ == 0) return Status::NotFound("no share " + std::string(share_id));
    return Status::Ok();
  }

  Result<std::vector<Account>> ListAccounts() override {
    std::lock_guard lock(mu_);
    return Rows<Account>(
        "SELECT id, name, plan, over_limit, created_at, billing_customer_id FROM accounts ORDER BY created_at, id",
        "list accounts", ReadAccount);
  }

  Status UpdateAccount(const Account& account) override {
    std::lock_guard lock(mu_);
    return Run("UPDATE accounts SET name = ?2, plan = ?3, over_limit = ?4, billing_customer_id = ?5 WHERE id = ?1",
               "update account", account.id, account.name, account.plan, account.over_limit,
               account.billing_customer_id);
  }

  Status DeleteAccount(std::string_view account_id) override {
    std::lock_guard lock(mu_);
    return Run("DELETE FROM accounts WHERE id = ?1", "delete account", account_id);
  }

  Result<std::vector<Membership>> ListMembershipsOfUser(std::string_view user_id) override {
    std::lock_guard lock(mu_);
    return Rows<Membership>(Sql(kSelectMembership, "WHERE m.user_id = ?1 ORDER BY m.joined_at, a.id"),
                            "list memberships", ReadMembership, user_id);
  }

  Result<std::vector<Membership>> ListMembersOfAccount(std::string_view account_id) override {
    std::lock_guard lock(mu_);
    return Rows<Membership>(Sql(kSelectMembership, "WHERE m.account_id = ?1 ORDER BY m.joined_at, u.email"),
                            "list members", ReadMembership, account_id);
  }

  Status AddMember(std::string_view account_id, std::string_view user_id, Role role, int64_t now_micros) override {
    std::lock_guard lock(mu_);
    return Run(
        "INSERT INTO memberships (account_id, user_id, role, joined_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role",
        "add member", account_id, user_id, ToString(role), now_micros);
  }

  Status RemoveMember(std::string_view account_id, std::string_view user_id) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(
        Run("DELETE FROM memberships WHERE account_id = ?1 AND user_id = ?2", "remove member", account_id, user_id));
    if (changes_ == 0) return Status::NotFound("no member " + std::string(user_id));
    return Status::Ok();
  }

  Status CreateInvite(const Invite& invite) override {
    std::lock_guard lock(mu_);
    return Run(
        "INSERT INTO invites (id, account_id, email, role, token_hash, created_at, expires_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        "create invite", invite.id, invite.account_id, invite.email, ToString(invite.role), invite.token_hash,
        invite.created_at_micros, invite.expires_at_micros);
  }

  Result<std::vector<Invite>> ListInvites(std::string_view account_id) override {
    std::lock_guard lock(mu_);
    return Rows<Invite>(Sql(kSelectInvite, "WHERE account_id = ?1 AND accepted_at IS NULL ORDER BY created_at, id"),
                        "list invites", ReadInvite, account_id);
  }

  Result<std::optional<Invite>> FindInvite(std::string_view token_hash) override {
    std::lock_guard lock(mu_);
    return Row<Invite>(Sql(kSelectInvite, "WHERE token_hash = ?1 AND accepted_at IS NULL"), "find invite", ReadInvite,
                       token_hash);
  }

  Status DeleteInvite(std::string_view account_id, std::string_view invite_id) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(Run("DELETE FROM invites WHERE account_id = ?1 AND id = ?2 AND accepted_at IS NULL",
                           "delete invite", account_id, invite_id));
    if (changes_ == 0) return Status::NotFound("no pending invite " + std::string(invite_id));
    return Status::Ok();
  }

  Status AcceptInvite(std::string_view invite_id, std::string_view user_id, int64_t now_micros) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(db_->Begin());
    Status s = Run("UPDATE invites SET accepted_at = ?2 WHERE id = ?1 AND accepted_at IS NULL AND expires_at > ?2",
                   "accept invite", invite_id, now_micros);
    if (s.ok() && changes_ == 0) s = Status::NotFound("this invitation has expired or was already used");
    if (s.ok()) {
      s =
          Run("INSERT INTO memberships (account_id, user_id, role, joined_at) "
              "SELECT account_id, ?2, role, ?3 FROM invites WHERE id = ?1 "
              "ON CONFLICT (account_id, user_id) DO UPDATE SET role = excluded.role",
              "join account", invite_id, user_id, now_micros);
    }
    if (s.ok()) s = db_->ExecuteScript("COMMIT");
    if (!s.ok()) (void)db_->ExecuteScript("ROLLBACK");
    return s;
  }

  Result<bool> RecordUsageWarning(std::string_view account_id, std::string_view month, int level,
                                  int64_t now_micros) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(
        Run("INSERT INTO usage_warnings (account_id, month, level, sent_at) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT DO NOTHING",
            "record usage warning", account_id, month, level, now_micros));
    return changes_ > 0;
  }

  Status CreateSession(const Session& session) override {
    std::lock_guard lock(mu_);
    return Run(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        "create session", session.id_hash, session.user_id, session.csrf_token, session.created_at_micros,
        session.expires_at_micros);
  }

  Result<std::optional<Session>> FindSession(std::string_view id_hash) override {
    std::lock_guard lock(mu_);
    return Row<Session>("SELECT id_hash, user_id, csrf_token, created_at, expires_at FROM sessions WHERE id_hash = ?1",
                        "find session", ReadSession, id_hash);
  }

  Status DeleteSession(std::string_view id_hash) override {
    std::lock_guard lock(mu_);
    return Run("DELETE FROM sessions WHERE id_hash = ?1", "delete session", id_hash);
  }

  Status DeleteSessionsOfUser(std::string_view user_id, std::string_view keep_id_hash) override {
    std::lock_guard lock(mu_);
    return Run("DELETE FROM sessions WHERE user_id = ?1 AND id_hash <> ?2", "revoke sessions", user_id, keep_id_hash);
  }

  Status CreateApiKey(const ApiKey& key) override {
    std::lock_guard lock(mu_);
    return Run(
        "INSERT INTO api_keys (id, secret_hash, prefix, site_id, account_id, name, scopes, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        "create key", key.id, key.secret_hash, key.prefix, Nullable{key.site_id}, Nullable{key.account_id}, key.name,
        JoinCommas(key.scopes), key.created_at_micros);
  }

  Result<std::optional<ApiKey>> FindApiKey(std::string_view secret_hash) override {
    std::lock_guard lock(mu_);
    return Row<ApiKey>(Sql(kSelectKey, "WHERE secret_hash = ?1"), "find key", ReadKey, secret_hash);
  }

  Result<std::vector<ApiKey>> ListApiKeysOfSite(std::string_view site_id) override {
    std::lock_guard lock(mu_);
    return Rows<ApiKey>(Sql(kSelectKey, "WHERE site_id = ?1 AND revoked_at IS NULL ORDER BY created_at, id"),
                        "list keys", ReadKey, site_id);
  }

  Result<std::vector<ApiKey>> ListApiKeysOfAccount(std::string_view account_id) override {
    std::lock_guard lock(mu_);
    return Rows<ApiKey>(Sql(kSelectKey, "WHERE account_id = ?1 AND revoked_at IS NULL ORDER BY created_at, id"),
                        "list keys", ReadKey, account_id);
  }

  Status RevokeApiKey(std::string_view owner_id, std::string_view key_id, int64_t now_micros) override {
    std::lock_guard lock(mu_);
    DF_RETURN_IF_ERROR(
        Run("UPDATE api_keys SET revoked_at = ?3 WHERE id = ?2 AND (site_id = ?1 OR account_id = ?1) "
            "AND revoked_at IS NULL",
            "revoke key", owner_id, key_id, now_micros));
    if (changes_ == 0) return Status::NotFound("no active key " + std::string(key_id));
    return Status::Ok();
  }

  Status TouchApiKey(std::string_view key_id, int64_t now_micros) override {
    std::lock_guard lock(mu_);
    return Run("UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1", "touch key", key_id, now_micros);
  }

  Status CreateAuthToken(std::string_view token_hash, std::string_view user_id, TokenPurpose purpose,
                         int64_t expires_at_micros) override {
    std::lock_guard lock(mu_);
    return Run("INSERT INTO auth_tokens (token_hash, user_id, purpose, expires_at) VALUES (?1, ?2, ?3, ?4)",
               "create token", token_hash, user_id, PurposeName(purpose), expires_at_micros);
  }

  Result<std::optional<std::string>> ConsumeAuthToken(std::string_view token_hash, TokenPurpose purpose,
                                                      int64_t now_micros) override {
    std::lock_guard lock(mu_);
    return Row<std::string>(
        "UPDATE auth_tokens SET used_at = ?3 WHERE token_hash = ?1 AND purpose = ?2 AND used_at IS NULL "
        "AND expires_at > ?3 RETURNING user_id",
        "use token", [](const sql::Row& st) { return st.Text(0); }, token_hash, PurposeName(purpose), now_micros);
  }

  Result<std::string> SaltForDay(int64_t day) override {
    std::lock_guard lock(mu_);
    // Insert if absent, then read: whoever inserts first decides the salt,
    // including another instance sharing the database.
    DF_RETURN_IF_ERROR(Run("INSERT INTO cookieless_salts (day, salt) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                           "create salt", day, core::RandomHex(32)));
    auto salt = Row<std::string>(
        "SELECT salt FROM cookieless_salts WHERE day = ?1", "read salt", [](const sql::Row& st) { return st.Text(0); },
        day);
    if (!salt.ok()) return salt.status();
    if (!salt->has_value()) return Status::Internal("the salt of day " + std::to_string(day) + " is missing");
    return std::move(**salt);
  }

  Status DeleteSaltsBefore(int64_t day) override {
    std::lock_guard lock(mu_);
    return Run("DELETE FROM cookieless_salts WHERE day < ?1", "delete salts", day);
  }

 private:
  static User ReadUser(const sql::Row& st) {
    return User{st.Text(0), st.Text(1), st.Text(2), st.Int(3) != 0, st.Int(4)};
  }
  static Account ReadAccount(const sql::Row& st) {
    return Account{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Int(4), st.Text(5)};
  }
  static Membership ReadMembership(const sql::Row& st) {
    return Membership{Account{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Int(4), st.Text(5)}, st.Text(6),
                      st.Text(7), ParseRole(st.Text(8)).value_or(Role::kViewer), st.Int(9)};
  }
  static Invite ReadInvite(const sql::Row& st) {
    return Invite{st.Text(0), st.Text(1), st.Text(2), ParseRole(st.Text(3)).value_or(Role::kViewer),
                  st.Text(4), st.Int(5),  st.Int(6)};
  }
  static Note ReadNote(const sql::Row& st) {
    return Note{st.Text(0), st.Text(1), st.Text(2), st.Text(3), SplitCommas(st.Text(4)), st.Text(5), st.Int(6)};
  }
  static Share ReadShare(const sql::Row& st) {
    return Share{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Int(4)};
  }
  static Session ReadSession(const sql::Row& st) {
    return Session{st.Text(0), st.Text(1), st.Text(2), st.Int(3), st.Int(4)};
  }
  static ApiKey ReadKey(const sql::Row& st) {
    return ApiKey{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), SplitCommas(st.Text(6)),
                  st.Int(7),  st.Int(8),  st.Int(9)};
  }

  // Runs a statement that returns no rows; changes_ is how many it changed.
  // REQUIRES: mu_ held.
  template <typename... Values>
  Status Run(const std::string& sql, std::string_view operation, const Values&... values) {
    std::vector<sql::Value> params = {ToValue(values)...};
    auto changed = db_->Execute(sql, params, nullptr);
    if (!changed.ok()) return changed.status().WithContext(operation);
    changes_ = *changed;
    return Status::Ok();
  }

  // The first row of a query, read by `read`, or nullopt. REQUIRES: mu_ held.
  template <typename T, typename Read, typename... Values>
  Result<std::optional<T>> Row(const std::string& sql, std::string_view operation, Read read, const Values&... values) {
    std::vector<sql::Value> params = {ToValue(values)...};
    std::optional<T> first;
    auto ran = db_->Execute(sql, params, [&](const sql::Row& row) {
      if (!first) first = read(row);
    });
    if (!ran.ok()) return ran.status().WithContext(operation);
    changes_ = *ran;
    return first;
  }

  // Every row of a query, read by `read`. REQUIRES: mu_ held.
  template <typename T, typename Read, typename... Values>
  Result<std::vector<T>> Rows(const std::string& sql, std::string_view operation, Read read, const Values&... values) {
    std::vector<sql::Value> params = {ToValue(values)...};
    std::vector<T> rows;
    auto ran = db_->Execute(sql, params, [&](const sql::Row& row) { rows.push_back(read(row)); });
    if (!ran.ok()) return ran.status().WithContext(operation);
    return rows;
  }

  static Site ReadSite(const sql::Row& st) {
    Site s;
    s.id = st.Text(0);
    s.domain = st.Text(1);
    s.timezone = st.Text(2);
    s.currency = st.Text(3);
    s.allowed_hostnames = SplitCommas(st.Text(4));
    s.created_at_micros = st.Int(5);
    s.account_id = st.Text(6);
    s.retention_days = static_cast<int32_t>(st.Int(7));
    s.attribution_window_days = static_cast<int32_t>(st.Int(8));
    return s;
  }
  static Backfill ReadBackfill(const sql::Row& st) {
    return Backfill{st.Text(0), st.Text(1), st.Int(2),  st.Text(3), st.Text(4),
                    st.Int(5),  st.Int(6),  st.Text(7), st.Int(8),  st.Int(9)};
  }
  static XPost ReadXPost(const sql::Row& st) {
    return XPost{st.Text(0), st.Text(1), st.Text(2), st.Int(3),  st.Text(4), st.Int(5),  st.Int(6),
                 st.Int(7),  st.Int(8),  st.Int(9),  st.Int(10), st.Int(11), st.Text(12)};
  }
  static Connection ReadConnection(const sql::Row& st) {
    return Connection{st.Text(0), st.Text(1), st.Text(2), st.Text(3),     st.Text(4), st.Text(5),
                      st.Int(6),  st.Int(7),  st.Text(8), st.Int(9) != 0, st.Text(10)};
  }
  static Payment ReadPayment(const sql::Row& st) {
    Payment p;
    p.id = st.Text(0);
    p.site_id = st.Text(1);
    p.provider = st.Text(2);
    p.transaction_id = st.Text(3);
    p.kind = st.Text(4);
    p.amount_minor = st.Int(5);
    p.currency = st.Text(6);
    p.site_amount_micros = st.Int(7);
    p.converted = st.Int(8) != 0;
    p.ts_micros = st.Int(9);
    p.customer_id = st.Text(10);
    p.email_hash = st.Text(11);
    p.subscription_id = st.Text(12);
    p.monthly_amount_minor = st.Int(13);
    p.refunds_payment_id = st.Text(14);
    p.refunds_transaction_id = st.Text(15);
    p.visitor_id = st.Text(16);
    p.session_id = st.Text(17);
    p.attribution = st.Text(18);
    p.event_written = st.Int(19) != 0;
    p.created_at_micros = st.Int(20);
    p.touch_session_ids = SplitCommas(st.Text(21));
    return p;
  }

  std::unique_ptr<sql::Connection> db_;
  int64_t changes_ = 0;  // rows the last Run changed
  std::mutex mu_;        // one connection, used by one thread at a time
};

// Rows of `table`; `status` says whether it could tell.
int64_t CountRows(sql::Connection& db, std::string_view table, Status& status) {
  int64_t n = 0;
  auto ran = db.Execute("SELECT count(*) FROM " + std::string(table), {}, [&](const sql::Row& row) { n = row.Int(0); });
  status = ran.status();
  return n;
}

int64_t SchemaVersion(sql::Connection& db, Status& status) {
  int64_t version = 0;
  auto ran = db.Execute("SELECT coalesce(max(version), 0) FROM schema_migrations", {},
                        [&](const sql::Row& row) { version = row.Int(0); });
  status = ran.status();
  return version;
}

constexpr std::string_view kTables[] = {
    "users",      "accounts",       "memberships",        "sites",     "cookieless_salts",
    "sessions",   "api_keys",       "auth_tokens",        "invites",   "usage_warnings",
    "notes",      "shares",         "webhook_deliveries", "payments",  "payment_aliases",
    "identities", "exchange_rates", "connections",        "backfills", "x_accounts",
    "x_posts",    "counters"};

}  // namespace

std::span<const std::string_view> MetaStoreTables() { return kTables; }

Status MigrateSchema(sql::Connection& db) {
  DF_RETURN_IF_ERROR(db.ExecuteScript("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"));
  Status status;
  int64_t have = SchemaVersion(db, status);
  DF_RETURN_IF_ERROR(status.WithContext("read schema version"));
  for (const Migration& m : MigrationsFor(db.backend())) {
    if (m.version <= have) continue;
    std::string script = "BEGIN;\n" + std::string(m.sql) + "\nINSERT INTO schema_migrations VALUES (" +
                         std::to_string(m.version) + ");\nCOMMIT;";
    Status s = db.ExecuteScript(script);
    if (!s.ok()) {
      (void)db.ExecuteScript("ROLLBACK");
      return s.WithContext("migration " + std::string(m.name));
    }
  }
  return Status::Ok();
}

Status CopyMetaStore(sql::Connection& from, sql::Connection& to, const CopyProgress& progress) {
  Status status;
  int64_t from_version = SchemaVersion(from, status);
  DF_RETURN_IF_ERROR(status);
  int64_t to_version = SchemaVersion(to, status);
  DF_RETURN_IF_ERROR(status);
  if (from_version != to_version) {
    return Status::InvalidArgument("the stores are at schema versions " + std::to_string(from_version) + " and " +
                                   std::to_string(to_version) + "; open both with this build first");
  }
  constexpr int64_t kRowsPerTransaction = 1000;
  for (std::string_view table : kTables) {
    int64_t rows = CountRows(from, table, status);
    DF_RETURN_IF_ERROR(status.WithContext(table));
    int64_t there = CountRows(to, table, status);
    DF_RETURN_IF_ERROR(status.WithContext(table));
    if (there != rows) {
      DF_RETURN_IF_ERROR(to.Begin());
      int64_t in_transaction = 0;
      Status failed;
      auto copied = from.Execute("SELECT * FROM " + std::string(table), {}, [&](const sql::Row& row) {
        if (!failed.ok()) return;
        std::vector<sql::Value> values;
        std::string placeholders;
        for (int c = 0; c < row.columns(); ++c) {
          values.push_back(row.Get(c));
          placeholders += (c == 0 ? "?" : ", ?") + std::to_string(c + 1);
        }
        auto inserted =
            to.Execute("INSERT INTO " + std::string(table) + " VALUES (" + placeholders + ") ON CONFLICT DO NOTHING",
                       values, nullptr);
        failed = inserted.status();
        if (failed.ok() && ++in_transaction == kRowsPerTransaction) {
          failed = to.ExecuteScript("COMMIT");
          if (failed.ok()) failed = to.Begin();
          in_transaction = 0;
        }
      });
      if (failed.ok()) failed = copied.status();
      if (failed.ok()) failed = to.ExecuteScript("COMMIT");
      if (!failed.ok()) {
        (void)to.ExecuteScript("ROLLBACK");
        return failed.WithContext("copy " + std::string(table));
      }
    }
    int64_t copied = CountRows(to, table, status);
    DF_RETURN_IF_ERROR(status.WithContext(table));
    if (copied != rows) {
      return Status::Internal(std::string(table) + " has " + std::to_string(rows) + " rows here and " +
                              std::to_string(copied) + " there");
    }
    progress(table, rows);
  }
  return Status::Ok();
}

Result<std::unique_ptr<MetaStore>> OpenSqlMetaStore(std::unique_ptr<sql::Connection> connection) {
  auto store = std::make_unique<SqlMetaStore>(std::move(connection));
  DF_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<MetaStore>(std::move(store));
}

}  // namespace datafast::store
