#include "revenue/providers.h"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>

#include "core/http_client.h"

namespace datafast::revenue {
namespace {

const std::array<Provider, 4> kProviders = {{
    {"stripe",
     "Stripe",
     {"checkout.session.completed", "invoice.paid", "charge.refunded"},
     "https://docs.stripe.com/keys#create-restricted-api-secret-key",
     false},
    {"lemonsqueezy",
     "Lemon Squeezy",
     {"order_created", "order_refunded", "subscription_payment_success"},
     "https://docs.lemonsqueezy.com/api/getting-started/requests#authentication",
     false},
    {"polar", "Polar", {"order.paid", "order.refunded"}, "https://polar.sh/docs/integrate/oat", false},
    {"shopify",
     "Shopify",
     {"orders/paid", "refunds/create"},
     "https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin",
     true},
}};

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// The provider's own words about a refusal, where its answer has them.
std::string ProviderMessage(const std::string& body) {
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(body, ec);
  if (ec || !json.is_object()) return "";
  const boost::json::object& o = json.get_object();
  for (std::string_view key : {"error", "errors", "detail", "message"}) {
    const boost::json::value* v = o.if_contains(key);
    if (!v) continue;
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_object()) {
      if (const auto* m = v->get_object().if_contains("message"); m && m->is_string())
        return std::string(m->get_string());
    }
    if (v->is_array() && !v->get_array().empty() && v->get_array()[0].is_object()) {
      if (const auto* m = v->get_array()[0].get_object().if_contains("detail"); m && m->is_string()) {
        return std::string(m->get_string());
      }
    }
  }
  return "";
}

}  // namespace

std::span<const Provider> Providers() { return kProviders; }

const Provider* FindProvider(std::string_view id) {
  auto it = std::find_if(kProviders.begin(), kProviders.end(), [&](const Provider& p) { return p.id == id; });
  return it == kProviders.end() ? nullptr : &*it;
}

Result<std::string> NormalizeShopDomain(std::string_view shop) {
  std::string s(shop);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view scheme : {"https://", "http://"}) {
    if (s.starts_with(scheme)) s.erase(0, scheme.size());
  }
  s = s.substr(0, s.find('/'));
  constexpr std::string_view kSuffix = ".myshopify.com";
  std::string_view name = std::string_view(s).substr(0, s.size() >= kSuffix.size() ? s.size() - kSuffix.size() : 0);
  bool valid = s.ends_with(kSuffix) && !name.empty() && name.size() <= 60 &&
               std::all_of(name.begin(), name.end(),
                           [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
  if (!valid) return Status::InvalidArgument("shop: give the shop's myshopify.com domain, e.g. my-shop.myshopify.com");
  return s;
}

Status CheckApiKey(const Provider& provider, const ProviderUrls& urls, std::string_view api_key,
                   std::string_view shop) {
  if (api_key.empty()) return Status::InvalidArgument("api_key: is required");
  std::string key(api_key);
  std::string url;
  std::vector<std::string> headers;
  std::string_view needs;  // what the key must be allowed to read
  if (provider.id == "stripe") {
    url = WithoutTrailingSlash(urls.stripe) + "/v1/checkout/sessions?limit=1";
    headers = {"Authorization: Bearer " + key};
    needs = "read access to Checkout Sessions, Invoices and Charges";
  } else if (provider.id == "lemonsqueezy") {
    url = WithoutTrailingSlash(urls.lemonsqueezy) + "/v1/users/me";
    headers = {"Authorization: Bearer " + key, "Accept: application/vnd.api+json"};
    needs = "an API key of the store's owner";
  } else if (provider.id == "polar") {
    url = WithoutTrailingSlash(urls.polar) + "/v1/orders/?limit=1";
    headers = {"Authorization: Bearer " + key, "Accept: application/json"};
    needs = "the orders:read scope";
  } else {
    std::string base = urls.shopify;
    if (size_t at = base.find("{shop}"); at != std::string::npos) base.replace(at, 6, shop);
    url = WithoutTrailingSlash(base) + "/admin/api/2025-01/shop.json";
    headers = {"X-Shopify-Access-Token: " + key, "Accept: application/json"};
    needs = "the read_orders scope";
  }
  auto answer = core::HttpExchange(provider.name, "GET", url, headers);
  if (!answer.ok()) return answer.status();
  if (answer->status >= 200 && answer->status < 300) return Status::Ok();
  std::string said = ProviderMessage(answer->body);
  std::string detail = said.empty() ? "" : " (" + std::string(provider.name) + " said: " + said + ")";
  std::string docs = " See " + std::string(provider.key_docs_url);
  if (answer->status == 401) {
    return Status::InvalidArgument("api_key: " + std::string(provider.name) + " does not accept this key" + detail +
                                   "." + docs);
  }
  if (answer->status == 403) {
    return Status::InvalidArgument("api_key: this key is missing a permission; it needs " + std::string(needs) +
                                   detail + "." + docs);
  }
  if (answer->status == 404 && provider.needs_shop) {
    return Status::InvalidArgument("shop: Shopify has no shop at " + std::string(shop));
  }
  return Status::Unavailable(std::string(provider.name) + " answered " + std::to_string(answer->status) +
                             " while checking the key" + detail + "; try again shortly");
}

}  // namespace datafast::revenue
