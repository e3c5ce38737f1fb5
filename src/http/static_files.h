// Serves files embedded in the binary (the tracker, and the dashboard) with
// content negotiation: brotli, then gzip, then raw, precompressed at build
// time; a strong ETag answered with 304; and a cache lifetime per route.
#pragma once

#include <string>

#include "http/types.h"

namespace datafast::http {

// A handler serving the embedded file at `embedded_path`, cached by browsers
// and CDNs for `max_age_seconds`. Also sends Access-Control-Allow-Origin: *,
// as the tracker is loaded cross-origin.
Handler EmbeddedFileHandler(std::string embedded_path, int max_age_seconds);

// The dashboard: files of its build (embedded under app/) as themselves,
// /assets/* cached for a year (their names carry content hashes), and every
// other path the app's index.html, so the app's own routes survive a reload.
// Register it as the GET prefix route "/".
Handler AppHandler();

}  // namespace datafast::http
