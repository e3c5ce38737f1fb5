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

}  // namespace

Handler EmbeddedFileHandler(std::string embedded_path, int max_age_seconds) {
  const core::EmbeddedFile* file = core::FindEmbedded(embedded_path);
  std::string cache_control = "public, max-age=" + std::to_string(max_age_seconds) + ", stale-while-revalidate=86400";
  return [file, embedded_path, cache_control](RequestContext& ctx) -> boost::asio::awaitable<Response> {
    if (!file) co_return ErrorResponse(Status::NotFound(embedded_path + " is not built into this binary"));
    Response res{beast_http::status::ok, 11};
    res.set(beast_http::field::cache_control, cache_control);
    res.set(beast_http::field::etag, file->etag);
    res.set(beast_http::field::vary, "Accept-Encoding");
    res.set(beast_http::field::access_control_allow_origin, "*");
    res.set(beast_http::field::content_type, file->content_type);
    res.set("X-Content-Type-Options", "nosniff");
    if (Matches(ctx.request[beast_http::field::if_none_match], file->etag)) {
      res.result(beast_http::status::not_modified);
      res.content_length(0);
      co_return res;
    }
    std::string_view accept = ctx.request[beast_http::field::accept_encoding];
    if (!file->brotli.empty() && Accepts(accept, "br")) {
      res.set(beast_http::field::content_encoding, "br");
      res.body() = file->brotli;
    } else if (!file->gzip.empty() && Accepts(accept, "gzip")) {
      res.set(beast_http::field::content_encoding, "gzip");
      res.body() = file->gzip;
    } else {
      res.body() = file->raw;
    }
    res.prepare_payload();
    co_return res;
  };
}

}  // namespace datafast::http
