#include "manage/site_endpoints.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "auth/api_keys.h"
#include "auth/team.h"
#include "auth/web.h"
#include "core/clock.h"
#include "core/ids.h"
#include "http/json_body.h"
#include "manage/usage.h"
#include "store/site_rules.h"

namespace datafast::manage {
namespace {

namespace beast_http = http::beast_http;
namespace json = boost::json;
using http::RequestContext;
using http::Response;

constexpr size_t kRecentEvents = 10;

json::value TimeOrNull(int64_t micros) {
  return micros == 0 ? json::value(nullptr) : json::value(core::FormatIsoTime(micros));
}

Result<json::object> SiteJson(const SiteEndpointDeps& deps, const store::Site& site, store::Role role) {
  auto activity = deps.events->Activity(site.id, kTestVisitPath, 0);
  if (!activity.ok()) return activity.status();
  Month month = MonthOf(deps.clock->NowMicros());
  auto this_month = deps.events->CountEventsBetween(site.id, month.start_micros, month.end_micros);
  if (!this_month.ok()) return this_month.status();
  json::array hostnames;
  for (const std::string& h : site.allowed_hostnames) hostnames.push_back(json::value(h));
  return json::object{{"id", site.id},
                      {"account_id", site.account_id},
                      {"domain", site.domain},
                      {"timezone", site.timezone},
                      {"currency", site.currency},
                      {"allowed_hostnames", std::move(hostnames)},
                      {"retention_days", site.retention_days},
                      {"attribution_window_days", site.attribution_window_days},
                      {"created_at", core::FormatIsoTime(site.created_at_micros)},
                      {"first_event_at", TimeOrNull(activity->first_ts_micros)},
                      {"events_this_month", *this_month},
                      {"role", store::ToString(role)}};
}

json::object KeyJson(const store::ApiKey& key) {
  json::array scopes;
  for (const std::string& s : key.scopes) scopes.push_back(json::value(s));
  return json::object{{"id", key.id},
                      {"name", key.name},
                      {"prefix", key.prefix},
                      {"scopes", std::move(scopes)},
                      {"created_at", core::FormatIsoTime(key.created_at_micros)},
                      {"last_used_at", TimeOrNull(key.last_used_at_micros)}};
}

Response Json(beast_http::status status, json::value body) { return http::JsonResponse(status, body); }

// Applies the editable fields present in `body` to `site`, checking each.
Status ApplySiteFields(const json::object& body, store::Site& site) {
  auto domain = http::OptionalStringField(body, "domain");
  if (!domain.ok()) return domain.status();
  if (*domain) {
    auto normalized = store::NormalizeDomain(**domain);
    if (!normalized.ok()) return Status(normalized.status().code(), "domain: " + normalized.status().message());
    site.domain = *normalized;
  }
  auto timezone = http::OptionalStringField(body, "timezone");
  if (!timezone.ok()) return timezone.status();
  if (*timezone) {
    if (Status s = store::CheckTimezone(**timezone); !s.ok()) return Status(s.code(), "timezone: " + s.message());
    site.timezone = **timezone;
  }
  auto currency = http::OptionalStringField(body, "currency");
  if (!currency.ok()) return currency.status();
  if (*currency) {
    if (Status s = store::CheckCurrency(**currency); !s.ok()) return Status(s.code(), "currency: " + s.message());
    site.currency = **currency;
  }
  if (const json::value* hosts = body.if_contains("allowed_hostnames")) {
    if (!hosts->is_array()) return Status::InvalidArgument("allowed_hostnames: must be a list of host names");
    site.allowed_hostnames.clear();
    for (const json::value& h : hosts->get_array()) {
      if (!h.is_string()) return Status::InvalidArgument("allowed_hostnames: must be a list of host names");
      auto normalized = store::NormalizeDomain(h.get_string());
      if (!normalized.ok()) {
        return Status::InvalidArgument("allowed_hostnames: " + normalized.status().message());
      }
      site.allowed_hostnames.push_back(*normalized);
    }
  }
  if (const json::value* days = body.if_contains("retention_days")) {
    if (!days->is_int64() || days->get_int64() < 30 || days->get_int64() > 3650) {
      return Status::InvalidArgument("retention_days: must be a whole number of days from 30 to 3650");
    }
    site.retention_days = static_cast<int32_t>(days->get_int64());
  }
  if (const json::value* days = body.if_contains("attribution_window_days")) {
    if (!days->is_int64() || days->get_int64() < 1 || days->get_int64() > 90) {
      return Status::InvalidArgument("attribution_window_days: must be a whole number of days from 1 to 90");
    }
    site.attribution_window_days = static_cast<int32_t>(days->get_int64());
  }
  return Status::Ok();
}

// A CSV field, quoted when it holds a separator, a quote or a line break;
// a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it.
void AppendCsvField(std::string& out, std::string_view value) {
  bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@');
  bool quote = formula || value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out += '"';
  if (formula) out += '\'';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quote) out += '"';
}

// Millionths of a currency as a decimal in major units: 12500000 → "12.5".
std::string FormatMajorUnits(int64_t micros) {
  std::string out = micros < 0 ? "-" : "";
  uint64_t magnitude = micros < 0 ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  out += std::to_string(magnitude / 1'000'000);
  std::string fraction = std::to_string(1'000'000 + magnitude % 1'000'000).substr(1);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) out += '.' + fraction;
  return out;
}

Result<std::string> ExportCsv(store::EventStore& events, std::string_view site_id) {
  std::string out = "event_id,timestamp,type,visitor_id,session_id";
  for (const char* name :
       {"hostname",         "pathname",   "referrer",     "referrer_domain", "source",      "channel",
        "utm_source",       "utm_medium", "utm_campaign", "utm_term",        "utm_content", "ref",
        "source_param",     "via",        "click_id",     "goal_name",       "goal_params", "outbound_url",
        "payment_provider", "payment_id", "country",      "region",          "city",        "browser",
        "browser_version",  "os",         "os_version",   "device"}) {
    out += ',';
    out += name;
  }
  // A payment has a revenue row per attribution model: the attribution
  // column tells them apart, so that summing one model's rows is right.
  out += ",screen_width,language,revenue,attribution,credit\r\n";
  Status s = events.ForEachEvent(site_id, [&](const store::Event& e) {
    AppendCsvField(out, e.event_id);
    out += ',' + core::FormatIsoTime(e.ts_micros) + ',' + std::string(store::ToString(e.type)) + ',';
    AppendCsvField(out, e.visitor_id);
    out += ',';
    AppendCsvField(out, e.session_id);
    // kEventTextFields starts with visitor_id and session_id, written above.
    for (size_t i = 2; i < store::kEventTextFields.size(); ++i) {
      out += ',';
      AppendCsvField(out, e.*store::kEventTextFields[i]);
    }
    out += ',' + std::to_string(e.screen_width) + ',';
    AppendCsvField(out, e.language);
    out += ',' + FormatMajorUnits(e.revenue_micros) + ',' + e.attribution + ',' + FormatMajorUnits(e.credit_micros) +
           "\r\n";
  });
  if (!s.ok()) return s;
  return out;
}

// A new key for a site or an account: the secret is in the answer, once.
Result<Response> CreateKey(const SiteEndpointDeps& deps, const json::object& body, std::string site_id,
                           std::string account_id, std::vector<std::string> scopes) {
  auto name = http::RequiredStringField(body, "name");
  if (!name.ok()) return name.status();
  auto key =
      auth::CreateApiKey(*deps.meta, *deps.clock, std::move(site_id), std::move(account_id), *name, std::move(scopes));
  if (!key.ok()) return key.status();
  return Json(beast_http::status::created, json::object{{"key", KeyJson(key->key)}, {"secret", key->secret}});
}

Result<Response> KeyList(Result<std::vector<store::ApiKey>> keys) {
  if (!keys.ok()) return keys.status();
  json::array out;
  for (const store::ApiKey& key : *keys) out.push_back(KeyJson(key));
  return Json(beast_http::status::ok, json::object{{"keys", std::move(out)}});
}

}  // namespace

Result<SiteAccess> AccessSite(store::MetaStore& meta, const auth::SignedIn& who, std::string_view site_id) {
  auto site = meta.FindSite(site_id);
  if (!site.ok()) return site.status();
  Status missing = Status::NotFound("no site " + std::string(site_id));
  if (!*site || (*site)->account_id.empty()) return missing;
  auto membership = auth::FindMembership(meta, who.user.id, (*site)->account_id);
  if (!membership.ok()) return missing;
  return SiteAccess{std::move(**site), membership->role};
}

Status DeleteSitesEvents(const SiteEndpointDeps& deps, const std::vector<std::string>& site_ids) {
  if (site_ids.empty()) return Status::Ok();
  DF_RETURN_IF_ERROR(deps.writer->Flush());
  for (const std::string& id : site_ids) {
    auto deleted = deps.events->DeleteSiteEvents(id);
    if (!deleted.ok()) return deleted.status();
    deps.sites->Forget(id);
  }
  return Status::Ok();
}

Result<uint64_t> EraseVisitor(ingest::EventWriter& writer, store::EventStore& events, std::string_view site_id,
                              std::string_view visitor_id) {
  DF_RETURN_IF_ERROR(writer.Flush());
  return events.DeleteVisitorEvents(site_id, visitor_id);
}

void AddSiteEndpoints(http::Router& router, SiteEndpointDeps deps) {
  constexpr size_t kSmallBody = 16 * 1024;
  // Every handler starts with the signed-in caller (and the CSRF check).
  auto add = [&](beast_http::verb method, std::string path, auth::SignedInFn fn) {
    router.Add({method, std::move(path), false, kSmallBody, auth::SignedInHandler(*deps.accounts, std::move(fn))});
  };
  using verb = beast_http::verb;

  add(verb::get, "/api/app/sites", [deps](RequestContext&, const auth::SignedIn& who) -> Result<Response> {
    auto memberships = deps.meta->ListMembershipsOfUser(who.user.id);
    if (!memberships.ok()) return memberships.status();
    json::array out;
    for (const store::Membership& m : *memberships) {
      auto sites = deps.meta->ListSitesOfAccount(m.account.id);
      if (!sites.ok()) return sites.status();
      for (const store::Site& site : *sites) {
        auto item = SiteJson(deps, site, m.role);
        if (!item.ok()) return item.status();
        out.push_back(std::move(*item));
      }
    }
    return Json(beast_http::status::ok, json::object{{"sites", std::move(out)}});
  });

  add(verb::post, "/api/app/sites", [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
    auto body = http::ParseJsonObject(ctx.request);
    if (!body.ok()) return body.status();
    auto account_id = http::OptionalStringField(*body, "account_id");
    if (!account_id.ok()) return account_id.status();
    auto memberships = deps.meta->ListMembershipsOfUser(who.user.id);
    if (!memberships.ok()) return memberships.status();
    // The account named, or the caller's first one they may change.
    const store::Membership* account = nullptr;
    for (const store::Membership& m : *memberships) {
      bool wanted = *account_id ? m.account.id == **account_id : m.role != store::Role::kViewer;
      if (wanted) {
        account = &m;
        break;
      }
    }
    if (!account) {
      if (*account_id) return Status::NotFound("no account " + **account_id);
      return auth::RequireCanChange(store::Role::kViewer);  // a viewer everywhere
    }
    DF_RETURN_IF_ERROR(auth::RequireCanChange(account->role));
    const Plan& plan = deps.plans->Find(account->account.plan);
    if (plan.sites) {
      auto existing = deps.meta->ListSitesOfAccount(account->account.id);
      if (!existing.ok()) return existing.status();
      if (static_cast<int64_t>(existing->size()) >= *plan.sites) {
        return Status::PermissionDenied("the " + plan.name + " plan allows " + std::to_string(*plan.sites) +
                                        (*plan.sites == 1 ? " website" : " websites") + "; upgrade to add more");
      }
    }
    if (!body->contains("domain")) return Status::InvalidArgument("domain: is required");
    store::Site site{core::NewSiteId(), "", "UTC", "USD", {}, deps.clock->NowMicros(), account->account.id, 730};
    DF_RETURN_IF_ERROR(ApplySiteFields(*body, site));
    DF_RETURN_IF_ERROR(deps.meta->CreateSite(site));
    deps.sites->Forget(site.id);
    auto out = SiteJson(deps, site, account->role);
    if (!out.ok()) return out.status();
    return Json(beast_http::status::created, std::move(*out));
  });

  add(verb::get, "/api/app/sites/{}", [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
    auto access = AccessSite(*deps.meta, who, ctx.params[0]);
    if (!access.ok()) return access.status();
    auto out = SiteJson(deps, access->site, access->role);
    if (!out.ok()) return out.status();
    return Json(beast_http::status::ok, std::move(*out));
  });

  add(verb::patch, "/api/app/sites/{}", [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
    auto access = AccessSite(*deps.meta, who, ctx.params[0]);
    if (!access.ok()) return access.status();
    DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
    auto body = http::ParseJsonObject(ctx.request);
    if (!body.ok()) return body.status();
    DF_RETURN_IF_ERROR(ApplySiteFields(*body, access->site));
    DF_RETURN_IF_ERROR(deps.meta->UpdateSite(access->site));
    deps.sites->Forget(access->site.id);
    auto out = SiteJson(deps, access->site, access->role);
    if (!out.ok()) return out.status();
    return Json(beast_http::status::ok, std::move(*out));
  });

  add(verb::delete_, "/api/app/sites/{}", [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
    auto access = AccessSite(*deps.meta, who, ctx.params[0]);
    if (!access.ok()) return access.status();
    DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
    // The site first: from now on its events are refused, so none
    // arrive between the deletion of its events and its own.
    DF_RETURN_IF_ERROR(deps.meta->DeleteSite(access->site.id));
    DF_RETURN_IF_ERROR(DeleteSitesEvents(deps, {access->site.id}));
    return http::NoContentResponse();
  });

  add(verb::get, "/api/app/sites/{}/install",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto access = AccessSite(*deps.meta, who, ctx.params[0]);
        if (!access.ok()) return access.status();
        auto activity = deps.events->Activity(access->site.id, kTestVisitPath, kRecentEvents);
        if (!activity.ok()) return activity.status();
        json::array recent;
        for (const store::Event& e : activity->recent) {
          recent.push_back(json::object{{"type", store::ToString(e.type)},
                                        {"path", e.pathname},
                                        {"country", e.country},
                                        {"browser", e.browser},
                                        {"ts", core::FormatIsoTime(e.ts_micros)}});
        }
        return Json(beast_http::status::ok, json::object{{"received", activity->events > 0},
                                                         {"test_received", activity->probe_events > 0},
                                                         {"first_event_at", TimeOrNull(activity->first_ts_micros)},
                                                         {"last_event_at", TimeOrNull(activity->last_ts_micros)},
                                                         {"events_total", activity->events},
                                                         {"recent", std::move(recent)}});
      });

  add(verb::get, "/api/app/sites/{}/export.csv",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto access = AccessSite(*deps.meta, who, ctx.params[0]);
        if (!access.ok()) return access.status();
        DF_RETURN_IF_ERROR(deps.writer->Flush());
        auto csv = ExportCsv(*deps.events, access->site.id);
        if (!csv.ok()) return csv.status();
        Response res{beast_http::status::ok, 11};
        res.set(beast_http::field::content_type, "text/csv; charset=utf-8");
        res.set(beast_http::field::content_disposition,
                "attachment; filename=\"datafast-" + access->site.domain + "-events.csv\"");
        res.set(beast_http::field::cache_control, "no-store");
        res.body() = std::move(*csv);
        return res;
      });

  add(verb::post, "/api/app/sites/{}/erase-visitor",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto access = AccessSite(*deps.meta, who, ctx.params[0]);
        if (!access.ok()) return access.status();
        DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        auto visitor = http::RequiredStringField(*body, "visitor_id");
        if (!visitor.ok()) return visitor.status();
        auto deleted = EraseVisitor(*deps.writer, *deps.events, access->site.id, *visitor);
        if (!deleted.ok()) return deleted.status();
        return Json(beast_http::status::ok, json::object{{"deleted_events", *deleted}});
      });

  add(verb::get, "/api/app/sites/{}/keys", [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
    auto access = AccessSite(*deps.meta, who, ctx.params[0]);
    if (!access.ok()) return access.status();
    return KeyList(deps.meta->ListApiKeysOfSite(access->site.id));
  });

  add(verb::post, "/api/app/sites/{}/keys", [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
    auto access = AccessSite(*deps.meta, who, ctx.params[0]);
    if (!access.ok()) return access.status();
    DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
    auto body = http::ParseJsonObject(ctx.request);
    if (!body.ok()) return body.status();
    return CreateKey(deps, *body, access->site.id, "", {});
  });

  add(verb::delete_, "/api/app/sites/{}/keys/{}",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto access = AccessSite(*deps.meta, who, ctx.params[0]);
        if (!access.ok()) return access.status();
        DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
        DF_RETURN_IF_ERROR(deps.meta->RevokeApiKey(access->site.id, ctx.params[1], deps.clock->NowMicros()));
        return http::NoContentResponse();
      });

  add(verb::get, "/api/app/accounts/{}/tokens",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto access = auth::FindMembership(*deps.meta, who.user.id, ctx.params[0]);
        if (!access.ok()) return access.status();
        return KeyList(deps.meta->ListApiKeysOfAccount(access->account.id));
      });

  add(verb::post, "/api/app/accounts/{}/tokens",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto access = auth::FindMembership(*deps.meta, who.user.id, ctx.params[0]);
        if (!access.ok()) return access.status();
        DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        const json::value* scopes = body->if_contains("scopes");
        if (!scopes || !scopes->is_array() || scopes->get_array().empty()) {
          return Status::InvalidArgument("scopes: choose at least one scope");
        }
        std::vector<std::string> chosen;
        const auto& allowed = auth::AccountTokenScopes();
        for (const json::value& scope : scopes->get_array()) {
          if (!scope.is_string() || std::find(allowed.begin(), allowed.end(), scope.get_string()) == allowed.end()) {
            return Status::InvalidArgument("scopes: unknown scope " + json::serialize(scope));
          }
          chosen.emplace_back(scope.get_string());
        }
        return CreateKey(deps, *body, "", access->account.id, std::move(chosen));
      });

  add(verb::delete_, "/api/app/accounts/{}/tokens/{}",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto access = auth::FindMembership(*deps.meta, who.user.id, ctx.params[0]);
        if (!access.ok()) return access.status();
        DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
        DF_RETURN_IF_ERROR(deps.meta->RevokeApiKey(access->account.id, ctx.params[1], deps.clock->NowMicros()));
        return http::NoContentResponse();
      });
}

}  // namespace datafast::manage
