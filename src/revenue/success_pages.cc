#include "revenue/success_pages.h"

#include <boost/asio/post.hpp>

#include "core/http_client.h"
#include "core/log.h"
#include "revenue/lemonsqueezy/webhook.h"
#include "revenue/stripe/webhook.h"

namespace datafast::revenue {
namespace {

// Ids go into a URL path: letters, digits, '_' and '-' only.
bool IsPlainId(std::string_view id) {
  return !id.empty() && id.size() <= 255 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

void SuccessPages::Report(const store::Event& event) {
  boost::asio::post(pool_, [this, event] {
    if (Status s = Resolve(event); !s.ok()) {
      core::LogWarn("cannot record a success page's payment",
                    {{"site", event.site_id}, {"provider", event.payment_provider}, {"error", s.message()}});
    }
  });
}

Status SuccessPages::Resolve(const store::Event& event) {
  const Provider* provider = FindProvider(event.payment_provider);
  // Polar and Shopify success pages carry no id the tracker reads.
  if (!provider || (provider->id != "stripe" && provider->id != "lemonsqueezy")) return Status::Ok();
  if (!IsPlainId(event.payment_id)) return Status::InvalidArgument("the page's payment id is not an id");
  auto site = meta_.FindSite(event.site_id);
  if (!site.ok()) return site.status();
  if (!site->has_value()) return Status::Ok();
  auto connection = connections_.Open(event.site_id, *provider);
  if (!connection.ok()) return connection.status();
  if (!connection->has_value()) return Status::Ok();

  const ProviderUrls& urls = connections_.urls();
  bool stripe = provider->id == "stripe";
  std::string url = stripe ? WithoutTrailingSlash(urls.stripe) + "/v1/checkout/sessions/" + event.payment_id
                           : WithoutTrailingSlash(urls.lemonsqueezy) + "/v1/orders/" + event.payment_id;
  std::vector<std::string> headers = {"Authorization: Bearer " + (*connection)->api_key};
  if (!stripe) headers.push_back("Accept: application/vnd.api+json");
  auto answer = core::HttpExchange(provider->name, "GET", url, headers);
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) {
    return Status::Unavailable(std::string(provider->name) + " answered " + std::to_string(answer->status));
  }
  auto reports =
      stripe ? stripe::ParseCheckoutSession(answer->body, event.ts_micros) : lemonsqueezy::ParseOrder(answer->body);
  if (!reports.ok()) return reports.status();
  for (PaymentReport& report : *reports) {
    if (report.visitor_id.empty()) {
      report.visitor_id = event.visitor_id;
      report.session_id = event.session_id;
    }
    auto recorded = recorder_.Record(**site, report);
    if (!recorded.ok()) return recorded.status();
  }
  return Status::Ok();
}

}  // namespace datafast::revenue
