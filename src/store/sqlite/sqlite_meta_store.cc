#include "store/sqlite/sqlite_meta_store.h"

#include <sqlite3.h>

#include "store/sql/sql_meta_store.h"

namespace datafast::store {
namespace {

class SqliteRow final : public sql::Row {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  std::string Text(int column) const override {
    const unsigned char* t = sqlite3_column_text(stmt_, column);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, column)) : std::string();
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const override { return sqlite3_column_double(stmt_, column); }
  int columns() const override { return sqlite3_column_count(stmt_); }
  sql::Value Get(int column) const override {
    switch (sqlite3_column_type(stmt_, column)) {
      case SQLITE_INTEGER:
        return Int(column);
      case SQLITE_FLOAT:
        return Double(column);
      case SQLITE_NULL:
        return sql::Value();
      default:
        return std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column)),
                                sqlite3_column_bytes(stmt_, column));
    }
  }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public sql::Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override { sqlite3_close(db_); }

  std::string_view backend() const override { return "sqlite"; }
  bool shared() const override { return false; }

  Result<int64_t> Execute(std::string_view sql, std::span<const sql::Value> params,
                          const std::function<void(const sql::Row&)>& on_row) override {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
      return Status::IoError(sqlite3_errmsg(db_));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      if (const auto* text = std::get_if<std::string_view>(&params[i])) {
        sqlite3_bind_text(stmt, index, text->data(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
      } else if (const auto* whole = std::get_if<int64_t>(&params[i])) {
        sqlite3_bind_int64(stmt, index, *whole);
      } else if (const auto* real = std::get_if<double>(&params[i])) {
        sqlite3_bind_double(stmt, index, *real);
      } else {
        sqlite3_bind_null(stmt, index);
      }
    }
    SqliteRow row(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (on_row) on_row(row);
    }
    Status status;
    if (rc == SQLITE_CONSTRAINT) {
      status = Status::Conflict(sqlite3_errmsg(db_));
    } else if (rc != SQLITE_DONE) {
      status = Status::IoError(sqlite3_errmsg(db_));
    }
    sqlite3_finalize(stmt);
    if (!status.ok()) return status;
    return int64_t{sqlite3_changes(db_)};
  }

  Status ExecuteScript(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      Status s = Status::IoError(err ? err : sqlite3_errmsg(db_));
      sqlite3_free(err);
      return s;
    }
    return Status::Ok();
  }

  Status Begin() override { return ExecuteScript("BEGIN IMMEDIATE"); }

 private:
  sqlite3* db_;
};

}  // namespace

Result<std::unique_ptr<sql::Connection>> OpenSqliteConnection(const std::string& path) {
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = Status::IoError(db ? sqlite3_errmsg(db) : "out of memory").WithContext("open " + path);
    sqlite3_close(db);
    return s;
  }
  auto connection = std::make_unique<SqliteConnection>(db);
  // Another process (the CLI beside a running server) may hold the write
  // lock for a moment; wait instead of failing.
  sqlite3_busy_timeout(db, 5000);
  DF_RETURN_IF_ERROR(
      connection->ExecuteScript("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
          .WithContext("open " + path));
  return std::unique_ptr<sql::Connection>(std::move(connection));
}

Result<std::unique_ptr<MetaStore>> OpenSqliteMetaStore(const std::string& path) {
  auto connection = OpenSqliteConnection(path);
  if (!connection.ok()) return connection.status();
  auto store = OpenSqlMetaStore(std::move(*connection));
  if (!store.ok()) return store.status().WithContext("open " + path);
  return store;
}

}  // namespace datafast::store
