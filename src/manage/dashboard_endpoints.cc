#include "manage/dashboard_endpoints.h"

#include <boost/json/array.hpp>

#include "auth/password.h"
#include "auth/secrets.h"
#include "auth/team.h"
#include "auth/web.h"
#include "core/digest.h"
#include "core/ids.h"
#include "core/time_zone.h"
#include "http/json_body.h"
#include "manage/site_endpoints.h"

namespace datafast::manage {
namespace {

namespace beast_http = http::beast_http;
namespace json = boost::json;
using http::RequestContext;
using http::Response;

constexpr size_t kMaxNoteText = 500;
constexpr size_t kMaxTags = 5;
constexpr size_t kMaxTagLength = 30;
constexpr size_t kMinSharePassword = 8;

Response Json(beast_http::status status, json::value body) { return http::JsonResponse(status, body); }

// A password-protected link is opened with this proof, which only the
// server (holding the password's hash) can make and which dies with the link.
std::string ProofOf(const store::Share& share) { return core::HmacSha256Hex(share.password_hash, share.token); }

Result<std::vector<std::string>> ParseTags(const json::value& value) {
  if (!value.is_array()) return Status::InvalidArgument("tags: must be a list of words");
  const json::array& list = value.get_array();
  if (list.size() > kMaxTags) return Status::InvalidArgument("tags: at most " + std::to_string(kMaxTags));
  std::vector<std::string> tags;
  for (const json::value& item : list) {
    if (!item.is_string()) return Status::InvalidArgument("tags: must be a list of words");
    std::string tag(item.get_string());
    if (tag.empty() || tag.size() > kMaxTagLength || tag.find(',') != std::string::npos) {
      return Status::InvalidArgument("tags: each is 1 to " + std::to_string(kMaxTagLength) +
                                     " characters without commas");
    }
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
  }
  return tags;
}

// Applies the fields of `body` to `note`; `creating` requires date and text.
Status ApplyNoteFields(const json::object& body, store::Note& note, bool creating) {
  for (const char* field : {"date", "text"}) {
    if (!body.contains(field)) {
      if (creating) return Status::InvalidArgument(std::string(field) + ": is required");
      continue;
    }
    auto value = http::RequiredStringField(body, field);
    if (!value.ok()) return value.status();
    if (std::string_view(field) == "date") {
      if (!core::ParseIsoDate(*value)) return Status::InvalidArgument("date: must be a date, YYYY-MM-DD");
      note.date = std::move(*value);
    } else {
      if (value->empty() || value->size() > kMaxNoteText) {
        return Status::InvalidArgument("text: must be 1 to " + std::to_string(kMaxNoteText) + " characters");
      }
      note.text = std::move(*value);
    }
  }
  if (body.contains("tags")) {
    auto tags = ParseTags(body.at("tags"));
    if (!tags.ok()) return tags.status();
    note.tags = std::move(*tags);
  }
  return Status::Ok();
}

json::object ShareJson(const DashboardEndpointDeps& deps, const store::Share& share) {
  return {{"id", share.id},
          {"token", share.token},
          {"url", deps.public_url + "/share/" + share.token},
          {"has_password", !share.password_hash.empty()},
          {"created_at", core::FormatIsoTime(share.created_at_micros)}};
}

// The site when the caller may change it (owners and admins).
Result<store::Site> ChangeableSite(const DashboardEndpointDeps& deps, const auth::SignedIn& who,
                                   std::string_view site_id) {
  auto access = AccessSite(*deps.meta, who, site_id);
  if (!access.ok()) return access.status();
  DF_RETURN_IF_ERROR(auth::RequireCanChange(access->role));
  return std::move(access->site);
}

}  // namespace

json::object NoteJson(store::MetaStore& meta, const store::Note& note) {
  auto author = meta.FindUser(note.author_user_id);
  json::array tags;
  for (const std::string& t : note.tags) tags.emplace_back(t);
  return {{"id", note.id},
          {"date", note.date},
          {"text", note.text},
          {"tags", std::move(tags)},
          {"author", author.ok() && *author ? (*author)->email : std::string()},
          {"created_at", core::FormatIsoTime(note.created_at_micros)}};
}

Result<store::Site> SiteOfShare(store::MetaStore& meta, std::string_view token, std::string_view proof) {
  auto share = meta.FindShareByToken(token);
  if (!share.ok()) return share.status();
  if (!*share) return Status::NotFound("this share link was revoked or never existed");
  if (!(*share)->password_hash.empty() && !auth::ConstantTimeEquals(proof, ProofOf(**share))) {
    return Status::Unauthenticated("this share link needs its password");
  }
  auto site = meta.FindSite((*share)->site_id);
  if (!site.ok()) return site.status();
  if (!*site) return Status::NotFound("this share link was revoked or never existed");
  return std::move(**site);
}

void AddDashboardEndpoints(http::Router& router, DashboardEndpointDeps deps) {
  constexpr size_t kSmallBody = 16 * 1024;
  auto add = [&](beast_http::verb method, std::string path, auth::SignedInFn fn) {
    router.Add({method, std::move(path), false, kSmallBody, auth::SignedInHandler(*deps.accounts, std::move(fn))});
  };
  using verb = beast_http::verb;

  add(verb::post, "/api/app/sites/{}/notes",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto site = ChangeableSite(deps, who, ctx.params[0]);
        if (!site.ok()) return site.status();
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        store::Note note{"note_" + core::RandomHex(8), site->id, "", "", {}, who.user.id, deps.clock->NowMicros()};
        DF_RETURN_IF_ERROR(ApplyNoteFields(*body, note, true));
        DF_RETURN_IF_ERROR(deps.meta->CreateNote(note));
        return Json(beast_http::status::created, NoteJson(*deps.meta, note));
      });

  add(verb::patch, "/api/app/sites/{}/notes/{}",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto site = ChangeableSite(deps, who, ctx.params[0]);
        if (!site.ok()) return site.status();
        auto note = deps.meta->FindNote(site->id, ctx.params[1]);
        if (!note.ok()) return note.status();
        if (!*note) return Status::NotFound("no note " + ctx.params[1]);
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        DF_RETURN_IF_ERROR(ApplyNoteFields(*body, **note, false));
        DF_RETURN_IF_ERROR(deps.meta->UpdateNote(**note));
        return Json(beast_http::status::ok, NoteJson(*deps.meta, **note));
      });

  add(verb::delete_, "/api/app/sites/{}/notes/{}",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto site = ChangeableSite(deps, who, ctx.params[0]);
        if (!site.ok()) return site.status();
        DF_RETURN_IF_ERROR(deps.meta->DeleteNote(site->id, ctx.params[1]));
        return http::NoContentResponse();
      });

  add(verb::get, "/api/app/sites/{}/shares",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto access = AccessSite(*deps.meta, who, ctx.params[0]);
        if (!access.ok()) return access.status();
        auto shares = deps.meta->ListShares(access->site.id);
        if (!shares.ok()) return shares.status();
        json::array out;
        for (const store::Share& s : *shares) out.push_back(ShareJson(deps, s));
        return Json(beast_http::status::ok, json::object{{"shares", std::move(out)}});
      });

  add(verb::post, "/api/app/sites/{}/shares",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto site = ChangeableSite(deps, who, ctx.params[0]);
        if (!site.ok()) return site.status();
        auto body = http::ParseJsonObject(ctx.request);
        if (!body.ok()) return body.status();
        auto password = http::OptionalStringField(*body, "password");
        if (!password.ok()) return password.status();
        store::Share share{"shr_" + core::RandomHex(8), site->id, auth::NewSecret(""), "", deps.clock->NowMicros()};
        if (*password && !(*password)->empty()) {
          if ((*password)->size() < kMinSharePassword) {
            return Status::InvalidArgument("password: at least " + std::to_string(kMinSharePassword) + " characters");
          }
          auto hash = auth::HashPassword(**password);
          if (!hash.ok()) return hash.status();
          share.password_hash = std::move(*hash);
        }
        DF_RETURN_IF_ERROR(deps.meta->CreateShare(share));
        return Json(beast_http::status::created, ShareJson(deps, share));
      });

  add(verb::delete_, "/api/app/sites/{}/shares/{}",
      [deps](RequestContext& ctx, const auth::SignedIn& who) -> Result<Response> {
        auto site = ChangeableSite(deps, who, ctx.params[0]);
        if (!site.ok()) return site.status();
        DF_RETURN_IF_ERROR(deps.meta->DeleteShare(site->id, ctx.params[1]));
        return http::NoContentResponse();
      });

  // The public side of a link: what it opens, and unlocking its password.
  router.Add(
      {verb::get, "/api/app/shares/{}", false, 0, http::ResultHandler([deps](RequestContext& ctx) -> Result<Response> {
         auto share = deps.meta->FindShareByToken(ctx.params[0]);
         if (!share.ok()) return share.status();
         if (!*share) return Status::NotFound("this share link was revoked or never existed");
         auto site = deps.meta->FindSite((*share)->site_id);
         if (!site.ok()) return site.status();
         if (!*site) return Status::NotFound("this share link was revoked or never existed");
         return Json(beast_http::status::ok, json::object{{"site", json::object{{"domain", (*site)->domain},
                                                                                {"timezone", (*site)->timezone},
                                                                                {"currency", (*site)->currency}}},
                                                          {"password_required", !(*share)->password_hash.empty()}});
       })});

  router.Add({verb::post, "/api/app/shares/{}/unlock", false, kSmallBody,
              http::ResultHandler([deps](RequestContext& ctx) -> Result<Response> {
                DF_RETURN_IF_ERROR(auth::CheckSameOrigin(ctx.request));
                const std::string& token = ctx.params[0];
                if (int64_t wait = deps.unlock_limiter->RetryAfterSeconds(token); wait > 0) {
                  Response res = http::ErrorResponse(Status::RateLimited("too many wrong passwords; try again later"));
                  res.set(beast_http::field::retry_after, std::to_string(wait));
                  return res;
                }
                auto body = http::ParseJsonObject(ctx.request);
                if (!body.ok()) return body.status();
                auto password = http::RequiredStringField(*body, "password");
                if (!password.ok()) return password.status();
                auto share = deps.meta->FindShareByToken(token);
                if (!share.ok()) return share.status();
                if (!*share) return Status::NotFound("this share link was revoked or never existed");
                if ((*share)->password_hash.empty() || !auth::VerifyPassword((*share)->password_hash, *password)) {
                  deps.unlock_limiter->RecordFailure(token);
                  return Status::Unauthenticated("wrong password");
                }
                deps.unlock_limiter->Clear(token);
                return Json(beast_http::status::ok, json::object{{"proof", ProofOf(**share)}});
              })});
}

}  // namespace datafast::manage
