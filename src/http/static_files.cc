#include "http/static_files.h"

#include <string_view>

#include "core/embedded.h"

namespace datafast::http {
namespace {

// True when the Accept-Encoding header lists `coding` without q=0.
bool Accepts(std::string_view header, std::string_view coding) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    size_t semi = item.find(';');
    std::string_view name = item.substr(0, semi);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name == coding) {
      if (semi == std::string_view::npos) return true;
      std::string_view params = item.substr(semi + 1);
      return params.find("q=0") == std::string_view::npos || params.find("q=0.") != std::string_view::npos;
    }
    pos = end + 1;
  }
  return false;
}

// If-None-Match may list several tags, or "*".
bool Matches(std::string_view if_none_match, std::string_view etag) {
  return if_none_match == "*" || if_none_match.find(etag) != std::string_view::npos;
}

// The file, negotiated and cached as `cache_control` says; 304 when the
// client has it.
Response ServeEmbedded(const core::EmbeddedFile& file, const Request& request, std::string_view cache_control) {
  Response res{beast_http::status::ok, 11};
  res.set(beast_http::field::cache_control, cache_control);
  res.set(beast_http::field::etag, file.etag);
  res.set(beast_http::field::vary, "Accept-Encoding");
  res.set(beast_http::field::content_type, file.content_type);
  res.set("X-Content-Type-Options", "nosniff");
  if (Matches(request[beast_http::field::if_none_match], file.etag)) {
    res.result(beast_http::status::not_modified);
    res.content_length(0);
    return res;
  }
  std::string_view accept = request[beast_http::field::accept_encoding];
  if (!file.brotli.empty() && Accepts(accept, "br")) {
    res.set(beast_http::field::content_encoding, "br");
    res.body() = file.brotli;
  } else if (!file.gzip.empty() && Accepts(accept, "gzip")) {
    res.set(beast_http::field::content_encoding, "gzip");
    res.body() = file.gzip;
  } else {
    res.body() = file.raw;
  }
  res.prepare_payload();
  return res;
}

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace

Handler EmbeddedFileHandler(std::string embedded_path, int max_age_seconds) {
  const core::EmbeddedFile* file = core::FindEmbedded(embedded_path);
  std::string cache_control = "public, max-age=" + std::to_string(max_age_seconds) + ", stale-while-revalidate=86400";
  return [file, embedded_path, cache_control](RequestContext& ctx) -> boost::asio::awaitable<Response> {
    if (!file) co_return ErrorResponse(Status::NotFound(embedded_path + " is not built into this binary"));
    Response res = ServeEmbedded(*file, ctx.request, cache_control);
    res.set(beast_http::field::access_control_allow_origin, "*");
    co_return res;
  };
}

Handler AppHandler() {
  return [](RequestContext& ctx) -> boost::asio::awaitable<Response> {
    std::string path(PathOf(ctx.request.target()));
    // A file of the build (hashed assets, the favicon) is itself; every other
    // path is a route of the app, which its index.html resolves.
    const core::EmbeddedFile* file = path == "/" ? nullptr : core::FindEmbedded("app" + path);
    if (file) {
      bool hashed = path.starts_with("/assets/");
      co_return ServeEmbedded(*file, ctx.request, hashed ? "public, max-age=31536000, immutable" : "no-cache");
    }
    if (path.starts_with("/assets/")) co_return ErrorResponse(Status::NotFound("no such file: " + path));
    const core::EmbeddedFile* index = core::FindEmbedded("app/index.html");
    if (!index) co_return ErrorResponse(Status::NotFound("the dashboard is not built into this binary"));
    Response res = ServeEmbedded(*index, ctx.request, "no-cache");
    res.set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "same-origin");
    co_return res;
  };
}

}  // namespace datafast::http
