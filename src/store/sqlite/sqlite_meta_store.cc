#include "store/sqlite/sqlite_meta_store.h"

#include <sqlite3.h>

#include <mutex>

#include "core/ids.h"
#include "store/migrations.h"

namespace datafast::store {
namespace {

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  bool prepared() const { return rc_ == SQLITE_OK; }
  void Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void Bind(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  int Step() { return sqlite3_step(stmt_); }
  std::string Text(int col) {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

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

class SqliteMetaStore final : public MetaStore {
 public:
  explicit SqliteMetaStore(sqlite3* db) : db_(db) {}
  ~SqliteMetaStore() override { sqlite3_close(db_); }

  Status Init() {
    DF_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL"));
    DF_RETURN_IF_ERROR(Exec("PRAGMA synchronous=FULL"));
    DF_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys=ON"));
    DF_RETURN_IF_ERROR(Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"));
    Statement current(db_, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (current.Step() != SQLITE_ROW) return Error("read schema version");
    int64_t have = current.Int(0);
    for (const Migration& m : MigrationsFor("sqlite")) {
      if (m.version <= have) continue;
      std::string sql = "BEGIN;\n" + std::string(m.sql) + "\nINSERT INTO schema_migrations VALUES (" +
                        std::to_string(m.version) + ");\nCOMMIT;";
      Status s = Exec(sql.c_str());
      if (!s.ok()) {
        (void)Exec("ROLLBACK");
        return s.WithContext("migration " + std::string(m.name));
      }
    }
    return Status::Ok();
  }

  Status CreateSite(const Site& site) override {
    std::lock_guard lock(mu_);
    Statement st(db_,
                 "INSERT INTO sites (id, domain, timezone, currency, allowed_hostnames, created_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st.prepared()) return Error("create site");
    st.Bind(1, site.id);
    st.Bind(2, site.domain);
    st.Bind(3, site.timezone);
    st.Bind(4, site.currency);
    st.Bind(5, JoinCommas(site.allowed_hostnames));
    st.Bind(6, site.created_at_micros);
    int rc = st.Step();
    if (rc == SQLITE_CONSTRAINT) return Status::Conflict("a site with id " + site.id + " already exists");
    if (rc != SQLITE_DONE) return Error("create site");
    return Status::Ok();
  }

  Result<std::optional<Site>> FindSite(std::string_view site_id) override {
    std::lock_guard lock(mu_);
    Statement st(db_, "SELECT id, domain, timezone, currency, allowed_hostnames, created_at FROM sites WHERE id = ?1");
    if (!st.prepared()) return Error("find site");
    st.Bind(1, site_id);
    int rc = st.Step();
    if (rc == SQLITE_DONE) return std::optional<Site>();
    if (rc != SQLITE_ROW) return Error("find site");
    return std::optional<Site>(ReadSite(st));
  }

  Result<std::vector<Site>> ListSites() override {
    std::lock_guard lock(mu_);
    Statement st(db_,
                 "SELECT id, domain, timezone, currency, allowed_hostnames, created_at FROM sites "
                 "ORDER BY created_at, id");
    if (!st.prepared()) return Error("list sites");
    std::vector<Site> sites;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) sites.push_back(ReadSite(st));
    if (rc != SQLITE_DONE) return Error("list sites");
    return sites;
  }

  Result<std::string> SaltForDay(int64_t day) override {
    std::lock_guard lock(mu_);
    // INSERT OR IGNORE then SELECT: whoever inserts first decides the salt,
    // including another instance sharing the database.
    Statement insert(db_, "INSERT OR IGNORE INTO cookieless_salts (day, salt) VALUES (?1, ?2)");
    if (!insert.prepared()) return Error("create salt");
    insert.Bind(1, day);
    insert.Bind(2, core::RandomHex(32));
    if (insert.Step() != SQLITE_DONE) return Error("create salt");
    Statement select(db_, "SELECT salt FROM cookieless_salts WHERE day = ?1");
    select.Bind(1, day);
    if (select.Step() != SQLITE_ROW) return Error("read salt");
    return select.Text(0);
  }

  Status DeleteSaltsBefore(int64_t day) override {
    std::lock_guard lock(mu_);
    Statement st(db_, "DELETE FROM cookieless_salts WHERE day < ?1");
    if (!st.prepared()) return Error("delete salts");
    st.Bind(1, day);
    if (st.Step() != SQLITE_DONE) return Error("delete salts");
    return Status::Ok();
  }

 private:
  static Site ReadSite(Statement& st) {
    Site s;
    s.id = st.Text(0);
    s.domain = st.Text(1);
    s.timezone = st.Text(2);
    s.currency = st.Text(3);
    s.allowed_hostnames = SplitCommas(st.Text(4));
    s.created_at_micros = st.Int(5);
    return s;
  }

  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      Status s = Status::IoError(err ? err : sqlite3_errmsg(db_));
      sqlite3_free(err);
      return s;
    }
    return Status::Ok();
  }

  Status Error(std::string_view operation) { return Status::IoError(sqlite3_errmsg(db_)).WithContext(operation); }

  sqlite3* db_;
  std::mutex mu_;  // one connection, used by one thread at a time
};

}  // namespace

Result<std::unique_ptr<MetaStore>> OpenSqliteMetaStore(const std::string& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = Status::IoError(db ? sqlite3_errmsg(db) : "out of memory").WithContext("open " + path);
    sqlite3_close(db);
    return s;
  }
  // Another process (the CLI beside a running server) may hold the write
  // lock for a moment; wait instead of failing.
  sqlite3_busy_timeout(db, 5000);
  auto store = std::make_unique<SqliteMetaStore>(db);
  DF_RETURN_IF_ERROR(store->Init().WithContext("open " + path));
  return std::unique_ptr<MetaStore>(std::move(store));
}

}  // namespace datafast::store
