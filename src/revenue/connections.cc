#include "revenue/connections.h"

namespace datafast::revenue {

Connections::Connections(store::MetaStore& meta, const core::Clock& clock, auth::SecretBox box, ProviderUrls urls,
                         std::string public_url)
    : meta_(meta), clock_(clock), box_(std::move(box)), urls_(std::move(urls)), public_url_(std::move(public_url)) {}

std::string Connections::Context(std::string_view site_id, const Provider& provider, std::string_view what) {
  return std::string(site_id) + "/" + std::string(provider.id) + "/" + std::string(what);
}

Result<store::Connection> Connections::Connect(const store::Site& site, const Provider& provider,
                                               std::string_view api_key, std::string_view webhook_secret,
                                               std::string_view shop) {
  if (api_key.empty()) return Status::InvalidArgument("api_key: is required");
  if (api_key.size() > 1000) return Status::InvalidArgument("api_key: is longer than any provider's keys");
  if (webhook_secret.empty()) return Status::InvalidArgument("webhook_secret: is required");
  if (webhook_secret.size() > 1000) return Status::InvalidArgument("webhook_secret: is too long");
  std::string shop_domain;
  if (provider.needs_shop) {
    auto normalized = NormalizeShopDomain(shop);
    if (!normalized.ok()) return normalized.status();
    shop_domain = *normalized;
  }
  DF_RETURN_IF_ERROR(CheckApiKey(provider, urls_, api_key, shop_domain));
  store::Connection c;
  c.site_id = site.id;
  c.provider = std::string(provider.id);
  c.api_key_sealed = box_.Seal(api_key, Context(site.id, provider, "api_key"));
  c.webhook_secret_sealed = box_.Seal(webhook_secret, Context(site.id, provider, "webhook_secret"));
  c.api_key_hint = std::string(api_key.substr(api_key.size() >= 4 ? api_key.size() - 4 : 0));
  c.shop = shop_domain;
  c.connected_at_micros = clock_.NowMicros();
  DF_RETURN_IF_ERROR(meta_.PutConnection(c));
  auto stored = meta_.FindConnection(site.id, provider.id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Status::Internal("the connection was not kept");
  return std::move(**stored);
}

Result<std::optional<Connections::Opened>> Connections::Open(std::string_view site_id, const Provider& provider) {
  auto connection = meta_.FindConnection(site_id, provider.id);
  if (!connection.ok()) return connection.status();
  if (!connection->has_value()) return std::optional<Opened>();
  auto api_key = box_.Open((*connection)->api_key_sealed, Context(site_id, provider, "api_key"));
  auto secret = box_.Open((*connection)->webhook_secret_sealed, Context(site_id, provider, "webhook_secret"));
  if (!api_key.ok() || !secret.ok()) {
    return Status::Internal("a connection's secrets do not open: was the server key (--secret-key) changed?");
  }
  return std::optional<Opened>(Opened{std::move(*api_key), std::move(*secret), (*connection)->shop});
}

std::string Connections::WebhookUrl(std::string_view site_id, const Provider& provider) const {
  return public_url_ + "/webhooks/" + std::string(provider.id) + "/" + std::string(site_id);
}

}  // namespace datafast::revenue
