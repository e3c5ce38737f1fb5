#include "app/serve.h"

#include <algorithm>
#include <boost/asio/signal_set.hpp>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "api/analytics_endpoints.h"
#include "api/payments_endpoints.h"
#include "api/v1_endpoints.h"
#include "app/stores.h"
#include "auth/accounts.h"
#include "auth/api_keys.h"
#include "auth/app_endpoints.h"
#include "auth/mailer.h"
#include "auth/secret_box.h"
#include "auth/server_key.h"
#include "core/embedded.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/current_thread.h"
#include "http/server.h"
#include "http/static_files.h"
#include "ingest/events_endpoint.h"
#include "manage/billing.h"
#include "manage/connection_endpoints.h"
#include "manage/dashboard_endpoints.h"
#include "manage/plans.h"
#include "manage/retention.h"
#include "manage/site_endpoints.h"
#include "manage/team_endpoints.h"
#include "manage/usage.h"
#include "manage/x_endpoints.h"
#include "revenue/success_pages.h"
#include "revenue/webhook_endpoint.h"

namespace datafast::app {
namespace {

namespace asio = boost::asio;
namespace beast_http = http::beast_http;

// Loads one of the embedded data files; they are part of the build, so a
// missing one is a build error surfacing at start.
Result<std::string_view> EmbeddedData(std::string_view path) {
  const core::EmbeddedFile* file = core::FindEmbedded(path);
  if (!file) return Status::Internal(std::string(path) + " is not embedded in this binary");
  return file->raw;
}

struct Enrichment {
  std::unique_ptr<ingest::UserAgentParser> user_agents;
  std::unique_ptr<ingest::BotFilter> bots;
  std::unique_ptr<ingest::ReferrerSpamList> spam;
  std::unique_ptr<ingest::SourceClassifier> sources;
  std::unique_ptr<ingest::GeoLocator> geo;
};

Result<Enrichment> LoadEnrichment(const config::Options& options) {
  Enrichment e;
  auto uap = EmbeddedData("data/uap-regexes.json");
  auto crawlers = EmbeddedData("data/crawler-user-agents.json");
  auto spam = EmbeddedData("data/referrer-spam.txt");
  auto referrers = EmbeddedData("data/referrers.json");
  auto extra = EmbeddedData("data/referrers-extra.json");
  for (const auto* r : {&uap, &crawlers, &spam, &referrers, &extra}) {
    if (!r->ok()) return r->status();
  }
  auto user_agents = ingest::UserAgentParser::Create(*uap);
  if (!user_agents.ok()) return user_agents.status().WithContext("user-agent rules");
  auto bots = ingest::BotFilter::Create(*crawlers);
  if (!bots.ok()) return bots.status().WithContext("crawler patterns");
  auto spam_list = ingest::ReferrerSpamList::Create(*spam);
  if (!spam_list.ok()) return spam_list.status().WithContext("referrer spam list");
  auto sources = ingest::SourceClassifier::Create(*referrers, *extra);
  if (!sources.ok()) return sources.status().WithContext("referrer database");
  auto geo = ingest::GeoLocator::Open(options.geo_db);
  if (!geo.ok()) return geo.status().WithContext("geolocation database");
  e.user_agents = std::move(*user_agents);
  e.bots = std::move(*bots);
  e.spam = std::move(*spam_list);
  e.sources = std::move(*sources);
  e.geo = std::move(*geo);
  return e;
}

core::LogLevel ParseLevel(const std::string& level) {
  if (level == "debug") return core::LogLevel::kDebug;
  if (level == "warn") return core::LogLevel::kWarn;
  if (level == "error") return core::LogLevel::kError;
  return core::LogLevel::kInfo;
}

// Periodic chores on a thread of its own, from construction until
// destruction, each first at start-up: usage and its limits, forgetting
// expired cookieless salts, deleting events past their site's retention.
// No connection waits for them.
class Housekeeping {
 public:
  struct Chore {
    std::chrono::seconds every;
    std::function<Status()> run;
  };
  explicit Housekeeping(std::vector<Chore> chores) : chores_(std::move(chores)), thread_([this] { Run(); }) {}
  ~Housekeeping() {
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

 private:
  void Run() {
    core::NameCurrentThread("housekeeping");
    using Clock = std::chrono::steady_clock;
    std::vector<Clock::time_point> due(chores_.size(), Clock::now());
    std::unique_lock lock(mu_);
    while (!stopped_) {
      lock.unlock();
      for (size_t i = 0; i < chores_.size(); ++i) {
        if (Clock::now() < due[i]) continue;
        if (Status s = chores_[i].run(); !s.ok()) core::LogWarn("housekeeping failed", {{"error", s.message()}});
        due[i] = Clock::now() + chores_[i].every;
      }
      lock.lock();
      wake_.wait_until(lock, *std::min_element(due.begin(), due.end()), [this] { return stopped_; });
    }
  }

  std::vector<Chore> chores_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopped_ = false;
  std::thread thread_;  // last: starts once the rest exists
};

}  // namespace

int Serve(const config::Options& options) {
  core::InitLogging(ParseLevel(options.log_level));
  auto stores = OpenStores({options.data_dir, options.meta_url, options.events_url}, WithEvents::kYes);
  if (!stores.ok()) {
    core::LogError("cannot open stores", {{"error", stores.status().message()}});
    return 1;
  }
  auto enrichment = LoadEnrichment(options);
  if (!enrichment.ok()) {
    core::LogError("cannot load enrichment data", {{"error", enrichment.status().message()}});
    return 1;
  }
  auto proxies = http::ProxyTrust::Parse(options.trusted_proxies);
  if (!proxies.ok()) {
    core::LogError("invalid configuration", {{"error", proxies.status().message()}});
    return 1;
  }

  const core::Clock& clock = core::SystemClock();
  manage::Plans plans;
  if (!options.plans_file.empty()) {
    auto loaded = manage::Plans::Load(options.plans_file);
    if (!loaded.ok()) {
      core::LogError("invalid configuration", {{"error", loaded.status().message()}});
      return 1;
    }
    plans = std::move(*loaded);
  }

  // The listener first: links in mails need the address it got.
  http::Router router;  // filled below; the server reads it only once it runs
  http::Server server(router, {.host = options.listen_host,
                               .port = options.listen_port,
                               .threads = options.threads,
                               .proxies = std::move(*proxies)});
  if (Status s = server.Listen(); !s.ok()) {
    core::LogError("cannot start", {{"error", s.message()}});
    return 1;
  }
  std::string url =
      "http://" + (options.listen.starts_with("0.0.0.0") ? "localhost:" + std::to_string(server.port())
                                                         : options.listen_host + ":" + std::to_string(server.port()));
  std::string public_url = options.public_url.empty() ? url : options.public_url;
  while (public_url.ends_with('/')) public_url.pop_back();
  std::unique_ptr<auth::Mailer> mailer =
      options.smtp_url.empty()
          ? auth::NewLogMailer()
          : auth::NewSmtpMailer({options.smtp_url, options.smtp_user, options.smtp_password, options.mail_from});
  manage::UsageMonitor usage(*stores->meta, *stores->events, plans, clock, *mailer, public_url);

  // Ingestion.
  core::MetricsRegistry metrics;
  ingest::SiteDirectory sites(*stores->meta, clock);
  ingest::VisitorIdentity identity(*stores->meta, clock);
  ingest::Pipeline pipeline(
      ingest::PipelineDeps{&sites, &identity, enrichment->user_agents.get(), enrichment->bots.get(),
                           enrichment->spam.get(), enrichment->sources.get(), enrichment->geo.get(), &clock, &usage},
      metrics);
  auto ingest_log = ingest::IngestLog::Open(IngestLogDir(options.data_dir));
  if (!ingest_log.ok()) {
    core::LogError("cannot open the ingest log", {{"error", ingest_log.status().message()}});
    return 1;
  }
  ingest::EventWriter writer(*stores->events, **ingest_log,
                             {.queue_capacity = options.queue_capacity,
                              .max_batch = options.max_batch,
                              .spool_capacity_bytes = options.spool_max_bytes},
                             metrics);
  for (std::string_view script : {"script.js", "script.cookieless.js", "script.hash.js"}) {
    std::string path = "/js/" + std::string(script);
    router.Add({beast_http::verb::get, path, false, 0, http::EmbeddedFileHandler(path.substr(1), 3600)});
  }
  router.Add(
      {beast_http::verb::get, "/healthz", false, 0, [](http::RequestContext&) -> asio::awaitable<http::Response> {
         co_return http::JsonResponse(beast_http::status::ok, {{"status", "ok"}});
       }});
  router.Add({beast_http::verb::get, "/metrics", false, 0,
              [&metrics](http::RequestContext&) -> asio::awaitable<http::Response> {
                http::Response res{beast_http::status::ok, 11};
                res.set(beast_http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
                res.body() = metrics.Render();
                co_return res;
              }});

  // Accounts, sites, teams and the v1 API.
  auth::Accounts accounts(
      *stores->meta, clock, *mailer,
      {.open_signup = options.open_signup, .default_plan = plans.default_plan().id, .public_url = public_url});
  manage::SiteEndpointDeps site_deps{&accounts, stores->meta.get(), stores->events.get(), &writer, &sites, &clock,
                                     &plans};
  manage::Billing billing(*stores->meta, plans, clock,
                          {.api_url = options.stripe_api_url,
                           .secret_key = options.stripe_secret_key,
                           .webhook_secret = options.stripe_webhook_secret,
                           .public_url = public_url});
  auth::AddAccountEndpoints(router, accounts, *stores->meta,
                            {.secure_cookies = public_url.starts_with("https://"),
                             .billing = billing.enabled(),
                             .delete_site_events = [site_deps](const std::vector<std::string>& site_ids) {
                               return manage::DeleteSitesEvents(site_deps, site_ids);
                             }});
  manage::AddSiteEndpoints(router, site_deps);
  auth::Team team(*stores->meta, clock, *mailer, public_url);
  manage::AddTeamEndpoints(router, accounts, team, *stores->meta, usage);
  manage::AddBillingEndpoints(router, accounts, team, billing);
  auth::ApiAuthenticator api_keys(*stores->meta, clock, options.api_rate_limit);
  // One report per core at a time; more would only share the same cores.
  // API handlers that wait on the stores run there too.
  asio::thread_pool report_pool(std::max(1u, std::thread::hardware_concurrency()));
  api::V1Deps v1{stores->meta.get(), stores->events.get(), &writer, &api_keys, &clock, &report_pool};
  api::AddV1Endpoints(router, v1);

  // Revenue. Calls to payment providers wait on the network: their own
  // threads keep reports from queueing behind them.
  asio::thread_pool provider_calls(2);
  auto server_key = auth::ServerKey::Load(options.secret_key, options.data_dir);
  if (!server_key.ok()) {
    core::LogError("cannot load the server's secret key", {{"error", server_key.status().message()}});
    return 1;
  }
  revenue::PaymentRecorder payments(
      {stores->meta.get(), stores->events.get(), &writer, &clock, server_key->Derive("email-hash")});
  api::AddPaymentsEndpoints(router, v1, payments);
  revenue::Connections connections(*stores->meta, clock, auth::SecretBox(server_key->Derive("connection-secrets")),
                                   {.stripe = options.stripe_api_url,
                                    .lemonsqueezy = options.lemonsqueezy_api_url,
                                    .polar = options.polar_api_url,
                                    .shopify = options.shopify_api_url},
                                   public_url);
  revenue::Backfills backfills(*stores->meta, connections, payments, clock);
  if (Status resumed = backfills.ResumeInterrupted(provider_calls); !resumed.ok()) {
    core::LogWarn("cannot resume the imports of past payments", {{"error", resumed.message()}});
  }
  manage::AddConnectionEndpoints(router, {&accounts, stores->meta.get(), &connections, &backfills, &provider_calls});
  revenue::AddWebhookEndpoint(router, {stores->meta.get(), &connections, &payments, &clock, &report_pool});
  revenue::SuccessPages success_pages(*stores->meta, connections, payments, provider_calls);
  revenue::XPosts x_posts(*stores->meta, {.base_url = options.x_api_url, .bearer_token = options.x_api_token}, clock);
  manage::AddXEndpoints(router, {&accounts, stores->meta.get(), &x_posts, &provider_calls});
  ingest::AddEventsEndpoint(router, pipeline, writer, metrics,
                            [&success_pages](const store::Event& payment) { success_pages.Report(payment); });

  // A dashboard view is about fifteen requests; a share link is public.
  auth::RateLimiter report_readers(clock, 600, stores->meta.get());
  auth::LoginLimiter share_unlocks(clock, {}, stores->meta.get());
  manage::AddDashboardEndpoints(router, {&accounts, stores->meta.get(), &clock, &share_unlocks, public_url});
  api::AddAnalyticsEndpoints(
      router, {stores->meta.get(), stores->events.get(), &api_keys, &accounts, &report_readers, &clock, &report_pool});
  // Unknown API paths get a JSON 404; every other GET is the dashboard.
  router.Add(
      {beast_http::verb::get, "/api/", true, 0, [](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
         co_return http::ErrorResponse(Status::NotFound("no such endpoint: " + std::string(ctx.request.target())));
       }});
  router.Add({beast_http::verb::get, "/", true, 0, http::AppHandler()});

  std::optional<Housekeeping> housekeeping;
  housekeeping.emplace(std::vector<Housekeeping::Chore>{
      {std::chrono::seconds(options.usage_interval_seconds), [&usage] { return usage.Refresh(); }},
      {std::chrono::hours(1), [&identity] { return identity.ForgetOldSalts(); }},
      // Rate limit counts of windows long over (a shared store keeps them).
      {std::chrono::hours(1), [&] { return stores->meta->DeleteCountersBefore(clock.NowMicros() - 86'400'000'000LL); }},
      {std::chrono::hours(1), [&] { return manage::ApplyRetention(*stores->meta, *stores->events, clock).status(); }},
      // Payments waiting for an exchange rate or for the payment they refund,
      // and any whose revenue event a crash interrupted.
      {std::chrono::minutes(1), [&payments] { return payments.SettlePending().status(); }},
      // Engagement of registered X posts, when the operator gave a token.
      {std::chrono::minutes(10), [&x_posts] { return x_posts.RefreshStale(); }},
  });

  // On SIGTERM or SIGINT: stop accepting, answer what is in flight (each
  // request waits for its commit), close the connections; Run returns once
  // the last one is gone.
  asio::signal_set signals(server.main_context(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    core::LogInfo("shutting down", {{"signal", int64_t(signal)}});
    server.Shutdown();
  });

  core::LogInfo("datafast is listening",
                {{"url", url}, {"data_dir", options.data_dir}, {"threads", int64_t(options.threads)}});
  std::cout << "DataFast is running at " << url << std::endl;

  server.Run();
  report_pool.join();
  provider_calls.join();
  housekeeping.reset();
  // Every request that got a 202 has been logged; log what is left of
  // anything queued by requests cut off mid-flight, and load it all.
  writer.Stop();
  core::LogInfo("stopped", {{"events_committed", true}});
  return 0;
}

}  // namespace datafast::app
