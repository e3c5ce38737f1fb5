// Ingestion as an ordered list of named steps (after Plausible's
// ingestion/event.ex). Each step either enriches the event or drops it with a
// reason; every drop is counted in the metrics under its reason.
//
//   validate → site → limits → bots → spam → user_agent → geo → source → identity
//
// Validation drops answer 4xx with a message naming the problem; bot and spam
// drops answer 202 with "ignored" so crawlers learn nothing. The client IP is
// read by the geo and identity steps and never leaves them. Thread-safe: one
// Pipeline serves every HTTP thread.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/metrics.h"
#include "core/status.h"
#include "ingest/bot_filter.h"
#include "ingest/geo.h"
#include "ingest/referrer_spam.h"
#include "ingest/site_directory.h"
#include "ingest/source_classifier.h"
#include "ingest/tracking_gate.h"
#include "ingest/user_agent.h"
#include "ingest/visitor_identity.h"
#include "store/event.h"

namespace datafast::ingest {

enum class DropReason {
  kInvalid,       // malformed body or field: 400
  kTooLarge,      // body over the limit: 413
  kUnknownSite,   // no site with that id: 404
  kForeignHost,   // the page is not on the site's domain: 403
  kBot,           // crawler or headless browser: 202 ignored
  kSpamReferrer,  // referrer on the spam list: 202 ignored
  kOverLimit,     // the account is over its plan and chose to pause: 202 ignored
  kInternal,      // a store failed while enriching: 503
};
inline constexpr size_t kDropReasonCount = 8;
std::string_view ToString(DropReason reason);  // "invalid", "bot", … (metric labels)

struct RequestInfo {
  std::string_view body;
  std::string_view client_ip;  // already resolved through trusted proxies
  std::string_view user_agent;
};

struct PipelineResult {
  std::optional<store::Event> event;  // set when the event should be stored
  std::optional<DropReason> dropped;  // set otherwise
  Status status;                      // why, for drops that answer an error
};

// The data-backed components the steps use. Not owned.
struct PipelineDeps {
  SiteDirectory* sites;
  VisitorIdentity* identity;
  const UserAgentParser* user_agents;
  const BotFilter* bots;
  const ReferrerSpamList* spam;
  const SourceClassifier* sources;
  const GeoLocator* geo;
  const core::Clock* clock;
  const TrackingGate* gate;  // may be null: never paused
};

class Pipeline {
 public:
  Pipeline(PipelineDeps deps, core::MetricsRegistry& metrics);

  PipelineResult Process(const RequestInfo& request) const;

 private:
  struct Context;
  using StepFn = std::optional<DropReason> (Pipeline::*)(Context&) const;
  struct Step {
    std::string_view name;
    StepFn run;
  };

  std::optional<DropReason> Validate(Context& ctx) const;
  std::optional<DropReason> ResolveSite(Context& ctx) const;
  std::optional<DropReason> CheckLimits(Context& ctx) const;
  std::optional<DropReason> DropBots(Context& ctx) const;
  std::optional<DropReason> DropSpam(Context& ctx) const;
  std::optional<DropReason> ParseUserAgent(Context& ctx) const;
  std::optional<DropReason> Geolocate(Context& ctx) const;
  std::optional<DropReason> ClassifySource(Context& ctx) const;
  std::optional<DropReason> Identify(Context& ctx) const;

  static constexpr std::array<Step, 9> kSteps = {{
      {"validate", &Pipeline::Validate},
      {"site", &Pipeline::ResolveSite},
      {"limits", &Pipeline::CheckLimits},
      {"bots", &Pipeline::DropBots},
      {"spam", &Pipeline::DropSpam},
      {"user_agent", &Pipeline::ParseUserAgent},
      {"geo", &Pipeline::Geolocate},
      {"source", &Pipeline::ClassifySource},
      {"identity", &Pipeline::Identify},
  }};

  PipelineDeps deps_;
  std::array<core::Counter*, kDropReasonCount> dropped_;
};

}  // namespace datafast::ingest
