// Sites' connections to payment providers: connecting checks the pasted API
// key with the provider and keeps it and the webhook signing secret sealed
// (auth/secret_box.h); each connection has its own webhook URL,
// PUBLIC_URL/webhooks/PROVIDER/SITE_ID. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/secret_box.h"
#include "core/clock.h"
#include "core/status.h"
#include "revenue/providers.h"
#include "store/meta_store.h"

namespace datafast::revenue {

class Connections {
 public:
  Connections(store::MetaStore& meta, const core::Clock& clock, auth::SecretBox box, ProviderUrls urls,
              std::string public_url);

  // Checks `api_key` with the provider (blocking, up to 20 s), then keeps the
  // connection, replacing one before. kInvalidArgument names the field at
  // fault ("api_key: …", "webhook_secret: …", "shop: …").
  Result<store::Connection> Connect(const store::Site& site, const Provider& provider, std::string_view api_key,
                                    std::string_view webhook_secret, std::string_view shop);

  struct Opened {
    std::string api_key;
    std::string webhook_secret;
    std::string shop;
  };
  // The site's connection to `provider` with its secrets opened, or nullopt
  // when there is none.
  Result<std::optional<Opened>> Open(std::string_view site_id, const Provider& provider);

  std::string WebhookUrl(std::string_view site_id, const Provider& provider) const;
  const ProviderUrls& urls() const { return urls_; }

 private:
  static std::string Context(std::string_view site_id, const Provider& provider, std::string_view what);

  store::MetaStore& meta_;
  const core::Clock& clock_;
  const auth::SecretBox box_;
  const ProviderUrls urls_;
  const std::string public_url_;
};

}  // namespace datafast::revenue
