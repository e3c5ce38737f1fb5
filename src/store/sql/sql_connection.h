// One connection to a relational database, as the relational MetaStore
// (store/sql/sql_meta_store.h) uses it: SQLite embedded, PostgreSQL at
// scale. Statements are written once, in the SQL both accept, with
// placeholders ?1, ?2, …; a backend rewrites them as it needs. Not
// thread-safe: its user serialises calls.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "core/status.h"

namespace datafast::store::sql {

// A parameter: NULL (std::monostate), text, a whole number or a double.
using Value = std::variant<std::monostate, std::string_view, int64_t, double>;

// A row of a result; NULL reads as "" or 0.
class Row {
 public:
  virtual ~Row() = default;
  virtual std::string Text(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual double Double(int column) const = 0;
  // Columns as they come, for copying rows whatever their table: text is
  // valid until the row is left.
  virtual int columns() const = 0;
  virtual Value Get(int column) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;

  // "sqlite" or "postgres": whose migrations (sql/<backend>/) build its
  // schema.
  virtual std::string_view backend() const = 0;
  // Whether other processes may use the database at the same time.
  virtual bool shared() const = 0;

  // Runs one statement with `params` bound to ?1, ?2, …, calls `on_row` (if
  // any) for each row it returns, and returns how many rows it changed.
  // kConflict when it would break a constraint (a unique key, a reference);
  // kUnavailable when the database cannot be reached, after which the next
  // call connects again.
  virtual Result<int64_t> Execute(std::string_view sql, std::span<const Value> params,
                                  const std::function<void(const Row&)>& on_row) = 0;

  // Runs statements without parameters, one after the other (migrations,
  // COMMIT, ROLLBACK).
  virtual Status ExecuteScript(std::string_view sql) = 0;

  // Starts a transaction that writes: SQLite takes its write lock at once, so
  // two writers never deadlock upgrading a read.
  virtual Status Begin() = 0;
};

}  // namespace datafast::store::sql
