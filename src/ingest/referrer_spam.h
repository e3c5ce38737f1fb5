// The referrer-spam blocklist: hosts whose "visits" are ads for themselves.
// A host matches when it is a listed domain or a subdomain of one.
// Thread-safe and immutable after creation.
#pragma once

#include <memory>
#include <string_view>

#include "core/status.h"

namespace datafast::ingest {

class ReferrerSpamList {
 public:
  // `list_text`: one domain per line; blank lines and lines starting with '#'
  // are ignored.
  static Result<std::unique_ptr<ReferrerSpamList>> Create(std::string_view list_text);
  virtual ~ReferrerSpamList() = default;

  // `host` is a lowercase host name without port, e.g. "www.semalt.com".
  virtual bool IsSpam(std::string_view host) const = 0;
  virtual size_t size() const = 0;
};

}  // namespace datafast::ingest
