#include "app/commands.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "app/stores.h"
#include "auth/accounts.h"
#include "auth/api_keys.h"
#include "auth/secret_box.h"
#include "auth/server_key.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/json_text.h"
#include "core/metrics.h"
#include "ingest/event_writer.h"
#include "ingest/ingest_log.h"
#include "revenue/backfill.h"
#include "revenue/exchange_rates.h"
#include "store/clickhouse/clickhouse_event_store.h"
#include "store/event_json.h"
#include "store/postgres/postgres_meta_store.h"
#include "store/site_rules.h"
#include "store/sql/sql_meta_store.h"
#include "store/sqlite/sqlite_meta_store.h"

namespace datafast::app {
namespace {

int Fail(const Status& status) {
  std::cerr << "error: " << status.message() << std::endl;
  return 1;
}

}  // namespace

int SiteCreate(const SiteCreateArgs& args) {
  store::Site site;
  site.id = core::NewSiteId();
  auto domain = store::NormalizeDomain(args.domain);
  if (!domain.ok()) return Fail(domain.status());
  site.domain = *domain;
  if (Status s = store::CheckTimezone(args.timezone); !s.ok()) return Fail(s);
  site.timezone = args.timezone;
  if (Status s = store::CheckCurrency(args.currency); !s.ok()) return Fail(s);
  site.currency = args.currency;
  for (const std::string& host : args.allowed_hostnames) {
    auto normalized = store::NormalizeDomain(host);
    if (!normalized.ok()) return Fail(normalized.status());
    site.allowed_hostnames.push_back(*normalized);
  }
  site.created_at_micros = core::SystemClock().NowMicros();
  auto stores = OpenStores(args.stores, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  // Once someone has signed up, new sites belong to the owner's account;
  // before, the owner adopts them at sign-up.
  auto accounts = stores->meta->ListAccounts();
  if (!accounts.ok()) return Fail(accounts.status());
  if (!accounts->empty()) site.account_id = accounts->front().id;
  if (Status s = stores->meta->CreateSite(site); !s.ok()) return Fail(s);
  std::cout << site.id << std::endl;
  return 0;
}

int SiteList(const StoreConfig& config) {
  auto stores = OpenStores(config, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  auto sites = stores->meta->ListSites();
  if (!sites.ok()) return Fail(sites.status());
  for (const store::Site& s : *sites) {
    std::cout << s.id << '\t' << s.domain << '\t' << s.timezone << '\t' << s.currency << '\n';
  }
  return 0;
}

int UserCreate(const UserArgs& args) {
  auto stores = OpenStores(args.stores, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  auto mailer = auth::NewLogMailer();
  auth::Accounts accounts(*stores->meta, core::SystemClock(), *mailer, {});
  auto user = accounts.CreateUser(args.email, args.password);
  if (!user.ok()) return Fail(user.status());
  std::cout << user->id << std::endl;
  return 0;
}

int UserResetPassword(const UserArgs& args) {
  auto stores = OpenStores(args.stores, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  auto mailer = auth::NewLogMailer();
  auth::Accounts accounts(*stores->meta, core::SystemClock(), *mailer, {});
  if (Status s = accounts.SetPassword(args.email, args.password); !s.ok()) return Fail(s);
  return 0;
}

int KeyCreate(const KeyCreateArgs& args) {
  auto stores = OpenStores(args.stores, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  auto site = stores->meta->FindSite(args.site_id);
  if (!site.ok()) return Fail(site.status());
  if (!*site) return Fail(Status::NotFound("no site " + args.site_id));
  auto key = auth::CreateApiKey(*stores->meta, core::SystemClock(), args.site_id, "", args.name, {});
  if (!key.ok()) return Fail(key.status());
  std::cout << key->secret << std::endl;
  return 0;
}

int KeyList(const StoreConfig& config, const std::string& site_id) {
  auto stores = OpenStores(config, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  auto keys = stores->meta->ListApiKeysOfSite(site_id);
  if (!keys.ok()) return Fail(keys.status());
  for (const store::ApiKey& key : *keys) {
    std::cout << key.id << '\t' << key.prefix << '\t' << key.name << '\t'
              << (key.last_used_at_micros ? core::FormatIsoTime(key.last_used_at_micros) : "never") << '\n';
  }
  return 0;
}

int KeyRevoke(const StoreConfig& config, const std::string& site_id, const std::string& key_id) {
  auto stores = OpenStores(config, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  if (Status s = stores->meta->RevokeApiKey(site_id, key_id, core::SystemClock().NowMicros()); !s.ok()) return Fail(s);
  return 0;
}

int ExportEvents(const StoreConfig& config, const std::string& site_id) {
  auto stores = OpenStores(config, WithEvents::kYes);
  if (!stores.ok()) return Fail(stores.status());
  auto site = stores->meta->FindSite(site_id);
  if (!site.ok()) return Fail(site.status());
  if (!site->has_value()) return Fail(Status::NotFound("no website has the id " + site_id));
  Status s = stores->events->ForEachEvent(
      site_id, [](const store::Event& e) { std::cout << core::WriteJson(store::EventToJson(e)) << '\n'; });
  if (!s.ok()) return Fail(s);
  std::cout.flush();
  return 0;
}

int ImportEvents(const StoreConfig& config, const std::string& site_id, const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(Status::NotFound("cannot read " + path));
  auto stores = OpenStores(config, WithEvents::kYes);
  if (!stores.ok()) return Fail(stores.status());
  auto site = stores->meta->FindSite(site_id);
  if (!site.ok()) return Fail(site.status());
  if (!site->has_value()) return Fail(Status::NotFound("no website has the id " + site_id));
  // All lines are checked before any is stored: a bad file stores nothing.
  std::vector<store::Event> events;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(line, ec);
    if (ec || !value.is_object()) {
      return Fail(Status::InvalidArgument(path + ":" + std::to_string(number) + ": not a JSON object"));
    }
    auto event = store::EventFromJson(value.get_object());
    if (!event.ok()) return Fail(event.status().WithContext(path + ":" + std::to_string(number)));
    event->site_id = site_id;
    events.push_back(std::move(*event));
  }
  if (Status s = stores->events->Append(events); !s.ok()) return Fail(s);
  std::cout << events.size() << '\n';
  return 0;
}

int Migrate(const StoreConfig& config) {
  const std::string& events_url = config.events_url;
  if (config.meta_url.empty()) return Fail(Status::InvalidArgument("--meta: the PostgreSQL to copy into is required"));
  if (Status s = CheckStoreConfig(config); !s.ok()) return Fail(s);
  auto from = store::OpenSqliteConnection((std::filesystem::path(config.data_dir) / "meta.sqlite").string());
  if (!from.ok()) return Fail(from.status());
  auto to = store::OpenPostgresConnection(config.meta_url);
  if (!to.ok()) return Fail(to.status());
  for (store::sql::Connection* db : {from->get(), to->get()}) {
    if (Status s = store::MigrateSchema(*db); !s.ok()) return Fail(s);
  }
  Status copied = store::CopyMetaStore(**from, **to, [](std::string_view table, int64_t rows) {
    std::cerr << "accounts: " << table << ", " << rows << " rows" << std::endl;
  });
  if (!copied.ok()) return Fail(copied);
  if (events_url.empty()) return 0;

  auto stores = OpenStores({config.data_dir, "", ""}, WithEvents::kYes);
  if (!stores.ok()) return Fail(stores.status());
  auto target = store::OpenClickHouseEventStore(events_url);
  if (!target.ok()) return Fail(target.status());
  auto sites = stores->meta->ListSites();
  if (!sites.ok()) return Fail(sites.status());
  constexpr size_t kBatch = 50'000;
  for (const store::Site& site : *sites) {
    auto here = stores->events->CountEvents(site.id);
    auto there = (*target)->CountEvents(site.id);
    if (!here.ok() || !there.ok()) return Fail(!here.ok() ? here.status() : there.status());
    if (*here != *there) {
      // A site cut off halfway is copied again whole: events have no key
      // ClickHouse would keep them unique by.
      if (*there > 0) {
        if (auto deleted = (*target)->DeleteSiteEvents(site.id); !deleted.ok()) return Fail(deleted.status());
      }
      std::vector<store::Event> batch;
      Status status;
      uint64_t sent = 0;
      auto flush = [&] {
        if (status.ok() && !batch.empty()) status = (*target)->Append(batch);
        sent += batch.size();
        batch.clear();
        if (status.ok()) std::cerr << "events: " << site.id << ", " << sent << " of " << *here << std::endl;
      };
      Status read = stores->events->ForEachEvent(site.id, [&](const store::Event& e) {
        batch.push_back(e);
        if (batch.size() == kBatch) flush();
      });
      flush();
      if (!read.ok()) return Fail(read);
      if (!status.ok()) return Fail(status);
      there = (*target)->CountEvents(site.id);
      if (!there.ok()) return Fail(there.status());
    }
    if (*here != *there) {
      return Fail(Status::Internal(site.id + " has " + std::to_string(*here) + " events here and " +
                                   std::to_string(*there) + " in ClickHouse"));
    }
    std::cerr << "events: " << site.id << ", " << *here << " events" << std::endl;
  }
  return 0;
}

int RatesImport(const StoreConfig& config, const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(Status::NotFound("cannot read " + path));
  std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto rates = revenue::ParseExchangeRates(csv);
  if (!rates.ok()) return Fail(rates.status().WithContext(path));
  auto stores = OpenStores(config, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  if (Status s = stores->meta->PutExchangeRates(*rates); !s.ok()) return Fail(s);
  std::cout << rates->size() << '\n';
  return 0;
}

int PaymentsBackfill(const config::Options& options, const std::string& site_id, const std::string& provider_id,
                     int days) {
  const revenue::Provider* provider = revenue::FindProvider(provider_id);
  if (!provider) return Fail(Status::InvalidArgument("--provider must be stripe, lemonsqueezy, polar or shopify"));
  auto stores = OpenStores({options.data_dir, options.meta_url, options.events_url}, WithEvents::kYes);
  if (!stores.ok()) return Fail(stores.status());
  auto site = stores->meta->FindSite(site_id);
  if (!site.ok()) return Fail(site.status());
  if (!site->has_value()) return Fail(Status::NotFound("no website has the id " + site_id));
  auto server_key = auth::ServerKey::Load(options.secret_key, options.data_dir);
  if (!server_key.ok()) return Fail(server_key.status());
  auto log = ingest::IngestLog::Open(IngestLogDir(options.data_dir));
  if (!log.ok()) return Fail(log.status());
  core::MetricsRegistry metrics;
  ingest::EventWriter writer(*stores->events, **log, {}, metrics);
  const core::Clock& clock = core::SystemClock();
  revenue::PaymentRecorder recorder(
      {stores->meta.get(), stores->events.get(), &writer, &clock, server_key->Derive("email-hash")});
  revenue::Connections connections(*stores->meta, clock, auth::SecretBox(server_key->Derive("connection-secrets")),
                                   {.stripe = options.stripe_api_url,
                                    .lemonsqueezy = options.lemonsqueezy_api_url,
                                    .polar = options.polar_api_url,
                                    .shopify = options.shopify_api_url},
                                   "");
  revenue::Backfills backfills(*stores->meta, connections, recorder, clock);
  auto done = backfills.Run(**site, *provider, days, [](const store::Backfill& b) {
    std::cerr << b.state << ": " << b.pages << " pages, " << b.payments << " payments" << std::endl;
  });
  writer.Stop();  // everything recorded is in the store before the command ends
  if (!done.ok()) return Fail(done.status());
  if (done->state != "done")
    return Fail(Status::Unavailable("the import stopped: " + done->error + "; run the command again to resume"));
  std::cout << done->payments << '\n';
  return 0;
}

}  // namespace datafast::app
