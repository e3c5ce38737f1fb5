// The payment providers a site can connect, what each one's connection
// needs, and the read-only call that proves a pasted API key works before it
// is kept.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datafast::revenue {

struct Provider {
  std::string_view id;                   // stripe, lemonsqueezy, polar, shopify: in URLs and stores
  std::string_view name;                 // as users know it
  std::vector<std::string_view> events;  // the webhook events to subscribe to
  std::string_view key_docs_url;         // how to create the API key we ask for
  bool needs_shop = false;               // Shopify: the shop's myshopify.com domain
};

// Stripe, Lemon Squeezy, Polar, Shopify, in that order.
std::span<const Provider> Providers();
const Provider* FindProvider(std::string_view id);

// Base URLs of the providers' APIs (configuration). Shopify's contains
// "{shop}", replaced by the shop's domain.
struct ProviderUrls {
  std::string stripe = "https://api.stripe.com";
  std::string lemonsqueezy = "https://api.lemonsqueezy.com";
  std::string polar = "https://api.polar.sh";
  std::string shopify = "https://{shop}";
};

// Ok when `provider` accepts `api_key` for reading what attribution needs:
// Stripe checkout sessions, Lemon Squeezy's user, Polar orders, the Shopify
// shop. Else kInvalidArgument "api_key: …" saying what is wrong (unknown key,
// missing permission) with the provider's docs link, or kUnavailable when
// the provider cannot be reached.
Status CheckApiKey(const Provider& provider, const ProviderUrls& urls, std::string_view api_key, std::string_view shop);

// "name.myshopify.com" from what a user may paste ("https://Name.myshopify.com/admin");
// kInvalidArgument "shop: …" for anything else.
Result<std::string> NormalizeShopDomain(std::string_view shop);

}  // namespace datafast::revenue
