// The command-line subcommands besides `serve`: sites, users, keys, export.
// Each prints its result on standard output (scripts read it) and errors on
// standard error, and returns the process exit code.
#pragma once

#include <string>
#include <vector>

#include "app/stores.h"
#include "config/options.h"

namespace datafast::app {

struct SiteCreateArgs {
  StoreConfig stores;
  std::string domain;
  std::string timezone = "UTC";
  std::string currency = "USD";
  std::vector<std::string> allowed_hostnames;
};

// Prints the new site's id alone on a line.
int SiteCreate(const SiteCreateArgs& args);
// Prints one line per site: id, domain, time zone, currency.
int SiteList(const StoreConfig& config);
struct UserArgs {
  StoreConfig stores;
  std::string email;
  std::string password;
};
// Prints the new user's id; the first user owns the sites made so far.
int UserCreate(const UserArgs& args);
// Sets the password and revokes every session of the user.
int UserResetPassword(const UserArgs& args);

struct KeyCreateArgs {
  StoreConfig stores;
  std::string site_id;
  std::string name = "command line";
};
// Prints the new df_… key alone on a line; only its hash is kept.
int KeyCreate(const KeyCreateArgs& args);
// Prints one line per active key of the site: id, prefix, name, last used.
int KeyList(const StoreConfig& config, const std::string& site_id);
// Revokes the key: it gets 401 from the next request on.
int KeyRevoke(const StoreConfig& config, const std::string& site_id, const std::string& key_id);

// Prints the site's events as JSON lines, in time order. Needs the events
// database, so it cannot run beside a running server.
int ExportEvents(const StoreConfig& config, const std::string& site_id);

// Stores the events of a JSON-lines file (store/event_json.h) for the site
// in one transaction and prints how many; a bad line stores none. For
// moving data in, seeding tests and benchmarks. Cannot run beside a server.
int ImportEvents(const StoreConfig& config, const std::string& site_id, const std::string& path);

// Copies the embedded install in `config.data_dir` (SQLite accounts, DuckDB
// events) into PostgreSQL (`config.meta_url`, required) and, with
// `config.events_url`, ClickHouse. Table by table and site by site, with progress
// on standard error; what is there already is kept, so an interrupted run
// resumes; every count is checked at the end of its table or site. Needs
// the events database, so it cannot run beside a running server.
int Migrate(const StoreConfig& config);

// Loads exchange rates from a CSV file (revenue/exchange_rates.h) and prints
// how many; the server may be running, and settles the payments that waited
// for them within a minute.
int RatesImport(const StoreConfig& config, const std::string& path);

// Imports past payments of a site through its connection to `provider`
// (revenue/backfill.h), with the server stopped: progress on standard error,
// then the number of payments the provider reported on standard output.
int PaymentsBackfill(const config::Options& options, const std::string& site_id, const std::string& provider, int days);

}  // namespace datafast::app
