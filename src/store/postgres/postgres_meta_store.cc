#include "store/postgres/postgres_meta_store.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <vector>

#include "core/log.h"
#include "store/sql/sql_meta_store.h"

namespace datafast::store {
namespace {

// Type oids of the parameters (pg_type.h): typed, so that a number compared
// with a literal is never taken for a 32-bit integer.
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kInt8 = 20;
constexpr Oid kText = 25;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;

// ?1, ?2, … as $1, $2, …, leaving quoted text alone.
std::string Placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'') quoted = !quoted;
    bool placeholder = !quoted && c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9';
    out.push_back(placeholder ? '$' : c);
  }
  return out;
}

class PostgresRow final : public sql::Row {
 public:
  PostgresRow(PGresult* result, int row) : result_(result), row_(row) {}
  std::string Text(int column) const override {
    return std::string(PQgetvalue(result_, row_, column), PQgetlength(result_, row_, column));
  }
  int64_t Int(int column) const override { return std::strtoll(PQgetvalue(result_, row_, column), nullptr, 10); }
  double Double(int column) const override { return std::strtod(PQgetvalue(result_, row_, column), nullptr); }
  int columns() const override { return PQnfields(result_); }
  sql::Value Get(int column) const override {
    if (PQgetisnull(result_, row_, column)) return sql::Value();
    switch (PQftype(result_, column)) {
      case kInt2:
      case kInt4:
      case kInt8:
        return Int(column);
      case kFloat4:
      case kFloat8:
        return Double(column);
      default:
        return std::string_view(PQgetvalue(result_, row_, column), PQgetlength(result_, row_, column));
    }
  }

 private:
  PGresult* result_;
  int row_;
};

class PostgresConnection final : public sql::Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) { Quiet(); }
  ~PostgresConnection() override { PQfinish(conn_); }

  std::string_view backend() const override { return "postgres"; }
  bool shared() const override { return true; }

  Result<int64_t> Execute(std::string_view sql, std::span<const sql::Value> params,
                          const std::function<void(const sql::Row&)>& on_row) override {
    DF_RETURN_IF_ERROR(Connected());
    std::vector<Oid> types;
    std::vector<std::string> texts;
    std::vector<const char*> values;
    texts.reserve(params.size());
    for (const sql::Value& v : params) {
      if (const auto* text = std::get_if<std::string_view>(&v)) {
        types.push_back(kText);
        texts.emplace_back(*text);
      } else if (const auto* whole = std::get_if<int64_t>(&v)) {
        types.push_back(kInt8);
        texts.push_back(std::to_string(*whole));
      } else if (const auto* real = std::get_if<double>(&v)) {
        types.push_back(kFloat8);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *real);
        texts.emplace_back(buf);
      } else {
        types.push_back(0);
        texts.emplace_back();
      }
    }
    for (size_t i = 0; i < params.size(); ++i) {
      values.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr : texts[i].c_str());
    }
    std::string text = Placeholders(sql);
    PGresult* result = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), types.data(), values.data(),
                                    nullptr, nullptr, 0);
    Status status = Check(result);
    if (status.ok() && on_row) {
      for (int row = 0; row < PQntuples(result); ++row) on_row(PostgresRow(result, row));
    }
    int64_t changed = status.ok() ? std::strtoll(PQcmdTuples(result), nullptr, 10) : 0;
    PQclear(result);
    if (!status.ok()) return status;
    return changed;
  }

  Status ExecuteScript(std::string_view sql) override {
    DF_RETURN_IF_ERROR(Connected());
    PGresult* result = PQexec(conn_, std::string(sql).c_str());
    Status status = Check(result);
    PQclear(result);
    return status;
  }

  Status Begin() override { return ExecuteScript("BEGIN"); }

 private:
  // The server's notices (a table that exists already…) are not errors.
  void Quiet() {
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }

  // Connects again after the connection broke (a server restart).
  Status Connected() {
    if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) return Down(PQerrorMessage(conn_));
    Quiet();
    if (down_) core::LogInfo("PostgreSQL is back", {});
    down_ = false;
    return Status::Ok();
  }

  // The client learns the store is away; the log, once per outage, why.
  Status Down(std::string why) {
    while (!why.empty() && why.back() == '\n') why.pop_back();
    if (!down_) core::LogWarn("PostgreSQL is unavailable", {{"error", why}});
    down_ = true;
    return Status::Unavailable("the accounts database is unavailable; retry shortly");
  }

  Status Check(PGresult* result) {
    ExecStatusType state = PQresultStatus(result);
    if (state == PGRES_COMMAND_OK || state == PGRES_TUPLES_OK) return Status::Ok();
    std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    if (PQstatus(conn_) != CONNECTION_OK) return Down(message);
    const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    // Class 23: integrity constraint violations (unique, foreign key, check).
    if (sqlstate && std::string_view(sqlstate).starts_with("23")) return Status::Conflict(message);
    return Status::IoError(message);
  }

  PGconn* conn_;
  bool down_ = false;  // the last call found the server away
};

}  // namespace

Result<std::unique_ptr<sql::Connection>> OpenPostgresConnection(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    // The message names the host and the reason, never the password.
    Status s = Status::Unavailable("cannot connect to PostgreSQL: " + std::string(PQerrorMessage(conn)));
    PQfinish(conn);
    return s;
  }
  return std::unique_ptr<sql::Connection>(std::make_unique<PostgresConnection>(conn));
}

Result<std::unique_ptr<MetaStore>> OpenPostgresMetaStore(const std::string& url) {
  auto connection = OpenPostgresConnection(url);
  if (!connection.ok()) return connection.status();
  return OpenSqlMetaStore(std::move(*connection));
}

}  // namespace datafast::store
