#include "api/analytics_endpoints.h"

#include <boost/json/array.hpp>

#include "api/analytics.h"
#include "auth/team.h"
#include "auth/web.h"
#include "http/blocking.h"
#include "manage/dashboard_endpoints.h"
#include "manage/site_endpoints.h"

namespace datafast::api {
namespace {

namespace beast_http = http::beast_http;
namespace json = boost::json;

// The site a request may read, by whichever of the three credentials it
// carries. `retry_after` is set when the reader is over its rate limit.
Result<store::Site> ReadableSite(const AnalyticsDeps& deps, const http::Request& request, const QueryParams& params,
                                 int64_t& retry_after) {
  std::string_view website_id = ParamValue(params, "websiteId");
  std::string_view authorization = request[beast_http::field::authorization];
  if (!authorization.empty()) {
    auto caller = deps.authenticator->Authenticate(authorization, website_id, "analytics:read", retry_after);
    if (!caller.ok()) return caller.status();
    return std::move(caller->site);
  }
  std::string_view share_token = request["X-Share-Token"];
  if (!share_token.empty()) {
    if ((retry_after = deps.reader_limiter->Take(std::string("share:") + std::string(share_token))) > 0) {
      return Status::RateLimited("too many requests for this share link");
    }
    return manage::SiteOfShare(*deps.meta, share_token, request["X-Share-Proof"]);
  }
  if (!auth::SessionCookieValue(request).empty()) {
    auto who = auth::RequireSignedIn(*deps.accounts, request);
    if (!who.ok()) return who.status();
    if ((retry_after = deps.reader_limiter->Take("user:" + who->user.id)) > 0) {
      return Status::RateLimited("too many requests; slow down");
    }
    if (website_id.empty()) return Status::InvalidArgument("websiteId: is required");
    auto access = manage::AccessSite(*deps.meta, *who, website_id);
    if (!access.ok()) return access.status();
    return std::move(access->site);
  }
  return Status::Unauthenticated("send an API key: Authorization: Bearer df_…");
}

using ReportFn = std::function<Result<json::object>(const ReportRequest&)>;

// Where a route's work runs: reports go to the report pool; quick reads (the
// notes, the last five minutes) are done in place.
enum class Work { kReport, kQuick };

void AddReadRoute(http::Router& router, const AnalyticsDeps& deps, std::string path, Work work, ReportFn fn) {
  router.Add({beast_http::verb::get, std::move(path), false, 0,
              [deps, work, fn = std::move(fn)](http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
                QueryParams params = http::ParseQueryParams(ctx.request.target());
                int64_t retry_after = 0;
                auto site = ReadableSite(deps, ctx.request, params, retry_after);
                if (!site.ok()) {
                  http::Response res = http::ErrorResponse(site.status());
                  if (retry_after > 0) res.set(beast_http::field::retry_after, std::to_string(retry_after));
                  co_return res;
                }
                ReportRequest request{&*site, std::move(params), deps.clock->NowMicros()};
                // No co_await inside a conditional expression: GCC 12 destroys
                // its temporaries twice.
                Result<json::object> body = Status::Internal("no answer");
                if (work == Work::kQuick) {
                  body = fn(request);
                } else {
                  body = co_await http::RunBlocking<Result<json::object>>(*deps.report_pool,
                                                                          [&fn, &request] { return fn(request); });
                }
                if (!body.ok()) co_return http::ErrorResponse(body.status());
                co_return http::JsonResponse(beast_http::status::ok, *body);
              }});
}

}  // namespace

void AddAnalyticsEndpoints(http::Router& router, const AnalyticsDeps& deps) {
  // The realtime reports read the last five minutes of events: quick, and
  // polled every few seconds, so they do not queue behind long reports.
  std::vector<std::pair<std::string, Work>> reports = {{"overview", Work::kReport},
                                                       {"timeseries", Work::kReport},
                                                       {"realtime", Work::kQuick},
                                                       {"realtime/map", Work::kQuick}};
  for (const auto& [name, dimension] : BreakdownReports()) reports.emplace_back(name, Work::kReport);
  for (const auto& [report, work] : reports) {
    AddReadRoute(router, deps, "/api/v1/analytics/" + report, work,
                 [deps, report](const ReportRequest& request) { return RunReport(*deps.events, report, request); });
  }
  AddReadRoute(router, deps, "/api/v1/analytics/revenue", Work::kReport,
               [deps](const ReportRequest& request) { return RevenueReport(*deps.events, *deps.meta, request); });
  AddReadRoute(router, deps, "/api/v1/analytics/x", Work::kReport,
               [deps](const ReportRequest& request) { return XReport(*deps.events, *deps.meta, request); });
  AddReadRoute(router, deps, "/api/v1/analytics/notes", Work::kQuick,
               [deps](const ReportRequest& request) -> Result<json::object> {
                 auto dates = ReportDates(request);
                 if (!dates.ok()) return dates.status();
                 auto notes = deps.meta->ListNotes(request.site->id, dates->first, dates->last);
                 if (!notes.ok()) return notes.status();
                 json::array data;
                 for (const store::Note& note : *notes) data.push_back(manage::NoteJson(*deps.meta, note));
                 return json::object{{"status", "success"}, {"data", std::move(data)}};
               });
}

}  // namespace datafast::api
