#include "app/commands.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <iostream>

#include "app/embedded_stores.h"
#include "auth/accounts.h"
#include "auth/api_keys.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/json_text.h"
#include "store/site_rules.h"

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
  auto stores = OpenEmbeddedStores(args.data_dir, WithEvents::kNo);
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

int SiteList(const std::string& data_dir) {
  auto stores = OpenEmbeddedStores(data_dir, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  auto sites = stores->meta->ListSites();
  if (!sites.ok()) return Fail(sites.status());
  for (const store::Site& s : *sites) {
    std::cout << s.id << '\t' << s.domain << '\t' << s.timezone << '\t' << s.currency << '\n';
  }
  return 0;
}

int UserCreate(const UserArgs& args) {
  auto stores = OpenEmbeddedStores(args.data_dir, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  auto mailer = auth::NewLogMailer();
  auth::Accounts accounts(*stores->meta, core::SystemClock(), *mailer, {});
  auto user = accounts.CreateUser(args.email, args.password);
  if (!user.ok()) return Fail(user.status());
  std::cout << user->id << std::endl;
  return 0;
}

int UserResetPassword(const UserArgs& args) {
  auto stores = OpenEmbeddedStores(args.data_dir, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  auto mailer = auth::NewLogMailer();
  auth::Accounts accounts(*stores->meta, core::SystemClock(), *mailer, {});
  if (Status s = accounts.SetPassword(args.email, args.password); !s.ok()) return Fail(s);
  return 0;
}

int KeyCreate(const KeyCreateArgs& args) {
  auto stores = OpenEmbeddedStores(args.data_dir, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  auto site = stores->meta->FindSite(args.site_id);
  if (!site.ok()) return Fail(site.status());
  if (!*site) return Fail(Status::NotFound("no site " + args.site_id));
  auto key = auth::CreateApiKey(*stores->meta, core::SystemClock(), args.site_id, "", args.name, {});
  if (!key.ok()) return Fail(key.status());
  std::cout << key->secret << std::endl;
  return 0;
}

int KeyList(const std::string& data_dir, const std::string& site_id) {
  auto stores = OpenEmbeddedStores(data_dir, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  auto keys = stores->meta->ListApiKeysOfSite(site_id);
  if (!keys.ok()) return Fail(keys.status());
  for (const store::ApiKey& key : *keys) {
    std::cout << key.id << '\t' << key.prefix << '\t' << key.name << '\t'
              << (key.last_used_at_micros ? core::FormatIsoTime(key.last_used_at_micros) : "never") << '\n';
  }
  return 0;
}

int KeyRevoke(const std::string& data_dir, const std::string& site_id, const std::string& key_id) {
  auto stores = OpenEmbeddedStores(data_dir, WithEvents::kNo);
  if (!stores.ok()) return Fail(stores.status());
  if (Status s = stores->meta->RevokeApiKey(site_id, key_id, core::SystemClock().NowMicros()); !s.ok()) return Fail(s);
  return 0;
}

int ExportEvents(const std::string& data_dir, const std::string& site_id) {
  auto stores = OpenEmbeddedStores(data_dir, WithEvents::kYes);
  if (!stores.ok()) return Fail(stores.status());
  auto site = stores->meta->FindSite(site_id);
  if (!site.ok()) return Fail(site.status());
  if (!site->has_value()) return Fail(Status::NotFound("no website has the id " + site_id));
  Status s = stores->events->ForEachEvent(site_id, [](const store::Event& e) {
    boost::json::object o;
    o["event_id"] = e.event_id;
    o["ts"] = e.ts_micros;
    o["type"] = store::ToString(e.type);
    o["visitor_id"] = e.visitor_id;
    o["session_id"] = e.session_id;
    o["hostname"] = e.hostname;
    o["pathname"] = e.pathname;
    o["referrer"] = e.referrer;
    o["referrer_domain"] = e.referrer_domain;
    o["source"] = e.source;
    o["channel"] = e.channel;
    o["utm_source"] = e.utm_source;
    o["utm_medium"] = e.utm_medium;
    o["utm_campaign"] = e.utm_campaign;
    o["utm_term"] = e.utm_term;
    o["utm_content"] = e.utm_content;
    o["ref"] = e.ref_param;
    o["source_param"] = e.source_param;
    o["via"] = e.via_param;
    o["click_id"] = e.click_id;
    o["goal_name"] = e.goal_name;
    o["goal_params"] =
        e.goal_params.empty() ? boost::json::value(boost::json::object()) : boost::json::parse(e.goal_params);
    o["outbound_url"] = e.outbound_url;
    o["payment_provider"] = e.payment_provider;
    o["payment_id"] = e.payment_id;
    o["country"] = e.country;
    o["region"] = e.region;
    o["city"] = e.city;
    o["browser"] = e.browser;
    o["browser_version"] = e.browser_version;
    o["os"] = e.os;
    o["os_version"] = e.os_version;
    o["device"] = e.device;
    o["screen_width"] = e.screen_width;
    o["language"] = e.language;
    std::cout << core::WriteJson(o) << '\n';
  });
  if (!s.ok()) return Fail(s);
  std::cout.flush();
  return 0;
}

}  // namespace datafast::app
