// One Options tree for the server, filled from command-line flags, then
// DATAFAST_* environment variables (src/app/main.cc wires both), validated
// once at start-up. Nothing reads configuration from globals afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace datafast::config {

struct Options {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT
  std::string data_dir = "./datafast-data";
  // Peers whose X-Forwarded-For / x-datafast-real-ip are believed.
  std::vector<std::string> trusted_proxies = {"127.0.0.0/8", "::1/128"};
  // mmdb files for IP geolocation; empty disables it.
  std::vector<std::string> geo_db;
  size_t queue_capacity = 100'000;
  // How much of the ingest log may wait for the event store on disk while
  // it is behind or away (ingest/event_writer.h).
  uint64_t spool_max_bytes = uint64_t{4} << 30;
  size_t max_batch = 5'000;
  unsigned threads = 0;  // 0: one per core
  std::string log_level = "info";
  // The address users reach this server at (links in mails, Secure cookies
  // when it is https); empty: http://LISTEN.
  std::string public_url;
  // After the owner signs up, anyone may sign up (hosted operators);
  // otherwise by invitation only.
  bool open_signup = false;
  // Outgoing mail; without an SMTP URL, mails go to the log.
  std::string smtp_url;  // smtp://host:587 or smtps://host:465
  std::string smtp_user;
  std::string smtp_password;
  std::string mail_from;
  // 64 hex digits, the same on every instance (auth/server_key.h); empty:
  // DATA_DIR/secret.key, created on first start.
  std::string secret_key;
  // Stripe Billing (hosted operators); off without a secret key.
  std::string stripe_secret_key;
  std::string stripe_webhook_secret;
  std::string stripe_api_url = "https://api.stripe.com";
  // The other payment providers' APIs (sites' connections); Shopify's holds
  // "{shop}", the shop's domain.
  std::string lemonsqueezy_api_url = "https://api.lemonsqueezy.com";
  std::string polar_api_url = "https://api.polar.sh";
  std::string shopify_api_url = "https://{shop}";
  // The MetaStore in PostgreSQL (postgres://…) for several instances; "":
  // SQLite in the data directory (app/stores.h).
  std::string meta_url;
  // The events in ClickHouse (clickhouse://…); "": DuckDB in the data
  // directory (app/stores.h).
  std::string events_url;
  // The X API, for the text and engagement of sites' registered posts; off
  // without a bearer token (revenue/x_posts.h).
  std::string x_api_url = "https://api.x.com";
  std::string x_api_token;
  // A JSON file listing the plans and their limits (src/manage/plans.h);
  // empty: one unlimited self-hosted plan.
  std::string plans_file;
  // How often usage is recounted (limits, warnings); seconds.
  int usage_interval_seconds = 60;
  // Requests a minute each API key may make to /api/v1.
  int api_rate_limit = 100;

  // Filled by Validate().
  std::string listen_host;
  uint16_t listen_port = 0;
};

// The mmdb files installed with the build (DB-IP city, IPv4 and IPv6).
std::vector<std::string> DefaultGeoDatabases();

// Checks every field and fills the derived ones. Messages name the flag.
Status Validate(Options& options);

}  // namespace datafast::config
