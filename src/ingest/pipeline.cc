#include "ingest/pipeline.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/url_view.hpp>

#include "core/ids.h"
#include "ingest/tracker_payload.h"

namespace datafast::ingest {
namespace {

constexpr std::array<DropReason, kDropReasonCount> kAllReasons = {
    DropReason::kInvalid, DropReason::kTooLarge,     DropReason::kUnknownSite, DropReason::kForeignHost,
    DropReason::kBot,     DropReason::kSpamReferrer, DropReason::kOverLimit,   DropReason::kInternal};

// Ad click ids: which one a landing URL carried says the visit was paid.
constexpr std::array<std::string_view, 9> kPaidClickIds = {"gclid",  "gbraid",    "wbraid", "msclkid", "twclid",
                                                           "ttclid", "li_fat_id", "dclid",  "epik"};

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string_view ToString(DropReason reason) {
  switch (reason) {
    case DropReason::kInvalid:
      return "invalid";
    case DropReason::kTooLarge:
      return "too_large";
    case DropReason::kUnknownSite:
      return "unknown_site";
    case DropReason::kForeignHost:
      return "foreign_host";
    case DropReason::kBot:
      return "bot";
    case DropReason::kOverLimit:
      return "over_limit";
    case DropReason::kSpamReferrer:
      return "spam_referrer";
    case DropReason::kInternal:
      return "internal_error";
  }
  return "invalid";
}

struct Pipeline::Context {
  const RequestInfo& request;
  TrackerPayload payload;
  std::shared_ptr<const store::Site> site;
  std::string page_host;
  std::string referrer_host;
  bool paid_click = false;
  store::Event event;
  Status status;  // the error to answer with, for drops that answer one
};

Pipeline::Pipeline(PipelineDeps deps, core::MetricsRegistry& metrics) : deps_(deps) {
  for (DropReason reason : kAllReasons) {
    dropped_[static_cast<size_t>(reason)] =
        &metrics.AddCounter("datafast_events_dropped_total", "Events refused or ignored, by reason.",
                            "reason=\"" + std::string(ToString(reason)) + "\"");
  }
}

PipelineResult Pipeline::Process(const RequestInfo& request) const {
  Context ctx{request, {}, {}, {}, {}, false, {}, {}};
  for (const Step& step : kSteps) {
    if (std::optional<DropReason> drop = (this->*step.run)(ctx)) {
      dropped_[static_cast<size_t>(*drop)]->Add();
      return PipelineResult{std::nullopt, drop, std::move(ctx.status)};
    }
  }
  return PipelineResult{std::move(ctx.event), std::nullopt, Status::Ok()};
}

std::optional<DropReason> Pipeline::Validate(Context& ctx) const {
  auto payload = ParseTrackerPayload(ctx.request.body);
  if (!payload.ok()) {
    ctx.status = payload.status();
    return payload.status().code() == StatusCode::kTooLarge ? DropReason::kTooLarge : DropReason::kInvalid;
  }
  ctx.payload = std::move(*payload);
  const TrackerPayload& p = ctx.payload;
  store::Event& e = ctx.event;
  e.event_id = core::NewUuid();
  e.site_id = p.website_id;
  e.ts_micros = deps_.clock->NowMicros();
  e.type = p.type;

  boost::urls::url_view url = p.href;
  ctx.page_host = Lowercase(url.encoded_host());
  e.hostname = ctx.page_host;
  e.pathname = url.path();
  if (e.pathname.empty()) e.pathname = "/";
  if (p.hash_mode && url.has_fragment()) e.pathname += "#" + std::string(url.fragment());
  if (e.pathname.size() > kMaxUrlLength) e.pathname.resize(kMaxUrlLength);

  for (const auto& param : url.params()) {
    std::string_view key = param.key;
    std::string* field = key == "utm_source"     ? &e.utm_source
                         : key == "utm_medium"   ? &e.utm_medium
                         : key == "utm_campaign" ? &e.utm_campaign
                         : key == "utm_term"     ? &e.utm_term
                         : key == "utm_content"  ? &e.utm_content
                         : key == "ref"          ? &e.ref_param
                         : key == "source"       ? &e.source_param
                         : key == "via"          ? &e.via_param
                                                 : nullptr;
    if (field && field->empty()) {
      *field = param.value.substr(0, 255);
    } else if (e.click_id.empty()) {
      for (std::string_view click : kPaidClickIds) {
        if (key == click) e.click_id = std::string(click);
      }
    }
  }
  ctx.paid_click = !e.click_id.empty();

  if (!p.referrer.empty()) {
    boost::urls::url_view ref = p.referrer;
    ctx.referrer_host = Lowercase(ref.encoded_host());
    // Query and fragment can carry search terms or tokens: never stored.
    e.referrer = std::string(ref.scheme()) + "://" + ctx.referrer_host + std::string(ref.encoded_path());
  }
  e.goal_name = p.goal_name;
  if (!p.goal_params.empty()) {
    boost::json::object params;
    for (const auto& [k, v] : p.goal_params) params[k] = v;
    e.goal_params = boost::json::serialize(params);
  }
  e.outbound_url = p.outbound_url;
  e.payment_provider = p.payment_provider;
  e.payment_id = p.transaction_id;
  e.screen_width = p.screen_width;
  e.language = p.language;
  return std::nullopt;
}

std::optional<DropReason> Pipeline::ResolveSite(Context& ctx) const {
  auto site = deps_.sites->Find(ctx.payload.website_id);
  if (!site.ok()) {
    ctx.status = Status::Unavailable("cannot read sites right now; retry later");
    return DropReason::kInternal;
  }
  if (!*site) {
    ctx.status = Status::NotFound("no website has the id " + ctx.payload.website_id);
    return DropReason::kUnknownSite;
  }
  ctx.site = std::move(*site);
  if (!SiteDirectory::HostBelongsTo(*ctx.site, ctx.page_host)) {
    ctx.status = Status::PermissionDenied("page host " + ctx.page_host + " is not " + ctx.site->domain +
                                          ", a subdomain of it, or an allowed hostname of this website");
    return DropReason::kForeignHost;
  }
  return std::nullopt;
}

std::optional<DropReason> Pipeline::CheckLimits(Context& ctx) const {
  if (deps_.gate && !ctx.site->account_id.empty() && deps_.gate->Paused(ctx.site->account_id)) {
    return DropReason::kOverLimit;
  }
  return std::nullopt;
}

std::optional<DropReason> Pipeline::DropBots(Context& ctx) const {
  if (deps_.bots->IsBot(ctx.request.user_agent)) return DropReason::kBot;
  return std::nullopt;
}

std::optional<DropReason> Pipeline::DropSpam(Context& ctx) const {
  if (!ctx.referrer_host.empty() && deps_.spam->IsSpam(ctx.referrer_host)) return DropReason::kSpamReferrer;
  return std::nullopt;
}

std::optional<DropReason> Pipeline::ParseUserAgent(Context& ctx) const {
  UserAgentInfo ua = deps_.user_agents->Parse(ctx.request.user_agent);
  store::Event& e = ctx.event;
  e.browser = std::move(ua.browser);
  e.browser_version = std::move(ua.browser_version);
  e.os = std::move(ua.os);
  e.os_version = std::move(ua.os_version);
  e.device = std::string(ToString(ua.device));
  return std::nullopt;
}

std::optional<DropReason> Pipeline::Geolocate(Context& ctx) const {
  Location where = deps_.geo->Lookup(ctx.request.client_ip);
  ctx.event.country = std::move(where.country);
  ctx.event.region = std::move(where.region);
  ctx.event.city = std::move(where.city);
  return std::nullopt;
}

std::optional<DropReason> Pipeline::ClassifySource(Context& ctx) const {
  store::Event& e = ctx.event;
  Source source = deps_.sources->Classify(
      SourceInput{ctx.referrer_host, ctx.page_host, ctx.site->domain, e.utm_source, e.utm_medium, ctx.paid_click});
  // An internal referrer (navigation inside the site) is no referrer.
  if (source.referrer_domain.empty()) e.referrer.clear();
  e.referrer_domain = std::move(source.referrer_domain);
  e.source = std::move(source.name);
  e.channel = std::string(ToString(source.channel));
  return std::nullopt;
}

std::optional<DropReason> Pipeline::Identify(Context& ctx) const {
  store::Event& e = ctx.event;
  if (!ctx.payload.visitor_id.empty()) {
    e.visitor_id = ctx.payload.visitor_id;
    e.session_id = ctx.payload.session_id;
    return std::nullopt;
  }
  auto ids = deps_.identity->Identify(e.site_id, ctx.request.client_ip, ctx.request.user_agent);
  if (!ids.ok()) {
    ctx.status = Status::Unavailable("cannot derive a visitor id right now; retry later");
    return DropReason::kInternal;
  }
  e.visitor_id = std::move(ids->visitor_id);
  e.session_id = std::move(ids->session_id);
  return std::nullopt;
}

}  // namespace datafast::ingest
