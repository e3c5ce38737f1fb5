// Files compiled into the binary at build time by tools/embed-files.mjs: the
// tracker variants, the dashboard, and the data behind the ingestion pipeline
// (user-agent rules, crawler patterns, referrer database, spam list).
// Immutable; safe to read from any thread.
#pragma once

#include <span>
#include <string_view>

namespace datafast::core {

struct EmbeddedFile {
  std::string_view path;          // e.g. "js/script.js" or "data/referrers.json"
  std::string_view content_type;  // MIME type for HTTP responses
  std::string_view etag;          // strong ETag, quoted, of the raw bytes
  std::string_view raw;
  std::string_view gzip;    // empty when not worth compressing
  std::string_view brotli;  // empty when not worth compressing
};

// Returns the file at `path`, or nullptr when nothing of that name was embedded.
const EmbeddedFile* FindEmbedded(std::string_view path);

// Every embedded file, sorted by path.
std::span<const EmbeddedFile> AllEmbedded();

}  // namespace datafast::core
