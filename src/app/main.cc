// The datafast binary: `serve`, `site create|list`, `user create|reset-password`,
// `key create|list|revoke`, `export`, `import`, `rates import`, `payments backfill`. Every flag can
// also come from a DATAFAST_* environment variable; a flag wins over the
// environment.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.h"
#include "app/serve.h"
#include "config/options.h"

int main(int argc, char** argv) {
  using datafast::config::Options;
  CLI::App app{"DataFast: revenue-first web analytics", "datafast"};
  app.require_subcommand(1);

  Options serve_options;
  serve_options.geo_db = datafast::config::DefaultGeoDatabases();
  auto* serve = app.add_subcommand("serve", "Run the server");
  serve->add_option("--listen", serve_options.listen, "HOST:PORT to listen on")
      ->envname("DATAFAST_LISTEN")
      ->capture_default_str();
  serve->add_option("--data-dir", serve_options.data_dir, "Directory of the embedded stores")
      ->envname("DATAFAST_DATA_DIR")
      ->capture_default_str();
  serve
      ->add_option("--meta", serve_options.meta_url,
                   "PostgreSQL URL of the accounts store (default: SQLite in the data dir)")
      ->envname("DATAFAST_META");
  serve
      ->add_option(
          "--events", serve_options.events_url,
          "ClickHouse URL of the events store, clickhouse://host:8123/database[?cluster=NAME] (default: DuckDB in "
          "the data dir)")
      ->envname("DATAFAST_EVENTS");
  serve
      ->add_option("--trusted-proxies", serve_options.trusted_proxies,
                   "Comma-separated addresses or CIDR ranges whose X-Forwarded-For is believed")
      ->envname("DATAFAST_TRUSTED_PROXIES")
      ->delimiter(',')
      ->capture_default_str();
  serve->add_option("--geo-db", serve_options.geo_db, "Comma-separated mmdb files for geolocation ('' disables)")
      ->envname("DATAFAST_GEO_DB")
      ->delimiter(',')
      ->capture_default_str();
  serve->add_option("--queue-capacity", serve_options.queue_capacity, "Events waiting for commit before 503")
      ->envname("DATAFAST_QUEUE_CAPACITY")
      ->capture_default_str();
  serve
      ->add_option("--spool-max-bytes", serve_options.spool_max_bytes,
                   "Bytes of the ingest log that may wait on disk for a slow or absent event store before 503")
      ->envname("DATAFAST_SPOOL_MAX_BYTES")
      ->capture_default_str();
  serve->add_option("--max-batch", serve_options.max_batch, "Most events committed in one transaction")
      ->envname("DATAFAST_MAX_BATCH")
      ->capture_default_str();
  serve->add_option("--threads", serve_options.threads, "HTTP threads (0: one per core)")
      ->envname("DATAFAST_THREADS")
      ->capture_default_str();
  serve->add_option("--log-level", serve_options.log_level, "debug, info, warn or error")
      ->envname("DATAFAST_LOG_LEVEL")
      ->capture_default_str();
  serve->add_option("--public-url", serve_options.public_url, "URL users reach this server at, for links in mails")
      ->envname("DATAFAST_PUBLIC_URL");
  serve->add_option("--smtp-url", serve_options.smtp_url, "SMTP server for mail (default: mail goes to the log)")
      ->envname("DATAFAST_SMTP_URL");
  serve->add_option("--smtp-user", serve_options.smtp_user, "SMTP user name")->envname("DATAFAST_SMTP_USER");
  serve->add_option("--smtp-password", serve_options.smtp_password, "SMTP password")->envname("DATAFAST_SMTP_PASSWORD");
  serve->add_option("--mail-from", serve_options.mail_from, "Sender address of mails")->envname("DATAFAST_MAIL_FROM");
  // The server key and the payment providers' API URLs: `serve` and the
  // commands that call providers take the same flags.
  auto add_provider_options = [&serve_options](CLI::App* cmd) {
    cmd->add_option("--secret-key", serve_options.secret_key,
                    "The server's secret: 64 hex digits, the same on every instance (default: DATA_DIR/secret.key)")
        ->envname("DATAFAST_SECRET_KEY");
    cmd->add_option("--stripe-api-url", serve_options.stripe_api_url, "Base URL of the Stripe API")
        ->envname("DATAFAST_STRIPE_API_URL")
        ->capture_default_str();
    cmd->add_option("--lemonsqueezy-api-url", serve_options.lemonsqueezy_api_url, "Base URL of the Lemon Squeezy API")
        ->envname("DATAFAST_LEMONSQUEEZY_API_URL")
        ->capture_default_str();
    cmd->add_option("--polar-api-url", serve_options.polar_api_url, "Base URL of the Polar API")
        ->envname("DATAFAST_POLAR_API_URL")
        ->capture_default_str();
    cmd->add_option("--shopify-api-url", serve_options.shopify_api_url,
                    "Base URL of a shop's Shopify Admin API; {shop} stands for the shop's domain")
        ->envname("DATAFAST_SHOPIFY_API_URL")
        ->capture_default_str();
  };
  add_provider_options(serve);
  serve->add_option("--x-api-url", serve_options.x_api_url, "Base URL of the X API")
      ->envname("DATAFAST_X_API_URL")
      ->capture_default_str();
  serve
      ->add_option("--x-api-token", serve_options.x_api_token,
                   "X API bearer token, to show registered posts' text and engagement (default: off)")
      ->envname("DATAFAST_X_API_TOKEN");
  serve->add_option("--stripe-secret-key", serve_options.stripe_secret_key, "Stripe Billing secret key (sk_…)")
      ->envname("DATAFAST_STRIPE_SECRET_KEY");
  serve
      ->add_option("--stripe-webhook-secret", serve_options.stripe_webhook_secret,
                   "Signing secret of the Stripe Billing webhook (whsec_…)")
      ->envname("DATAFAST_STRIPE_WEBHOOK_SECRET");
  serve->add_option("--plans", serve_options.plans_file, "JSON file of plans and their limits (default: unlimited)")
      ->envname("DATAFAST_PLANS");
  serve
      ->add_option("--usage-interval", serve_options.usage_interval_seconds,
                   "Seconds between recounts of usage against plan limits")
      ->envname("DATAFAST_USAGE_INTERVAL")
      ->capture_default_str();
  serve->add_option("--api-rate-limit", serve_options.api_rate_limit, "Requests a minute per API key")
      ->envname("DATAFAST_API_RATE_LIMIT")
      ->capture_default_str();
  serve->add_flag("--open-signup", serve_options.open_signup, "Anyone may sign up (default: by invitation)")
      ->envname("DATAFAST_OPEN_SIGNUP");

  // Every command that opens the stores takes the same flags as serve.
  datafast::app::StoreConfig stores{Options{}.data_dir, "", ""};
  auto add_data_dir = [&stores](CLI::App* cmd) {
    cmd->add_option("--data-dir", stores.data_dir, "Directory of the embedded stores")
        ->envname("DATAFAST_DATA_DIR")
        ->capture_default_str();
    cmd->add_option("--meta", stores.meta_url, "PostgreSQL URL of the accounts store (default: SQLite in the data dir)")
        ->envname("DATAFAST_META");
    cmd->add_option("--events", stores.events_url,
                    "ClickHouse URL of the events store (default: DuckDB in the data dir)")
        ->envname("DATAFAST_EVENTS");
  };

  auto* site = app.add_subcommand("site", "Manage websites");
  site->require_subcommand(1);
  datafast::app::SiteCreateArgs create_args;
  auto* site_create = site->add_subcommand("create", "Add a website and print its id");
  site_create->add_option("--domain", create_args.domain, "Root domain, e.g. example.com")->required();
  site_create->add_option("--timezone", create_args.timezone, "IANA time zone of reports")->capture_default_str();
  site_create->add_option("--currency", create_args.currency, "ISO 4217 reporting currency")->capture_default_str();
  site_create
      ->add_option("--allowed-hostnames", create_args.allowed_hostnames,
                   "Comma-separated extra hosts tracked under this site")
      ->delimiter(',');
  add_data_dir(site_create);
  auto* site_list = site->add_subcommand("list", "List websites");
  add_data_dir(site_list);

  datafast::app::UserArgs user_args;
  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "Add a user (the first is the owner); prints the user id");
  user_create->add_option("--email", user_args.email, "Email address")->required();
  user_create->add_option("--password", user_args.password, "Password (else read from DATAFAST_PASSWORD)")
      ->envname("DATAFAST_PASSWORD");
  add_data_dir(user_create);
  auto* user_reset = user->add_subcommand("reset-password", "Set a user's password and sign them out everywhere");
  user_reset->add_option("--email", user_args.email, "Email address")->required();
  user_reset->add_option("--password", user_args.password, "New password (else read from DATAFAST_PASSWORD)")
      ->envname("DATAFAST_PASSWORD");
  add_data_dir(user_reset);

  datafast::app::KeyCreateArgs key_args;
  auto* key = app.add_subcommand("key", "Manage API keys");
  key->require_subcommand(1);
  auto* key_create = key->add_subcommand("create", "Create a site key and print it (shown only once)");
  key_create->add_option("--site", key_args.site_id, "Website id (dfid_…)")->required();
  key_create->add_option("--name", key_args.name, "A name to recognise the key by")->capture_default_str();
  add_data_dir(key_create);
  std::string key_site;
  std::string key_id;
  auto* key_list = key->add_subcommand("list", "List a site's active keys");
  key_list->add_option("--site", key_site, "Website id (dfid_…)")->required();
  add_data_dir(key_list);
  auto* key_revoke = key->add_subcommand("revoke", "Revoke a site key");
  key_revoke->add_option("--site", key_site, "Website id (dfid_…)")->required();
  key_revoke->add_option("--key", key_id, "Key id (key_…), as key list shows it")->required();
  add_data_dir(key_revoke);

  std::string export_site;
  auto* export_cmd = app.add_subcommand("export", "Print a site's events as JSON lines (server must be stopped)");
  export_cmd->add_option("--site", export_site, "Website id (dfid_…)")->required();
  add_data_dir(export_cmd);

  std::string import_site, import_file;
  auto* import_cmd = app.add_subcommand(
      "import", "Store events from a JSON-lines file, as export writes them (server must be stopped)");
  import_cmd->add_option("--site", import_site, "Website id (dfid_…)")->required();
  import_cmd->add_option("file", import_file, "The JSON-lines file")->required();
  add_data_dir(import_cmd);

  std::string backfill_site, backfill_provider;
  int backfill_days = 90;
  auto* payments = app.add_subcommand("payments", "Manage payments");
  payments->require_subcommand(1);
  auto* payments_backfill = payments->add_subcommand(
      "backfill",
      "Import past payments through a connected provider's API, resuming an unfinished import (server must be "
      "stopped); prints progress, then how many payments the provider reported");
  payments_backfill->add_option("--site", backfill_site, "Website id (dfid_…)")->required();
  payments_backfill->add_option("--provider", backfill_provider, "stripe, lemonsqueezy, polar or shopify")->required();
  payments_backfill->add_option("--days", backfill_days, "How many days back")->capture_default_str();
  add_provider_options(payments_backfill);
  add_data_dir(payments_backfill);

  auto* migrate = app.add_subcommand(
      "migrate",
      "Copy the embedded stores of --data-dir into PostgreSQL (--meta) and ClickHouse (--events), resuming a copy "
      "that stopped, and check the counts (server must be stopped)");
  add_data_dir(migrate);

  std::string rates_file;
  auto* rates = app.add_subcommand("rates", "Manage exchange rates");
  rates->require_subcommand(1);
  auto* rates_import = rates->add_subcommand(
      "import", "Load exchange rates from a CSV file with the header date,currency,per_usd; prints how many");
  rates_import->add_option("file", rates_file, "The CSV file")->required();
  add_data_dir(rates_import);

  CLI11_PARSE(app, argc, argv);

  if (serve->parsed()) {
    // CLI11 turns `--geo-db ''` into one empty entry: that means none.
    std::erase(serve_options.geo_db, "");
    if (auto s = datafast::config::Validate(serve_options); !s.ok()) {
      std::cerr << "error: " << s.message() << std::endl;
      return 2;
    }
    return datafast::app::Serve(serve_options);
  }
  if (site_create->parsed()) {
    create_args.stores = stores;
    return datafast::app::SiteCreate(create_args);
  }
  if (site_list->parsed()) return datafast::app::SiteList(stores);
  user_args.stores = stores;
  if (user_create->parsed()) return datafast::app::UserCreate(user_args);
  if (user_reset->parsed()) return datafast::app::UserResetPassword(user_args);
  if (key_list->parsed()) return datafast::app::KeyList(stores, key_site);
  if (key_revoke->parsed()) return datafast::app::KeyRevoke(stores, key_site, key_id);
  if (key_create->parsed()) {
    key_args.stores = stores;
    return datafast::app::KeyCreate(key_args);
  }
  if (export_cmd->parsed()) return datafast::app::ExportEvents(stores, export_site);
  if (import_cmd->parsed()) return datafast::app::ImportEvents(stores, import_site, import_file);
  if (rates_import->parsed()) return datafast::app::RatesImport(stores, rates_file);
  if (migrate->parsed()) return datafast::app::Migrate(stores);
  if (payments_backfill->parsed()) {
    serve_options.data_dir = stores.data_dir;
    serve_options.meta_url = stores.meta_url;
    serve_options.events_url = stores.events_url;
    return datafast::app::PaymentsBackfill(serve_options, backfill_site, backfill_provider, backfill_days);
  }
  return 2;
}
